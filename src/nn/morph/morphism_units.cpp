// widen and prune_units: both rebuild a layer's units from a map new unit -> old unit, and carry
// the map through the per-channel layers after it into the inputs of the next weighted layers.

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "core/error.hpp"
#include "nn/morph/morphism.hpp"
#include "nn/morph/morphism_plans.hpp"
#include "nn/morph/morphism_support.hpp"

namespace codse::nn {
namespace {

using namespace morphism_support;
using morphism_plans::trace_unit_path;

/// Copies slices along `axis` (0 or 1) of a tensor: slice j of the result is slice from[j] of t,
/// times scale[j] when scales are given.
Tensor gather(const Tensor& t, std::size_t axis, const std::vector<std::size_t>& from,
              const std::vector<float>* scale) {
  if (t.shape.empty()) return t;  // an absent tensor stays absent
  Tensor out;
  out.shape = t.shape;
  const auto outer = axis == 0 ? std::size_t{1} : static_cast<std::size_t>(t.shape[0]);
  const auto old_len = static_cast<std::size_t>(t.shape[axis]);
  const auto inner = t.data.size() / outer / old_len;
  out.shape[axis] = static_cast<std::int64_t>(from.size());
  out.data.resize(outer * from.size() * inner);
  for (std::size_t o = 0; o < outer; ++o)
    for (std::size_t j = 0; j < from.size(); ++j) {
      const float* source = t.data.data() + (o * old_len + from[j]) * inner;
      float* target = out.data.data() + (o * from.size() + j) * inner;
      const float factor = scale ? (*scale)[j] : 1.0f;
      for (std::size_t k = 0; k < inner; ++k) target[k] = source[k] * factor;
    }
  return out;
}

/// Expands a unit map to `per` consecutive entries per unit: a flatten orders features
/// channel-major, so feature c * per + p belongs to channel c.
std::vector<std::size_t> expand(const std::vector<std::size_t>& units, std::size_t per) {
  std::vector<std::size_t> out;
  out.reserve(units.size() * per);
  for (auto u : units)
    for (std::size_t p = 0; p < per; ++p) out.push_back(u * per + p);
  return out;
}

/// Rebuilds layer `index` with units taken from `from` (new unit j copies old unit from[j]).
/// With `split`, the next weighted layers divide each input by the number of copies of its unit,
/// so their outputs are unchanged.
WeightedNetwork remap_units(const WeightedNetwork& parent, std::size_t index,
                            const std::vector<std::size_t>& from, bool split, const char* morphism) {
  const Network& net = parent.network;
  const auto path = trace_unit_path(net, index, morphism);
  const auto old_units = static_cast<std::size_t>(net.layers()[index].units);

  auto layers = explicit_layers(net);
  layers[index].units = static_cast<int>(from.size());
  WeightedNetwork child{to_network(net, std::move(layers)), parent.weights};

  auto& own = child.weights.at(net.layers()[index].name);
  own.weight = gather(own.weight, 0, from, nullptr);
  own.bias = gather(own.bias, 0, from, nullptr);
  own.mask = gather(own.mask, 0, from, nullptr);

  std::vector<float> copies(old_units, 0.0f);
  for (auto u : from) copies[u] += 1.0f;
  for (auto i : path.per_channel) {
    const auto& layer = net.layers()[i];
    if (layer.kind != LayerKind::batchnorm) continue;
    auto& w = child.weights.at(layer.name);
    const auto per = static_cast<std::size_t>(w.gamma.numel()) / old_units;
    const auto map = expand(from, per);
    for (Tensor* t : {&w.gamma, &w.beta, &w.running_mean, &w.running_var}) *t = gather(*t, 0, map, nullptr);
  }
  for (auto i : path.weighted_consumers) {
    auto& w = child.weights.at(net.layers()[i].name);
    const auto per = static_cast<std::size_t>(w.weight.shape.at(1)) / old_units;
    const auto map = expand(from, per);
    std::vector<float> scale(map.size(), 1.0f);
    if (split)
      for (std::size_t j = 0; j < map.size(); ++j) scale[j] = 1.0f / copies[from[j / per]];
    w.weight = gather(w.weight, 1, map, &scale);
    w.mask = gather(w.mask, 1, map, nullptr);
  }
  return child;
}

}  // namespace

namespace morphism_plans {

UnitPath trace_unit_path(const Network& network, std::size_t layer, const char* morphism) {
  const auto& l = network.layers()[layer];
  if (!l.has_weights()) throw InputError(fmt::format("{}: layer {} has no weights", morphism, l.name));
  const auto last = network.layers().size() - 1;
  if (layer == last)
    throw InputError(fmt::format("{}: layer {} is the output layer (its units are the network's outputs)",
                                 morphism, l.name));
  const auto readers = consumers(network);
  UnitPath path;
  std::vector<std::size_t> frontier{layer};
  while (!frontier.empty()) {
    const auto current = frontier.back();
    frontier.pop_back();
    for (auto c : readers[current]) {
      const auto& reader = network.layers()[c];
      if (reader.has_weights()) {
        path.weighted_consumers.push_back(c);
        continue;
      }
      if (reader.kind == LayerKind::add)
        throw InputError(fmt::format("{}: layer {} feeds add {}, whose two inputs must keep equal shapes",
                                     morphism, l.name, reader.name));
      if (c == last)
        throw InputError(
            fmt::format("{}: layer {} feeds the output layer {} directly", morphism, l.name, reader.name));
      path.per_channel.push_back(c);
      frontier.push_back(c);
    }
  }
  return path;
}

void check_prune_units(const Network& network, std::size_t layer, double fraction) {
  trace_unit_path(network, layer, "prune_units");
  const auto& l = network.layers()[layer];
  const auto removed = static_cast<int>(fraction * l.units);
  if (!(fraction > 0.0 && fraction < 1.0) || removed < 1 || removed >= l.units)
    throw InputError(
        fmt::format("prune_units: a fraction {} of the {} units of layer {} must remove at least one "
                    "unit and keep at least one",
                    fraction, l.units, l.name));
}

}  // namespace morphism_plans

WeightedNetwork widen(const WeightedNetwork& parent, const std::string& layer, int new_units,
                      std::mt19937_64& rng) {
  const auto index = find_layer(parent.network, layer, "widen");
  morphism_plans::trace_unit_path(parent.network, index, "widen");
  check_weights(parent.network, parent.weights, "widen");
  const auto units = static_cast<std::size_t>(parent.network.layers()[index].units);
  if (new_units <= static_cast<int>(units))
    throw InputError(fmt::format("widen: layer {} has {} units; {} is not more", layer, units, new_units));
  std::vector<std::size_t> from(units);
  std::iota(from.begin(), from.end(), std::size_t{0});
  // rng() % units rather than a distribution: the same copies on every standard library.
  while (from.size() < static_cast<std::size_t>(new_units))
    from.push_back(static_cast<std::size_t>(rng() % units));
  return remap_units(parent, index, from, true, "widen");
}

WeightedNetwork prune_units(const WeightedNetwork& parent, const std::string& layer, double fraction) {
  const auto index = find_layer(parent.network, layer, "prune_units");
  morphism_plans::check_prune_units(parent.network, index, fraction);
  check_weights(parent.network, parent.weights, "prune_units");
  const auto units = static_cast<std::size_t>(parent.network.layers()[index].units);
  const auto removed = static_cast<std::size_t>(fraction * static_cast<double>(units));
  const auto norms = unit_norms(parent.weights.at(layer));
  std::vector<std::size_t> order(units);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return norms[a] < norms[b]; });
  std::vector<std::size_t> kept(order.begin() + static_cast<std::ptrdiff_t>(removed), order.end());
  std::sort(kept.begin(), kept.end());
  return remap_units(parent, index, kept, false, "prune_units");
}

namespace morphism_plans {

constexpr double kPruneFraction = 0.25;

const MorphismRule widen_rule{
    .function_preserving = true,
    .find =
        [](const Network& network, std::size_t index, std::vector<Morphism>& found) {
          if (!applies([&] { trace_unit_path(network, index, "widen"); })) return;
          const auto& layer = network.layers()[index];
          add_instance(found, MorphismKind::widen, layer).units = layer.units + std::max(1, layer.units / 2);
        },
    .apply = [](const WeightedNetwork& parent, const Morphism& m,
                std::mt19937_64& rng) { return widen(parent, m.layer, m.units, rng); },
    .describe = [](const Morphism& m) { return fmt::format("widen {} to {} units", m.layer, m.units); },
};

const MorphismRule prune_units_rule{
    .function_preserving = false,
    .find =
        [](const Network& network, std::size_t index, std::vector<Morphism>& found) {
          if (applies([&] { check_prune_units(network, index, kPruneFraction); }))
            add_instance(found, MorphismKind::prune_units, network.layers()[index]).fraction = kPruneFraction;
        },
    .apply = [](const WeightedNetwork& parent, const Morphism& m,
                std::mt19937_64&) { return prune_units(parent, m.layer, m.fraction); },
    .describe = [](const Morphism& m) { return fmt::format("prune_units {} by {}", m.layer, m.fraction); },
};

}  // namespace morphism_plans

}  // namespace codse::nn
