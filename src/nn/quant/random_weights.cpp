#include "nn/quant/random_weights.hpp"

#include <cmath>
#include <random>

#include "core/random_draws.hpp"
#include "nn/quant/quantizer.hpp"

namespace codse::nn {
namespace {

Tensor uniform(std::vector<std::int64_t> shape, float lo, float hi, std::mt19937_64& random) {
  Tensor t{std::move(shape), {}};
  t.data.resize(static_cast<std::size_t>(t.numel()));
  for (float& v : t.data) v = static_cast<float>(draw::real(random, lo, hi));
  return t;
}

}  // namespace

Weights random_weights(const Network& network, std::uint64_t seed) {
  std::mt19937_64 random(seed);
  Weights weights;
  for (std::size_t i = 0; i < network.layers().size(); ++i) {
    const Layer& layer = network.layers()[i];
    const Shape in = layer.kind == LayerKind::input ? network.shapes()[i]
                                                    : network.shapes()[network.input_indices(i).front()];
    const std::int64_t units = layer.units;
    switch (layer.kind) {
      case LayerKind::dense:
      case LayerKind::conv2d: {
        LayerWeights& w = weights.layers[layer.name];
        const std::int64_t fan_in = layer.kind == LayerKind::dense
                                        ? in.size()
                                        : std::int64_t{in.channels} * layer.kernel * layer.kernel;
        const auto limit = static_cast<float>(std::sqrt(6.0 / static_cast<double>(fan_in)));
        w.weight = layer.kind == LayerKind::dense
                       ? uniform({units, in.size()}, -limit, limit, random)
                       : uniform({units, in.channels, layer.kernel, layer.kernel}, -limit, limit, random);
        if (layer.bias) w.bias = uniform({units}, -0.1f, 0.1f, random);
        // Ternary levels are round(w / 2^e): at the default e = 0 every small weight would be 0.
        if (is_ternary(layer.weight_quant) && !layer.weight_quant.scale_log2) {
          w.weight_scale_log2 = static_cast<int>(std::ceil(std::log2(limit)));
        }
        break;
      }
      case LayerKind::batchnorm: {
        LayerWeights& w = weights.layers[layer.name];
        const std::int64_t channels = in.channels;
        w.gamma = uniform({channels}, 0.5f, 1.5f, random);
        w.beta = uniform({channels}, -0.2f, 0.2f, random);
        w.running_mean = uniform({channels}, -0.2f, 0.2f, random);
        w.running_var = uniform({channels}, 0.5f, 1.5f, random);
        break;
      }
      case LayerKind::input:
      case LayerKind::quant: {
        const QuantSpec& q = layer.activation_quant;
        if (q.is_float() || q.scale_log2) break;
        const float range = layer.kind == LayerKind::input ? 1.0f : 2.0f;
        weights.layers[layer.name].activation_scale_log2 = choose_scale_log2(range, q);
        break;
      }
      default:
        break;
    }
  }
  return weights;
}

}  // namespace codse::nn
