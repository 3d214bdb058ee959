// add_skip and remove_skip.

#include <fmt/format.h>

#include "core/error.hpp"
#include "nn/morph/morphism.hpp"
#include "nn/morph/morphism_plans.hpp"
#include "nn/morph/morphism_support.hpp"

namespace codse::nn {

using namespace morphism_support;

namespace {

std::string shape_text(const Shape& s) { return fmt::format("{}x{}x{}", s.channels, s.height, s.width); }

bool is_activation(const Layer& layer) {
  return layer.kind == LayerKind::relu || layer.kind == LayerKind::quant;
}

std::optional<int> recorded_activation_scale(const Weights& weights, const std::string& layer) {
  return weights.contains(layer) ? weights.at(layer).activation_scale_log2 : std::nullopt;
}

/// True when `second` applies again exactly what `first` applied (relu after relu, or the same
/// quantizer at the same scale), so that it changes nothing.
bool repeats(const Layer& first, const Layer& second, const Weights& weights) {
  if (!is_activation(first) || first.kind != second.kind) return false;
  if (first.kind == LayerKind::relu) return true;
  return first.activation_quant == second.activation_quant &&
         recorded_activation_scale(weights, first.name) == recorded_activation_scale(weights, second.name);
}

}  // namespace

namespace morphism_plans {

SkipPlan plan_skip(const Network& network, std::size_t from, std::size_t to) {
  const auto& source = network.layers()[from];
  const auto& target = network.layers()[to];
  if (from >= to)
    throw InputError(
        fmt::format("add_skip: layer {} does not come before layer {}", source.name, target.name));
  for (auto i : network.input_indices(to))
    if (i == from)
      throw InputError(fmt::format("add_skip: layer {} already feeds {} directly", source.name, target.name));
  const Shape sf = network.shapes()[from];
  const Shape st = network.shapes()[to];
  if (sf == st) return {SkipBranch::batchnorm, 1};
  if (st.height == 1 && st.width == 1) return {SkipBranch::dense, 1};
  for (int stride = 1; stride <= std::max(sf.height, sf.width); ++stride)
    if ((sf.height - 1) / stride + 1 == st.height && (sf.width - 1) / stride + 1 == st.width)
      return {SkipBranch::conv, stride};
  throw InputError(fmt::format("add_skip: no projection from {} ({}) onto {} ({})", source.name,
                               shape_text(sf), target.name, shape_text(st)));
}

void check_remove_skip(const Network& network, std::size_t add) {
  const auto& layer = network.layers()[add];
  if (layer.kind != LayerKind::add)
    throw InputError(
        fmt::format("remove_skip: layer {} is a {} layer, not an add", layer.name, to_string(layer.kind)));
  if (add + 1 == network.layers().size())
    throw InputError(fmt::format("remove_skip: add {} is the output layer", layer.name));
}

}  // namespace morphism_plans

WeightedNetwork add_skip(const WeightedNetwork& parent, const std::string& from, const std::string& to) {
  const Network& net = parent.network;
  const auto from_index = find_layer(net, from, "add_skip");
  const auto to_index = find_layer(net, to, "add_skip");
  const auto plan = morphism_plans::plan_skip(net, from_index, to_index);
  check_weights(net, parent.weights, "add_skip");
  const Shape sf = net.shapes()[from_index];
  const Shape st = net.shapes()[to_index];
  const auto& target = net.layers()[to_index];

  auto layers = explicit_layers(net);
  Layer branch;
  branch.name = unique_name(
      layers, to + (plan.branch == morphism_plans::SkipBranch::batchnorm ? "_skip_bn" : "_skip_proj"));
  branch.inputs = {from};
  LayerWeights branch_weights;
  switch (plan.branch) {
    case morphism_plans::SkipBranch::batchnorm:
      // gamma = 0 and beta = 0: the branch outputs exactly 0 whatever its input.
      branch.kind = LayerKind::batchnorm;
      branch_weights.gamma = make_tensor({sf.channels});
      branch_weights.beta = make_tensor({sf.channels});
      branch_weights.running_mean = make_tensor({sf.channels});
      branch_weights.running_var = make_tensor({sf.channels}, 1.0f);
      break;
    case morphism_plans::SkipBranch::dense:
    case morphism_plans::SkipBranch::conv:
      branch.kind = plan.branch == morphism_plans::SkipBranch::dense ? LayerKind::dense : LayerKind::conv2d;
      branch.units = st.channels;
      if (branch.kind == LayerKind::conv2d) {
        branch.kernel = 1;
        branch.stride = plan.stride;
      }
      branch.weight_quant = with_zero_level(nearby_weight_quant(net, to_index));
      branch_weights.weight = branch.kind == LayerKind::dense ? make_tensor({st.channels, sf.size()})
                                                              : make_tensor({st.channels, sf.channels, 1, 1});
      branch_weights.bias = make_tensor({st.channels});
      break;
  }
  Layer sum;
  sum.kind = LayerKind::add;
  sum.name = unique_name(layers, to + "_skip_add");
  sum.inputs = {to, branch.name};
  std::vector<Layer> inserted{branch, sum};
  if (is_activation(target)) {
    Layer again = target;
    again.name = unique_name(layers, to + "_skip_act");
    again.inputs = {sum.name};
    inserted.push_back(again);
  }
  rename_inputs(layers, to, inserted.back().name);
  layers.insert(layers.begin() + static_cast<std::ptrdiff_t>(to_index) + 1, inserted.begin(), inserted.end());

  WeightedNetwork child{to_network(net, std::move(layers)), parent.weights};
  child.weights.layers[branch.name] = std::move(branch_weights);
  if (inserted.size() == 3) {
    if (const auto scale = recorded_activation_scale(parent.weights, to)) {
      LayerWeights w;
      w.activation_scale_log2 = scale;
      child.weights.layers[inserted.back().name] = w;
    }
  }
  return child;
}

WeightedNetwork remove_skip(const WeightedNetwork& parent, const std::string& add_layer) {
  const Network& net = parent.network;
  const auto index = find_layer(net, add_layer, "remove_skip");
  morphism_plans::check_remove_skip(net, index);
  check_weights(net, parent.weights, "remove_skip");
  const auto main = net.layers()[net.input_indices(index).front()];
  std::vector<std::string> readers;
  const auto readers_of = consumers(net);
  for (auto r : readers_of[index]) readers.push_back(net.layers()[r].name);

  auto layers = explicit_layers(net);
  WeightedNetwork child{Network{}, parent.weights};
  rename_inputs(layers, add_layer, main.name);
  erase_layers(layers, child.weights, {add_layer});
  remove_dead_layers(layers, child.weights);
  for (const auto& reader : readers) {
    const auto& layer = layers[position(layers, reader)];
    if (layer.inputs == std::vector<std::string>{main.name} && repeats(main, layer, parent.weights) &&
        position(layers, reader) + 1 < layers.size()) {
      rename_inputs(layers, reader, main.name);
      erase_layers(layers, child.weights, {reader});
    }
  }
  child.network = to_network(net, std::move(layers));
  return child;
}

namespace morphism_plans {

const MorphismRule add_skip_rule{
    .function_preserving = true,
    // At an activation `to`: a skip from every earlier activation or the input that fits.
    .find =
        [](const Network& network, std::size_t to, std::vector<Morphism>& found) {
          const auto& layers = network.layers();
          if (!is_activation(layers[to])) return;
          for (std::size_t from = 0; from < to; ++from)
            if ((is_activation(layers[from]) || layers[from].kind == LayerKind::input) &&
                applies([&] { plan_skip(network, from, to); }))
              add_instance(found, MorphismKind::add_skip, layers[from]).to = layers[to].name;
        },
    .apply = [](const WeightedNetwork& parent, const Morphism& m,
                std::mt19937_64&) { return add_skip(parent, m.layer, m.to); },
    .describe = [](const Morphism& m) { return fmt::format("add_skip from {} to {}", m.layer, m.to); },
};

const MorphismRule remove_skip_rule{
    .function_preserving = false,
    .find =
        [](const Network& network, std::size_t index, std::vector<Morphism>& found) {
          if (applies([&] { check_remove_skip(network, index); }))
            add_instance(found, MorphismKind::remove_skip, network.layers()[index]);
        },
    .apply = [](const WeightedNetwork& parent, const Morphism& m,
                std::mt19937_64&) { return remove_skip(parent, m.layer); },
    .describe = [](const Morphism& m) { return fmt::format("remove_skip {}", m.layer); },
};

}  // namespace morphism_plans

}  // namespace codse::nn
