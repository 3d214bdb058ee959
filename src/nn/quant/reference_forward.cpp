#include "nn/quant/reference_forward.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "nn/quant/quantizer.hpp"

namespace codse::nn {
namespace {

std::string shape_text(const std::vector<std::int64_t>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

void require_shape(const Layer& layer, const char* tensor, const Tensor& t,
                   const std::vector<std::int64_t>& expected) {
  if (t.shape != expected || static_cast<std::int64_t>(t.data.size()) != t.numel()) {
    throw InputError("layer " + layer.name + ": " + tensor + " has shape " + shape_text(t.shape) +
                     ", expected " + shape_text(expected));
  }
}

std::vector<float> bias_or_zeros(const Layer& layer, const LayerWeights& w) {
  if (w.bias.data.empty()) return std::vector<float>(static_cast<std::size_t>(layer.units), 0.0f);
  require_shape(layer, "bias", w.bias, {layer.units});
  return w.bias.data;
}

void dense(const std::vector<float>& x, const std::vector<float>& weight, const std::vector<float>& bias,
           std::vector<float>& out) {
  const std::size_t n = x.size();
  out.resize(bias.size());
  for (std::size_t o = 0; o < bias.size(); ++o) {
    const float* row = weight.data() + o * n;
    double sum = 0.0;
    for (std::size_t i = 0; i < n; ++i) sum += static_cast<double>(row[i]) * x[i];
    out[o] = static_cast<float>(sum + bias[o]);
  }
}

void conv2d(const std::vector<float>& x, Shape in, Shape out_shape, const Layer& layer,
            const std::vector<float>& weight, const std::vector<float>& bias, std::vector<float>& out) {
  const int k = layer.kernel;
  out.assign(static_cast<std::size_t>(out_shape.size()), 0.0f);
  for (int o = 0; o < out_shape.channels; ++o) {
    for (int oy = 0; oy < out_shape.height; ++oy) {
      for (int ox = 0; ox < out_shape.width; ++ox) {
        double sum = 0.0;
        for (int c = 0; c < in.channels; ++c) {
          for (int ky = 0; ky < k; ++ky) {
            const int y = oy * layer.stride - layer.padding + ky;
            if (y < 0 || y >= in.height) continue;
            for (int kx = 0; kx < k; ++kx) {
              const int xx = ox * layer.stride - layer.padding + kx;
              if (xx < 0 || xx >= in.width) continue;
              const float w = weight[((static_cast<std::size_t>(o) * in.channels + c) * k + ky) * k + kx];
              sum +=
                  static_cast<double>(w) * x[(static_cast<std::size_t>(c) * in.height + y) * in.width + xx];
            }
          }
        }
        out[(static_cast<std::size_t>(o) * out_shape.height + oy) * out_shape.width + ox] =
            static_cast<float>(sum + bias[o]);
      }
    }
  }
}

void maxpool2d(const std::vector<float>& x, Shape in, Shape out_shape, const Layer& layer,
               std::vector<float>& out) {
  out.assign(static_cast<std::size_t>(out_shape.size()), 0.0f);
  for (int c = 0; c < out_shape.channels; ++c) {
    for (int oy = 0; oy < out_shape.height; ++oy) {
      for (int ox = 0; ox < out_shape.width; ++ox) {
        float best = -std::numeric_limits<float>::infinity();
        for (int ky = 0; ky < layer.kernel; ++ky) {
          const int y = oy * layer.stride + ky;
          for (int kx = 0; kx < layer.kernel; ++kx) {
            const int xx = ox * layer.stride + kx;
            if (y < in.height && xx < in.width) {
              best = std::max(best, x[(static_cast<std::size_t>(c) * in.height + y) * in.width + xx]);
            }
          }
        }
        out[(static_cast<std::size_t>(c) * out_shape.height + oy) * out_shape.width + ox] = best;
      }
    }
  }
}

}  // namespace

ReferenceForward::ReferenceForward(const Network& network, const Weights& weights, Arithmetic arithmetic)
    : network_(network), arithmetic_(arithmetic), prepared_(network.layers().size()) {
  const bool quantized = arithmetic == Arithmetic::fake_quant;
  for (std::size_t i = 0; i < network_.layers().size(); ++i) {
    const Layer& layer = network_.layers()[i];
    Prepared& p = prepared_[i];
    const Shape in = layer.kind == LayerKind::input ? network_.shapes()[i]
                                                    : network_.shapes()[network_.input_indices(i).front()];
    switch (layer.kind) {
      case LayerKind::input:
      case LayerKind::quant:
        if (quantized && !layer.activation_quant.is_float())
          p.exponent = activation_scale_log2(layer, weights);
        break;
      case LayerKind::dense:
      case LayerKind::conv2d: {
        const LayerWeights& w = weights.at(layer.name);
        if (layer.kind == LayerKind::dense) {
          require_shape(layer, "weight", w.weight, {layer.units, in.size()});
        } else {
          require_shape(layer, "weight", w.weight, {layer.units, in.channels, layer.kernel, layer.kernel});
        }
        if (!w.mask.data.empty()) require_shape(layer, "mask", w.mask, w.weight.shape);
        p.weight = quantized ? fake_quantized_weights(layer, w) : masked_weights(w);
        p.bias = bias_or_zeros(layer, w);
        break;
      }
      case LayerKind::batchnorm: {
        const LayerWeights& w = weights.at(layer.name);
        const std::vector<std::int64_t> channels{in.channels};
        require_shape(layer, "gamma", w.gamma, channels);
        require_shape(layer, "beta", w.beta, channels);
        require_shape(layer, "running_mean", w.running_mean, channels);
        require_shape(layer, "running_var", w.running_var, channels);
        for (int c = 0; c < in.channels; ++c) {
          const double scale =
              w.gamma.data[c] / std::sqrt(static_cast<double>(w.running_var.data[c]) + w.eps);
          p.scale.push_back(static_cast<float>(scale));
          p.mean.push_back(w.running_mean.data[c]);
          p.bias.push_back(w.beta.data[c]);
        }
        break;
      }
      default:
        break;
    }
  }
}

void ReferenceForward::compute(std::size_t index, const std::vector<std::vector<float>>& outputs,
                               std::vector<float>& out) const {
  const Layer& layer = network_.layers()[index];
  const Prepared& p = prepared_[index];
  const std::vector<std::size_t> inputs = network_.input_indices(index);
  const std::vector<float>& x = outputs[inputs.front()];
  const Shape in = network_.shapes()[inputs.front()];
  const Shape shape = network_.shapes()[index];
  const bool quantized = arithmetic_ == Arithmetic::fake_quant;
  switch (layer.kind) {
    case LayerKind::input:
      break;  // run_all fills it
    case LayerKind::dense:
      dense(x, p.weight, p.bias, out);
      break;
    case LayerKind::conv2d:
      conv2d(x, in, shape, layer, p.weight, p.bias, out);
      break;
    case LayerKind::maxpool2d:
      maxpool2d(x, in, shape, layer, out);
      break;
    case LayerKind::batchnorm: {
      out.resize(x.size());
      const std::size_t plane = static_cast<std::size_t>(in.height) * in.width;
      for (std::size_t i = 0; i < x.size(); ++i) {
        const std::size_t c = i / plane;
        out[i] = static_cast<float>((static_cast<double>(x[i]) - p.mean[c]) * p.scale[c] + p.bias[c]);
      }
      break;
    }
    case LayerKind::relu:
      out.resize(x.size());
      for (std::size_t i = 0; i < x.size(); ++i) out[i] = std::max(x[i], 0.0f);
      break;
    case LayerKind::quant: {
      const QuantSpec& q = layer.activation_quant;
      out.resize(x.size());
      for (std::size_t i = 0; i < x.size(); ++i) {
        if (quantized && !q.is_float()) {
          out[i] = fake_quantize(x[i], q, p.exponent);
        } else {
          out[i] = (!q.is_float() && !q.is_signed) ? std::max(x[i], 0.0f) : x[i];
        }
      }
      break;
    }
    case LayerKind::add: {
      const std::vector<float>& y = outputs[inputs.at(1)];
      out.resize(x.size());
      for (std::size_t i = 0; i < x.size(); ++i) out[i] = x[i] + y[i];
      break;
    }
    case LayerKind::flatten:
    case LayerKind::dropout:
      out = x;
      break;
  }
}

std::vector<std::vector<float>> ReferenceForward::run_all(std::span<const float> input) const {
  const Shape in = network_.input_shape();
  if (static_cast<std::int64_t>(input.size()) != in.size()) {
    throw InputError("network " + network_.name() + ": input has " + std::to_string(input.size()) +
                     " values, expected " + std::to_string(in.size()) + " (" + std::to_string(in.channels) +
                     "x" + std::to_string(in.height) + "x" + std::to_string(in.width) + ")");
  }
  std::vector<std::vector<float>> outputs(network_.layers().size());
  for (std::size_t i = 0; i < network_.layers().size(); ++i) {
    const Layer& layer = network_.layers()[i];
    if (layer.kind == LayerKind::input) {
      outputs[i].assign(input.begin(), input.end());
      if (arithmetic_ == Arithmetic::fake_quant && !layer.activation_quant.is_float()) {
        for (float& v : outputs[i]) v = fake_quantize(v, layer.activation_quant, prepared_[i].exponent);
      }
    } else {
      compute(i, outputs, outputs[i]);
    }
  }
  return outputs;
}

std::vector<float> ReferenceForward::run(std::span<const float> input) const {
  std::vector<std::vector<float>> outputs = run_all(input);
  return std::move(outputs.back());
}

std::vector<float> reference_forward(const Network& network, const Weights& weights,
                                     std::span<const float> input, Arithmetic arithmetic) {
  return ReferenceForward(network, weights, arithmetic).run(input);
}

std::vector<std::vector<float>> reference_forward_all(const Network& network, const Weights& weights,
                                                      std::span<const float> input, Arithmetic arithmetic) {
  return ReferenceForward(network, weights, arithmetic).run_all(input);
}

}  // namespace codse::nn
