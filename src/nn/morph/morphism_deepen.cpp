// deepen: an identity-initialised layer and a copy of the activation, after an activation.

#include <fmt/format.h>

#include "core/error.hpp"
#include "nn/morph/morphism.hpp"
#include "nn/morph/morphism_plans.hpp"
#include "nn/morph/morphism_support.hpp"

namespace codse::nn {

using namespace morphism_support;

namespace morphism_plans {

void check_deepen(const Network& network, std::size_t after) {
  const auto& layer = network.layers()[after];
  if (layer.kind != LayerKind::relu && layer.kind != LayerKind::quant)
    throw InputError(fmt::format("deepen: layer {} is a {} layer, not an activation (relu or quant)",
                                 layer.name, to_string(layer.kind)));
}

}  // namespace morphism_plans

WeightedNetwork deepen(const WeightedNetwork& parent, const std::string& after_layer) {
  const Network& net = parent.network;
  const auto index = find_layer(net, after_layer, "deepen");
  morphism_plans::check_deepen(net, index);
  check_weights(net, parent.weights, "deepen");
  const auto& activation = net.layers()[index];
  const Shape shape = net.shapes()[index];
  const bool vector = shape.height == 1 && shape.width == 1;

  auto layers = explicit_layers(net);
  Layer identity;
  identity.kind = vector ? LayerKind::dense : LayerKind::conv2d;
  identity.name = unique_name(layers, after_layer + (vector ? "_deep_fc" : "_deep_conv"));
  identity.inputs = {after_layer};
  identity.units = shape.channels;
  if (!vector) {
    identity.kernel = 3;
    identity.padding = 1;
  }
  identity.weight_quant = with_zero_level(nearby_weight_quant(net, index));
  Layer copy = activation;
  copy.name = unique_name(layers, after_layer + "_deep_act");
  copy.inputs = {identity.name};
  rename_inputs(layers, after_layer, copy.name);
  layers.insert(layers.begin() + static_cast<std::ptrdiff_t>(index) + 1, {identity, copy});

  WeightedNetwork child{to_network(net, std::move(layers)), parent.weights};
  const auto c = static_cast<std::int64_t>(shape.channels);
  LayerWeights w;
  w.weight = vector ? make_tensor({c, c}) : make_tensor({c, c, 3, 3});
  const std::int64_t taps = vector ? 1 : 9;
  const std::int64_t centre = vector ? 0 : 4;  // the middle of the 3x3 kernel
  for (std::int64_t o = 0; o < c; ++o)
    w.weight.data[static_cast<std::size_t>((o * c + o) * taps + centre)] = 1.0f;
  w.bias = make_tensor({c});
  child.weights.layers[identity.name] = std::move(w);
  if (parent.weights.contains(after_layer)) {
    LayerWeights scale;
    scale.activation_scale_log2 = parent.weights.at(after_layer).activation_scale_log2;
    if (scale.activation_scale_log2) child.weights.layers[copy.name] = scale;
  }
  return child;
}

namespace morphism_plans {

const MorphismRule deepen_rule{
    .function_preserving = true,
    .find =
        [](const Network& network, std::size_t index, std::vector<Morphism>& found) {
          if (applies([&] { check_deepen(network, index); }))
            add_instance(found, MorphismKind::deepen, network.layers()[index]);
        },
    .apply = [](const WeightedNetwork& parent, const Morphism& m, std::mt19937_64&) { return deepen(parent, m.layer); },
    .describe = [](const Morphism& m) { return fmt::format("deepen after {}", m.layer); },
};

}  // namespace morphism_plans

}  // namespace codse::nn
