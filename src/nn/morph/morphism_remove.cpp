// remove_layer: a weighted layer with the per-element layers after it, or one per-element or
// flatten layer, when the rest of the network keeps its shapes.

#include <fmt/format.h>

#include "core/error.hpp"
#include "nn/morph/morphism.hpp"
#include "nn/morph/morphism_plans.hpp"
#include "nn/morph/morphism_support.hpp"

namespace codse::nn {

using namespace morphism_support;

namespace {

std::string shape_text(const Shape& s) { return fmt::format("{}x{}x{}", s.channels, s.height, s.width); }

/// The layers removed with `index`: a dense or conv2d layer takes along the chain of batchnorm
/// and dropout layers after it up to and including its activation, as long as each is the only
/// reader of the one before.
std::vector<std::size_t> removal_block(const Network& network, std::size_t index) {
  std::vector<std::size_t> block{index};
  if (!network.layers()[index].has_weights()) return block;
  const auto readers = consumers(network);
  const auto last = network.layers().size() - 1;
  auto current = index;
  while (readers[current].size() == 1) {
    const auto next = readers[current].front();
    const auto kind = network.layers()[next].kind;
    const bool activation = kind == LayerKind::relu || kind == LayerKind::quant;
    if (next == last || !(activation || kind == LayerKind::batchnorm || kind == LayerKind::dropout)) break;
    block.push_back(next);
    current = next;
    if (activation) break;
  }
  return block;
}

/// The layers without the block; the readers of its last layer read the block's input instead.
std::vector<Layer> without_block(const Network& network, const std::vector<std::size_t>& block) {
  auto layers = explicit_layers(network);
  const auto& input = network.layers()[network.input_indices(block.front()).front()].name;
  rename_inputs(layers, network.layers()[block.back()].name, input);
  std::set<std::string> names;
  for (auto i : block) names.insert(network.layers()[i].name);
  std::erase_if(layers, [&](const Layer& l) { return names.count(l.name) != 0; });
  return layers;
}

/// The shape a layer's parameters depend on: dense only sees the number of features.
Shape parameter_input(const Network& network, std::size_t index) {
  const Shape in = network.shapes()[network.input_indices(index).front()];
  if (network.layers()[index].kind == LayerKind::dense) return Shape{static_cast<int>(in.size()), 1, 1};
  return in;
}

}  // namespace

namespace morphism_plans {

std::set<std::string> plan_removal(const Network& network, std::size_t index) {
  const auto& layer = network.layers()[index];
  if (layer.kind == LayerKind::input)
    throw InputError(fmt::format("remove_layer: layer {} is the input layer", layer.name));
  if (index + 1 == network.layers().size())
    throw InputError(fmt::format("remove_layer: layer {} is the output layer", layer.name));
  if (layer.kind == LayerKind::add)
    throw InputError(fmt::format("remove_layer: layer {} is an add; remove_skip removes it", layer.name));
  const auto block = removal_block(network, index);
  std::set<std::string> names;
  for (auto i : block) names.insert(network.layers()[i].name);
  const auto listed = [&] {
    std::string text;
    for (auto i : block) text += (text.empty() ? "" : ", ") + network.layers()[i].name;
    return text;
  };
  Network child;
  try {
    child = to_network(network, without_block(network, block));
  } catch (const InputError& error) {
    throw InputError(
        fmt::format("remove_layer: removing {} leaves an invalid network: {}", listed(), error.what()));
  }
  for (std::size_t c = 0; c < child.layers().size(); ++c) {
    const auto& kept = child.layers()[c];
    if (!kept.has_weights() && kept.kind != LayerKind::batchnorm) continue;
    const auto before = parameter_input(network, network.index_of(kept.name));
    const auto after = parameter_input(child, c);
    if (!(before == after))
      throw InputError(fmt::format("remove_layer: removing {} changes the input of layer {} from {} to {}",
                                   listed(), kept.name, shape_text(before), shape_text(after)));
  }
  return names;
}

}  // namespace morphism_plans

WeightedNetwork remove_layer(const WeightedNetwork& parent, const std::string& layer) {
  const Network& net = parent.network;
  const auto index = find_layer(net, layer, "remove_layer");
  const auto names = morphism_plans::plan_removal(net, index);
  check_weights(net, parent.weights, "remove_layer");
  WeightedNetwork child{to_network(net, without_block(net, removal_block(net, index))),
                        parent.weights};
  for (const auto& name : names) child.weights.layers.erase(name);
  return child;
}

namespace morphism_plans {

const MorphismRule remove_layer_rule{
    .function_preserving = false,
    .find =
        [](const Network& network, std::size_t index, std::vector<Morphism>& found) {
          if (applies([&] { plan_removal(network, index); }))
            add_instance(found, MorphismKind::remove_layer, network.layers()[index]);
        },
    .apply = [](const WeightedNetwork& parent, const Morphism& m,
                std::mt19937_64&) { return remove_layer(parent, m.layer); },
    .describe = [](const Morphism& m) { return fmt::format("remove_layer {}", m.layer); },
};

}  // namespace morphism_plans

}  // namespace codse::nn
