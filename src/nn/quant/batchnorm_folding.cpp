#include "nn/quant/batchnorm_folding.hpp"

#include <cmath>

#include "core/error.hpp"

namespace codse::nn {
namespace {

void require_size(const Layer& layer, const char* tensor, const Tensor& t, std::int64_t expected) {
  if (static_cast<std::int64_t>(t.data.size()) != expected) {
    throw InputError("layer " + layer.name + ": " + tensor + " has " + std::to_string(t.data.size()) +
                     " values, expected " + std::to_string(expected));
  }
}

// Merges batchnorm `bn` into the weights of the layer before it, which has `units` output channels.
void fold_into(const Layer& weighted, const Layer& bn_layer, const LayerWeights& bn, LayerWeights& w) {
  const std::int64_t units = weighted.units;
  require_size(bn_layer, "gamma", bn.gamma, units);
  require_size(bn_layer, "beta", bn.beta, units);
  require_size(bn_layer, "running_mean", bn.running_mean, units);
  require_size(bn_layer, "running_var", bn.running_var, units);
  if (w.weight.data.empty() || w.weight.data.size() % static_cast<std::size_t>(units) != 0) {
    throw InputError("layer " + weighted.name + ": weight has " + std::to_string(w.weight.data.size()) +
                     " values, not a multiple of its " + std::to_string(units) + " units");
  }
  if (!w.bias.data.empty()) require_size(weighted, "bias", w.bias, units);
  const std::size_t per_unit = w.weight.data.size() / static_cast<std::size_t>(units);
  std::vector<float> bias(static_cast<std::size_t>(units));
  for (std::size_t o = 0; o < bias.size(); ++o) {
    const double a = bn.gamma.data[o] / std::sqrt(static_cast<double>(bn.running_var.data[o]) + bn.eps);
    for (std::size_t i = 0; i < per_unit; ++i) {
      float& v = w.weight.data[o * per_unit + i];
      v = static_cast<float>(a * v);
    }
    const double b = w.bias.data.empty() ? 0.0 : w.bias.data[o];
    bias[o] = static_cast<float>(a * (b - bn.running_mean.data[o]) + bn.beta.data[o]);
  }
  w.bias = {{units}, std::move(bias)};
  w.weight_scale_log2.reset();  // the folded weights have a new range
}

}  // namespace

FoldedNetwork fold_batchnorm(const Network& network, const Weights& weights) {
  const std::vector<Layer>& layers = network.layers();
  std::vector<int> consumers(layers.size(), 0);
  for (std::size_t i = 0; i < layers.size(); ++i) {
    for (const std::size_t j : network.input_indices(i)) ++consumers[j];
  }
  FoldedNetwork folded{Network{}, weights};
  std::vector<std::size_t> source(layers.size());  // the layer now producing each layer's output
  std::vector<bool> removed(layers.size(), false);
  std::vector<bool> gets_bias(layers.size(), false);
  std::vector<Layer> kept_layers;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    source[i] = i;
    if (layers[i].kind == LayerKind::batchnorm) {
      const std::size_t j = network.input_indices(i).front();
      if (layers[j].has_weights() && consumers[j] == 1) {
        fold_into(layers[j], layers[i], weights.at(layers[i].name), folded.weights.at(layers[j].name));
        folded.weights.layers.erase(layers[i].name);
        removed[i] = true;
        gets_bias[j] = true;
        source[i] = source[j];
      }
    }
  }
  for (std::size_t i = 0; i < layers.size(); ++i) {
    if (removed[i]) continue;
    Layer layer = layers[i];
    if (gets_bias[i]) layer.bias = true;
    if (layer.kind != LayerKind::input) {
      std::vector<std::string> inputs;
      for (const std::size_t j : network.input_indices(i)) inputs.push_back(layers[source[j]].name);
      const bool follows_previous =
          inputs.size() == 1 && !kept_layers.empty() && inputs[0] == kept_layers.back().name;
      layer.inputs = layer.inputs.empty() && follows_previous ? std::vector<std::string>{} : inputs;
    }
    kept_layers.push_back(std::move(layer));
  }
  folded.network = Network(network.name(), std::move(kept_layers));
  folded.network.set_preprocessing(network.preprocessing());
  return folded;
}

}  // namespace codse::nn
