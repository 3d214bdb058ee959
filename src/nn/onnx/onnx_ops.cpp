#include "nn/onnx/onnx_ops.hpp"

#include <cmath>

#include <fmt/format.h>

#include "core/error.hpp"

namespace codse::nn::onnx_import {
namespace {

using Graph = OnnxGraph;

[[noreturn]] void unsupported(const ImportState& s, const onnx::NodeProto& node, const std::string& why) {
  throw InputError(fmt::format("{}: {}; codse imports {}", s.graph().describe(node), why, supported_ops()));
}

Tensor to_tensor(const ConstantTensor& t, std::vector<std::int64_t> shape) {
  Tensor out;
  out.shape = std::move(shape);
  out.data.assign(t.values.begin(), t.values.end());
  return out;
}

/// The codse layer name of a weighted node: its weight's name without ".weight" (torch's module
/// name, and what codse's own export writes), else the node's name.
std::string weighted_name(const ImportState& s, const onnx::NodeProto& node, const std::string& fallback) {
  // The stored weight's name, behind the quantizer or Transpose that may read it.
  std::string weight = node.input_size() > 1 ? node.input(1) : std::string();
  for (int steps = 0; steps < 8; ++steps) {
    const auto producer = s.graph().producer(weight);
    if (!producer || s.graph().node(*producer).input_size() == 0) break;
    weight = s.graph().node(*producer).input(0);
  }
  const std::string suffix = ".weight";
  if (weight.size() > suffix.size() && weight.ends_with(suffix)) {
    const std::string name = weight.substr(0, weight.size() - suffix.size());
    if (name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") ==
        std::string::npos)
      return name;
  }
  return ImportState::base_name(node, fallback);
}

void set_weight(ImportState& s, const std::string& layer, const WeightConstant& w, std::vector<std::int64_t> shape) {
  auto& lw = s.weights().layers[layer];
  lw.weight = to_tensor(w.tensor, std::move(shape));
  if (w.quantizer) {
    s.layer(layer).weight_quant = w.quantizer->spec;
    lw.weight_scale_log2 = w.quantizer->scale_log2;
  }
}

void set_bias(ImportState& s, const onnx::NodeProto& node, const std::string& layer, const WeightConstant& b) {
  const auto units = s.layer(layer).units;
  if (b.tensor.numel() != units)
    throw InputError(fmt::format("{}: the bias has {} values, the layer {} has {} units", s.graph().describe(node),
                                 b.tensor.numel(), layer, units));
  s.layer(layer).bias = true;
  auto& bias = s.weights().layers[layer].bias;
  bias = to_tensor(b.tensor, {units});
  // codse's biases are float: a quantized bias is stored as its ONNX level times 2^e.
  if (b.quantizer && !b.dequantized_levels)
    for (auto& v : bias.data) v = std::ldexp(static_cast<float>(b.quantizer->level(v)), b.quantizer->scale_log2);
}

/// Dense from a [units, in] (transposed: [in, units]) weight.
void add_dense(ImportState& s, const onnx::NodeProto& node, const WeightConstant& weight, bool transposed) {
  const auto& input = s.layer_of(node.input(0), node);
  if (weight.tensor.dims.size() != 2) unsupported(s, node, "the weight is not a matrix");
  WeightConstant w = weight;
  if (transposed) {
    const auto rows = w.tensor.dims[0], cols = w.tensor.dims[1];
    for (std::int64_t r = 0; r < rows; ++r)
      for (std::int64_t c = 0; c < cols; ++c) w.tensor.values[c * rows + r] = weight.tensor.values[r * cols + c];
    w.tensor.dims = {cols, rows};
  }
  if (w.tensor.dims[1] != s.shape(input).size())
    throw InputError(fmt::format("{}: the weight takes {} features, its input {} has {}", s.graph().describe(node),
                                 w.tensor.dims[1], input, s.shape(input).size()));
  Layer l;
  l.kind = LayerKind::dense;
  l.name = weighted_name(s, node, "fc");
  l.units = static_cast<int>(w.tensor.dims[0]);
  l.bias = false;
  const auto name = s.add_layer(l, {input}, node.output(0));
  set_weight(s, name, w, w.tensor.dims);
  if (node.op_type() == "Gemm" && node.input_size() > 2 && !node.input(2).empty())
    set_bias(s, node, name, s.required_constant(node, 2, "bias"));
}

void convert_gemm(ImportState& s, const onnx::NodeProto& node) {
  if (Graph::int_attribute(node, "transA", 0) != 0) unsupported(s, node, "transA=1 is not supported");
  if (Graph::float_attribute(node, "alpha", 1.0F) != 1.0F || Graph::float_attribute(node, "beta", 1.0F) != 1.0F)
    unsupported(s, node, "alpha and beta other than 1 are not supported");
  add_dense(s, node, s.required_constant(node, 1, "weight"), Graph::int_attribute(node, "transB", 0) == 0);
}

/// Add of two activations is a codse add; Add of a constant to a dense or conv2d layer without a
/// bias (MatMul + Add, as torch writes a Linear in some opsets) is that layer's bias.
void convert_add(ImportState& s, const onnx::NodeProto& node) {
  const bool a = s.holds(node.input(0)), b = s.holds(node.input(1));
  if (a && b) {
    Layer l;
    l.kind = LayerKind::add;
    l.name = ImportState::base_name(node, "add");
    const auto main = s.layer_of(node.input(0), node), skip = s.layer_of(node.input(1), node);
    if (!(s.shape(main) == s.shape(skip))) unsupported(s, node, "the two inputs have different shapes (no broadcast)");
    s.add_layer(l, {main, skip}, node.output(0));
    return;
  }
  const int activation = a ? 0 : 1;
  const auto& source = s.layer_of(node.input(activation), node);
  auto& layer = s.layer(source);
  const bool only_reader = s.graph().consumers(node.input(activation)).size() == 1;
  if (!layer.has_weights() || layer.bias || !only_reader)
    unsupported(s, node, "an Add of a constant is supported only as the bias of a MatMul or Conv without one");
  set_bias(s, node, source, s.required_constant(node, 1 - activation, "bias"));
  s.alias(node.output(0), source);
}

void convert_conv(ImportState& s, const onnx::NodeProto& node) {
  if (Graph::int_attribute(node, "group", 1) != 1) unsupported(s, node, "Conv with groups (group != 1) is not supported");
  for (const auto d : Graph::ints_attribute(node, "dilations"))
    if (d != 1) unsupported(s, node, "Conv with dilation is not supported");
  const auto auto_pad = Graph::string_attribute(node, "auto_pad", "NOTSET");
  if (auto_pad != "NOTSET") unsupported(s, node, "auto_pad " + auto_pad + " is not supported (give pads)");
  const auto w = s.required_constant(node, 1, "weight");
  const auto& input = s.layer_of(node.input(0), node);
  if (w.tensor.dims.size() != 4 || w.tensor.dims[2] != w.tensor.dims[3])
    unsupported(s, node, "only 2-D convolutions with square kernels are supported");
  if (w.tensor.dims[1] != s.shape(input).channels)
    unsupported(s, node, fmt::format("the weight takes {} channels, the input has {}", w.tensor.dims[1],
                                     s.shape(input).channels));
  auto strides = Graph::ints_attribute(node, "strides");
  if (strides.empty()) strides = {1, 1};
  auto pads = Graph::ints_attribute(node, "pads");
  if (pads.empty()) pads = {0, 0, 0, 0};
  if (strides.size() != 2 || strides[0] != strides[1]) unsupported(s, node, "unequal strides are not supported");
  if (pads.size() != 4 || pads[0] != pads[1] || pads[0] != pads[2] || pads[0] != pads[3])
    unsupported(s, node, "asymmetric padding is not supported");
  Layer l;
  l.kind = LayerKind::conv2d;
  l.name = weighted_name(s, node, "conv");
  l.units = static_cast<int>(w.tensor.dims[0]);
  l.kernel = static_cast<int>(w.tensor.dims[2]);
  l.stride = static_cast<int>(strides[0]);
  l.padding = static_cast<int>(pads[0]);
  l.bias = false;
  const auto name = s.add_layer(l, {input}, node.output(0));
  set_weight(s, name, w, w.tensor.dims);
  if (node.input_size() > 2 && !node.input(2).empty()) set_bias(s, node, name, s.required_constant(node, 2, "bias"));
}

void convert_batchnorm(ImportState& s, const onnx::NodeProto& node) {
  const auto& input = s.layer_of(node.input(0), node);
  Layer l;
  l.kind = LayerKind::batchnorm;
  l.name = weighted_name(s, node, "bn");
  const auto name = s.add_layer(l, {input}, node.output(0));
  const auto channels = static_cast<std::int64_t>(s.shape(name).channels);
  auto& w = s.weights().layers[name];
  const char* what[] = {"scale", "bias", "mean", "variance"};
  Tensor* tensors[] = {&w.gamma, &w.beta, &w.running_mean, &w.running_var};
  for (int i = 0; i < 4; ++i) {
    const auto c = s.required_constant(node, i + 1, what[i]);
    if (c.tensor.numel() != channels)
      throw InputError(fmt::format("{}: the {} has {} values, the input has {} channels", s.graph().describe(node),
                                   what[i], c.tensor.numel(), channels));
    *tensors[i] = to_tensor(c.tensor, {channels});
  }
  w.eps = Graph::float_attribute(node, "epsilon", 1e-5F);
}

void convert_maxpool(ImportState& s, const onnx::NodeProto& node) {
  const auto kernel = Graph::ints_attribute(node, "kernel_shape");
  auto strides = Graph::ints_attribute(node, "strides");
  if (strides.empty()) strides = {1, 1};
  if (kernel.size() != 2 || kernel[0] != kernel[1]) unsupported(s, node, "only square 2-D pooling is supported");
  if (strides.size() != 2 || strides[0] != strides[1]) unsupported(s, node, "unequal strides are not supported");
  for (const auto p : Graph::ints_attribute(node, "pads"))
    if (p != 0) unsupported(s, node, "MaxPool with padding is not supported");
  if (Graph::int_attribute(node, "ceil_mode", 0) != 0) unsupported(s, node, "MaxPool with ceil_mode=1 is not supported");
  for (const auto d : Graph::ints_attribute(node, "dilations"))
    if (d != 1) unsupported(s, node, "MaxPool with dilation is not supported");
  if (node.output_size() > 1 && !node.output(1).empty()) unsupported(s, node, "MaxPool's indices output is not supported");
  Layer l;
  l.kind = LayerKind::maxpool2d;
  l.name = ImportState::base_name(node, "pool");
  l.kernel = static_cast<int>(kernel[0]);
  l.stride = static_cast<int>(strides[0]);
  s.add_layer(l, {s.layer_of(node.input(0), node)}, node.output(0));
}

/// Whether every reader of `tensor` is a Gemm or MatMul, which flatten their input anyway, also
/// through a quantizer (a flatten of the input, then its 8-bit quantizer, then Gemm).
bool read_only_by_dense(const ImportState& s, const std::string& tensor) {
  const auto& readers = s.graph().consumers(tensor);
  if (readers.empty()) return false;
  for (const int r : readers) {
    const auto& node = s.graph().node(r);
    if (starts_quantizer(node) && node.op_type() != "DequantizeLinear") {
      if (!read_only_by_dense(s, match_quantizer(s.graph(), r).output)) return false;
    } else if (node.op_type() != "Gemm" && node.op_type() != "MatMul") {
      return false;
    }
  }
  return true;
}

void convert_flatten(ImportState& s, const onnx::NodeProto& node) {
  const auto& input = s.layer_of(node.input(0), node);
  if (node.op_type() == "Flatten" && Graph::int_attribute(node, "axis", 1) != 1)
    unsupported(s, node, "Flatten with axis other than 1 is not supported");
  if (node.op_type() == "Reshape") {
    const auto target = s.required_constant(node, 1, "shape");
    const auto size = static_cast<double>(s.shape(input).size());
    const bool flat = target.tensor.values.size() == 2 &&
                      (target.tensor.values[1] == -1 || target.tensor.values[1] == size) &&
                      (target.tensor.values[0] == -1 || target.tensor.values[0] == 1 || target.tensor.values[0] == 0);
    if (!flat) unsupported(s, node, "only a Reshape to [N, features] (a flatten) is supported");
  }
  const Shape shape = s.shape(input);
  if ((shape.height == 1 && shape.width == 1) || read_only_by_dense(s, node.output(0))) {
    s.alias(node.output(0), input);  // already flat, or a dense flattens it anyway
    return;
  }
  Layer l;
  l.kind = LayerKind::flatten;
  l.name = ImportState::base_name(node, "flatten");
  s.add_layer(l, {input}, node.output(0));
}

void convert_dropout(ImportState& s, const onnx::NodeProto& node) {
  Layer l;
  l.kind = LayerKind::dropout;
  l.name = ImportState::base_name(node, "dropout");
  l.rate = Graph::float_attribute(node, "ratio", 0.5F);
  if (node.input_size() > 1 && !node.input(1).empty()) {
    const auto ratio = s.required_constant(node, 1, "ratio");
    l.rate = ratio.tensor.values.at(0);
  }
  if (!(l.rate >= 0 && l.rate < 1)) unsupported(s, node, "the ratio is not in [0, 1)");
  s.add_layer(l, {s.layer_of(node.input(0), node)}, node.output(0));
}

void convert_relu(ImportState& s, const onnx::NodeProto& node) {
  Layer l;
  l.kind = LayerKind::relu;
  l.name = ImportState::base_name(node, "relu");
  s.add_layer(l, {s.layer_of(node.input(0), node)}, node.output(0));
}

}  // namespace

const char* supported_ops() {
  return "Gemm, MatMul (+ Add of a bias), Conv (group 1, no dilation, symmetric pads), BatchNormalization, Relu, "
         "MaxPool (no padding), Add, Flatten, Reshape (to [N, -1]), Identity, Dropout, and the quantizers "
         "QuantizeLinear/Clip/DequantizeLinear (QCDQ) and Quant, BipolarQuant, Trunc (QONNX)";
}

void convert_op(ImportState& s, int index) {
  const auto& node = s.graph().node(index);
  const auto& op = node.op_type();
  const bool custom = !node.domain().empty() && node.domain() != "ai.onnx";
  if (custom) unsupported(s, node, "this op is not supported");
  if (op == "Gemm") return convert_gemm(s, node);
  if (op == "MatMul") return add_dense(s, node, s.required_constant(node, 1, "weight"), true);
  if (op == "Add") return convert_add(s, node);
  if (op == "Conv") return convert_conv(s, node);
  if (op == "BatchNormalization") return convert_batchnorm(s, node);
  if (op == "Relu") return convert_relu(s, node);
  if (op == "MaxPool") return convert_maxpool(s, node);
  if (op == "Flatten" || op == "Reshape") return convert_flatten(s, node);
  if (op == "Dropout") return convert_dropout(s, node);
  if (op == "Identity") return s.alias(node.output(0), s.layer_of(node.input(0), node));
  unsupported(s, node, "this op is not supported");
}

}  // namespace codse::nn::onnx_import
