#include "nn/integer/integer_export.hpp"

#include <cmath>
#include <optional>
#include <stdexcept>

#include "core/error.hpp"
#include "nn/integer/integer_op_rules.hpp"
#include "nn/integer/monotone_chain.hpp"
#include "nn/quant/quantizer.hpp"

namespace codse::nn {
namespace {

// What a layer's output is in integer terms: an op's integers as they are (materialized), or an
// op's integers followed by per-channel monotone maps not yet applied (pending).
struct Value {
  int op = -1;
  Shape shape;  // the network's shape at this layer
  bool pending = false;
  Chain chain;
  std::int64_t plane = 1;             // pending: elements per channel of the base op
  std::optional<std::size_t> pool;    // pending: the maxpool2d layer inside the chain
  std::size_t steps_before_pool = 0;  // pending: chain steps applied before that pool
  bool flattened = false;             // pending: a multi-pixel tensor was flattened
};

class Exporter {
 public:
  Exporter(const Network& network, const Weights& weights)
      : network_(network), weights_(weights), values_(network.layers().size()) {}

  IntegerModel run() {
    for (std::size_t i = 0; i < network_.layers().size(); ++i) values_[i] = layer_value(i);
    finish(values_.back());
    return IntegerModel(network_.name(), std::move(ops_));
  }

 private:
  [[noreturn]] void fail(const Layer& layer, const std::string& what) const {
    throw InputError("layer " + layer.name + ": " + what + " (integer export of network " + network_.name() +
                     ")");
  }

  const Value& input_value(std::size_t i, std::size_t k = 0) const {
    return values_[network_.input_indices(i).at(k)];
  }
  const Layer& input_layer(std::size_t i, std::size_t k = 0) const {
    return network_.layers()[network_.input_indices(i).at(k)];
  }

  int push(IntegerOp op) {
    ops_.push_back(std::move(op));
    fill_derived_fields(ops_, ops_.size() - 1);
    return static_cast<int>(ops_.size() - 1);
  }

  static Value materialized(int op, Shape shape) {
    Value v;
    v.op = op;
    v.shape = shape;
    return v;
  }

  // The value as a chain from its integers (scale 2^e, no offset) when it is not one already.
  Value as_pending(const Value& v) const {
    if (v.pending) return v;
    const IntegerOp& op = ops_[static_cast<std::size_t>(v.op)];
    Value p = v;
    p.pending = true;
    const auto channels = static_cast<std::size_t>(v.shape.channels);
    p.chain = Chain(std::vector<double>(channels, std::ldexp(1.0, op.scale_log2)),
                    std::vector<double>(channels, 0.0));
    p.plane = std::int64_t{v.shape.height} * v.shape.width;
    return p;
  }

  Value layer_value(std::size_t i) {
    const Layer& layer = network_.layers()[i];
    const Shape shape = network_.shapes()[i];
    switch (layer.kind) {
      case LayerKind::input:
        return input_op(layer, shape);
      case LayerKind::dense:
      case LayerKind::conv2d:
        return mac_op(i, layer, shape);
      case LayerKind::batchnorm:
        return batchnorm_step(i, layer, shape);
      case LayerKind::relu: {
        Value v = as_pending(input_value(i));
        v.chain.append_relu();
        v.shape = shape;
        return v;
      }
      case LayerKind::quant:
        return quant_op(i, layer, shape);
      case LayerKind::maxpool2d:
        return maxpool(i, layer, shape);
      case LayerKind::add:
        return add_op(i, layer, shape);
      case LayerKind::flatten:
      case LayerKind::dropout: {
        Value v = input_value(i);
        if (v.pending && layer.kind == LayerKind::flatten && v.shape.height * v.shape.width > 1)
          v.flattened = true;
        v.shape = shape;
        return v;
      }
    }
    throw std::logic_error("integer export: unknown layer kind");
  }

  Value input_op(const Layer& layer, Shape shape) {
    if (layer.activation_quant.is_float()) fail(layer, "the input has no activation bits");
    IntegerOp op;
    op.kind = IntegerOpKind::input;
    op.name = layer.name;
    op.shape = shape;
    op.quant = layer.activation_quant;
    op.quant.scale_log2.reset();
    op.scale_log2 = activation_scale_log2(layer, weights_);
    return materialized(push(std::move(op)), shape);
  }

  Value mac_op(std::size_t i, const Layer& layer, Shape shape) {
    if (layer.weight_quant.is_float()) fail(layer, "weights are not quantized (weight bits 0)");
    const Value& in = input_value(i);
    if (in.pending) {
      fail(layer,
           "reads layer " + input_layer(i).name +
               ", whose output is not quantized; a quant layer must come before a dense or conv2d layer");
    }
    const LayerWeights& w = weights_.at(layer.name);
    IntegerOp op;
    op.kind = layer.kind == LayerKind::dense ? IntegerOpKind::dense : IntegerOpKind::conv2d;
    op.name = layer.name;
    op.inputs = {in.op};
    op.units = layer.units;
    op.kernel = layer.kernel;
    op.stride = layer.stride;
    op.padding = layer.padding;
    op.weight_quant = layer.weight_quant;
    op.weight_quant.scale_log2.reset();
    op.weight_scale_log2 = weight_scale_log2(layer, &w);
    const std::vector<int> levels = weight_levels(layer, w, op.weight_scale_log2);
    op.weights.assign(levels.begin(), levels.end());
    const std::int64_t expected =
        layer.kind == LayerKind::dense
            ? std::int64_t{layer.units} * ops_[static_cast<std::size_t>(in.op)].shape.size()
            : std::int64_t{layer.units} * input_value(i).shape.channels * layer.kernel * layer.kernel;
    if (static_cast<std::int64_t>(op.weights.size()) != expected) {
      fail(layer, "weight has " + std::to_string(op.weights.size()) + " values, expected " +
                      std::to_string(expected));
    }
    const int mac = push(std::move(op));
    const auto units = static_cast<std::size_t>(layer.units);
    std::vector<double> bias(units, 0.0);
    if (!w.bias.data.empty()) {
      if (w.bias.data.size() != units)
        fail(layer, "bias has " + std::to_string(w.bias.data.size()) + " values");
      bias.assign(w.bias.data.begin(), w.bias.data.end());
    }
    Value v = materialized(mac, shape);
    v.pending = true;
    v.chain = Chain(std::vector<double>(units, std::ldexp(1.0, ops_.back().scale_log2)), std::move(bias));
    v.plane = std::int64_t{shape.height} * shape.width;
    return v;
  }

  Value batchnorm_step(std::size_t i, const Layer& layer, Shape shape) {
    Value v = as_pending(input_value(i));
    if (v.flattened)
      fail(layer, "a batchnorm after flattening an image, before the next quant layer, is not supported");
    const LayerWeights& bn = weights_.at(layer.name);
    const auto channels = static_cast<std::size_t>(v.chain.channels());
    for (const Tensor* t : {&bn.gamma, &bn.beta, &bn.running_mean, &bn.running_var}) {
      if (t->data.size() != channels) {
        fail(layer, "batchnorm tensors have " + std::to_string(t->data.size()) + " values, expected " +
                        std::to_string(channels));
      }
    }
    std::vector<double> scale(channels);
    std::vector<double> offset(channels);
    for (std::size_t c = 0; c < channels; ++c) {
      scale[c] = bn.gamma.data[c] / std::sqrt(static_cast<double>(bn.running_var.data[c]) + bn.eps);
      offset[c] = bn.beta.data[c] - bn.running_mean.data[c] * scale[c];
    }
    v.chain.append_affine(scale, offset);
    v.shape = shape;
    return v;
  }

  Value maxpool(std::size_t i, const Layer& layer, Shape shape) {
    Value v = input_value(i);
    if (v.pending) {
      if (v.pool) fail(layer, "two maxpool2d layers before the same quant layer are not supported");
      if (v.flattened) fail(layer, "maxpool2d after a flatten");
      v.pool = i;
      v.chain.seal();
      v.steps_before_pool = v.chain.steps().size();
      v.shape = shape;
      return v;
    }
    return materialized(pool_op(layer, v.op, layer.name), shape);
  }

  // `name`: the layer whose output the op completes (the quant layer when pooling its levels).
  int pool_op(const Layer& layer, int input, const std::string& name) {
    IntegerOp op;
    op.kind = IntegerOpKind::maxpool2d;
    op.name = name;
    op.inputs = {input};
    op.kernel = layer.kernel;
    op.stride = layer.stride;
    return push(std::move(op));
  }

  Value quant_op(std::size_t i, const Layer& layer, Shape shape) {
    if (layer.activation_quant.is_float()) fail(layer, "a quant layer without bits");
    const Value v = as_pending(input_value(i));
    const int e = activation_scale_log2(layer, weights_);
    int base = v.op;
    std::int64_t plane = v.plane;
    bool pool_after = false;
    if (v.pool) {
      const Layer& pool = network_.layers()[*v.pool];
      if (v.chain.non_decreasing(v.steps_before_pool, v.chain.steps().size())) {
        pool_after = true;  // max commutes with the non-decreasing maps after it and with rounding
      } else if (v.chain.non_decreasing(0, v.steps_before_pool)) {
        base = pool_op(pool, base, pool.name);  // the maps before it never decrease: pool the accumulators
        plane = std::int64_t{ops_.back().shape.height} * ops_.back().shape.width;
      } else {
        fail(pool, "maxpool2d between maps that decrease (negative batchnorm scales) on both sides");
      }
    }
    const IntegerOp& in = ops_[static_cast<std::size_t>(base)];
    IntegerOp op;
    op.kind = IntegerOpKind::requantize;
    op.name = layer.name;
    op.inputs = {base};
    op.shape = in.shape;
    op.quant = layer.activation_quant;
    op.quant.scale_log2.reset();
    op.scale_log2 = e;
    op.requant = requantize_chain(v.chain, plane, layer.activation_quant, e, in.min, in.max, layer.name);
    int result = push(std::move(op));
    if (pool_after) result = pool_op(network_.layers()[*v.pool], result, layer.name);
    return materialized(result, shape);
  }

  Value add_op(std::size_t i, const Layer& layer, Shape shape) {
    IntegerOp op;
    op.kind = IntegerOpKind::add;
    op.name = layer.name;
    for (std::size_t k = 0; k < 2; ++k) {
      const Value& v = input_value(i, k);
      if (v.pending) {
        fail(layer,
             "input " + input_layer(i, k).name + " is not quantized; add needs two quantized branches");
      }
      op.inputs.push_back(v.op);
    }
    const int e_a = ops_[static_cast<std::size_t>(op.inputs[0])].scale_log2;
    const int e_b = ops_[static_cast<std::size_t>(op.inputs[1])].scale_log2;
    const int e = std::min(e_a, e_b);
    op.shifts = {e_a - e, e_b - e};
    op.shape = ops_[static_cast<std::size_t>(op.inputs[0])].shape;
    return materialized(push(std::move(op)), shape);
  }

  void finish(const Value& last) {
    const Layer& layer = network_.layers().back();
    if (!last.pending) {
      if (last.op != static_cast<int>(ops_.size()) - 1)
        throw std::logic_error("integer export: output is not the last op");
      return;
    }
    if (last.pool)
      fail(network_.layers()[*last.pool], "maxpool2d after the last weighted layer needs a quant layer");
    const IntegerOp& in = ops_[static_cast<std::size_t>(last.op)];
    if (is_plain_scale(last.chain, in.scale_log2) && last.op == static_cast<int>(ops_.size()) - 1) return;
    IntegerOp op;
    op.kind = IntegerOpKind::output_affine;
    op.name = layer.name;
    op.inputs = {last.op};
    op.affine = output_affine_chain(last.chain, last.plane, in.min, in.max, op.scale_log2, layer.name);
    push(std::move(op));
  }

  const Network& network_;
  const Weights& weights_;
  std::vector<Value> values_;
  std::vector<IntegerOp> ops_;
};

}  // namespace

IntegerModel export_integer_model(const Network& network, const Weights& weights) {
  return Exporter(network, weights).run();
}

}  // namespace codse::nn
