#include "nn/morph/morphism_support.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/error.hpp"
#include "nn/quant/quantizer.hpp"

namespace codse::nn::morphism_support {
namespace {

std::string shape_text(const std::vector<std::int64_t>& shape) {
  std::string text;
  for (auto d : shape) text += (text.empty() ? "" : ", ") + std::to_string(d);
  return "[" + text + "]";
}

void check_tensor(const Layer& layer, const char* morphism, const char* tensor, const Tensor& t,
                  const std::vector<std::int64_t>& expected) {
  if (t.shape != expected || static_cast<std::int64_t>(t.data.size()) != t.numel())
    throw InputError(
        fmt::format("{}: the weights do not fit the network: layer {} {} has shape {}, expected {}", morphism,
                    layer.name, tensor, shape_text(t.shape), shape_text(expected)));
}

}  // namespace

std::vector<Layer> explicit_layers(const Network& network) {
  std::vector<Layer> layers = network.layers();
  for (std::size_t i = 1; i < layers.size(); ++i)
    if (layers[i].inputs.empty()) layers[i].inputs = {layers[i - 1].name};
  return layers;
}

Network to_network(const Network& parent, std::vector<Layer> layers) {
  for (std::size_t i = 1; i < layers.size(); ++i) {
    auto& inputs = layers[i].inputs;
    if (layers[i].kind != LayerKind::add && inputs.size() == 1 && inputs[0] == layers[i - 1].name)
      inputs.clear();
  }
  Network child(parent.name(), std::move(layers));
  child.set_preprocessing(parent.preprocessing());  // a child reads the same samples as its parent
  return child;
}

std::vector<std::vector<std::size_t>> consumers(const Network& network) {
  std::vector<std::vector<std::size_t>> readers(network.layers().size());
  for (std::size_t i = 0; i < network.layers().size(); ++i)
    for (auto j : network.input_indices(i)) readers[j].push_back(i);
  return readers;
}

std::size_t position(const std::vector<Layer>& layers, const std::string& name) {
  for (std::size_t i = 0; i < layers.size(); ++i)
    if (layers[i].name == name) return i;
  throw std::logic_error("morphism: no layer " + name + " in the edited network");
}

std::string unique_name(const std::vector<Layer>& layers, const std::string& base) {
  auto taken = [&](const std::string& name) {
    return std::any_of(layers.begin(), layers.end(), [&](const Layer& l) { return l.name == name; });
  };
  if (!taken(base)) return base;
  for (int suffix = 2;; ++suffix) {
    auto name = fmt::format("{}_{}", base, suffix);
    if (!taken(name)) return name;
  }
}

void rename_inputs(std::vector<Layer>& layers, const std::string& from, const std::string& to,
                   const std::set<std::string>& except) {
  for (auto& layer : layers) {
    if (except.count(layer.name)) continue;
    for (auto& input : layer.inputs)
      if (input == from) input = to;
  }
}

void erase_layers(std::vector<Layer>& layers, Weights& weights, const std::set<std::string>& names) {
  std::erase_if(layers, [&](const Layer& l) { return names.count(l.name) != 0; });
  for (const auto& name : names) weights.layers.erase(name);
}

void remove_dead_layers(std::vector<Layer>& layers, Weights& weights) {
  while (true) {
    std::set<std::string> read;
    for (const auto& layer : layers) read.insert(layer.inputs.begin(), layer.inputs.end());
    std::set<std::string> dead;
    for (std::size_t i = 1; i + 1 < layers.size(); ++i)
      if (!read.count(layers[i].name)) dead.insert(layers[i].name);
    if (dead.empty()) return;
    erase_layers(layers, weights, dead);
  }
}

std::size_t find_layer(const Network& network, const std::string& name, const char* morphism) {
  for (std::size_t i = 0; i < network.layers().size(); ++i)
    if (network.layers()[i].name == name) return i;
  throw InputError(fmt::format("{}: network {} has no layer '{}'", morphism, network.name(), name));
}

void check_weights(const Network& network, const Weights& weights, const char* morphism) {
  for (std::size_t i = 0; i < network.layers().size(); ++i) {
    const auto& layer = network.layers()[i];
    if (!layer.has_weights() && layer.kind != LayerKind::batchnorm) continue;
    if (!weights.contains(layer.name))
      throw InputError(fmt::format("{}: the weights do not fit the network: no weights for layer {}",
                                   morphism, layer.name));
    const auto& w = weights.at(layer.name);
    const auto in = network.shapes()[network.input_indices(i).front()];
    if (layer.kind == LayerKind::batchnorm) {
      const std::vector<std::int64_t> channels{in.channels};
      check_tensor(layer, morphism, "gamma", w.gamma, channels);
      check_tensor(layer, morphism, "beta", w.beta, channels);
      check_tensor(layer, morphism, "running_mean", w.running_mean, channels);
      check_tensor(layer, morphism, "running_var", w.running_var, channels);
      continue;
    }
    const std::vector<std::int64_t> expected =
        layer.kind == LayerKind::dense
            ? std::vector<std::int64_t>{layer.units, in.size()}
            : std::vector<std::int64_t>{layer.units, in.channels, layer.kernel, layer.kernel};
    check_tensor(layer, morphism, "weight", w.weight, expected);
    if (!w.bias.shape.empty()) check_tensor(layer, morphism, "bias", w.bias, {layer.units});
    if (!w.mask.shape.empty()) check_tensor(layer, morphism, "mask", w.mask, expected);
  }
}

QuantSpec nearby_weight_quant(const Network& network, std::size_t index) {
  for (std::size_t i = index; i-- > 0;)
    if (network.layers()[i].has_weights()) return network.layers()[i].weight_quant;
  return QuantSpec{};
}

QuantSpec with_zero_level(QuantSpec q) {
  q.scale_log2.reset();
  if (is_binary(q)) q = QuantSpec{2, true, true, std::nullopt};
  return q;
}

Tensor make_tensor(std::vector<std::int64_t> shape, float fill) {
  Tensor t;
  t.shape = std::move(shape);
  t.data.assign(static_cast<std::size_t>(t.numel()), fill);
  return t;
}

std::vector<double> unit_norms(const LayerWeights& w) {
  const auto values = masked_weights(w);
  const auto units = static_cast<std::size_t>(w.weight.shape.at(0));
  const std::size_t per_unit = units == 0 ? 0 : values.size() / units;
  std::vector<double> norms(units, 0.0);
  for (std::size_t u = 0; u < units; ++u) {
    double sum = 0.0;
    for (std::size_t k = 0; k < per_unit; ++k)
      sum += static_cast<double>(values[u * per_unit + k]) * values[u * per_unit + k];
    norms[u] = std::sqrt(sum);
  }
  return norms;
}

}  // namespace codse::nn::morphism_support
