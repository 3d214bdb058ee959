// The catalogue of morphisms: names, what applies to a network, dispatch and sampling.

#include "nn/morph/morphism.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>

#include "core/error.hpp"
#include "nn/morph/morphism_plans.hpp"

namespace codse::nn {
namespace {

using namespace morphism_plans;

constexpr std::array<int, 4> kBitLadder{8, 4, 2, 1};
constexpr std::array<double, 4> kSparsityLadder{0.25, 0.5, 0.75, 0.9};
constexpr double kPruneFraction = 0.25;

/// True when `check` does not throw InputError: the morphism applies.
template <typename Check>
bool applies(Check check) {
  try {
    check();
    return true;
  } catch (const InputError&) {
    return false;
  }
}

std::optional<int> next_lower_bits(const QuantSpec& q) {
  for (int bits : kBitLadder)
    if (q.is_float() || bits < q.bits) return bits;
  return std::nullopt;
}

std::optional<double> next_sparsity(double target) {
  for (double t : kSparsityLadder)
    if (t > target) return t;
  return std::nullopt;
}

bool is_activation_or_input(const Layer& layer) {
  return layer.kind == LayerKind::relu || layer.kind == LayerKind::quant || layer.kind == LayerKind::input;
}

}  // namespace

const char* to_string(MorphismKind kind) {
  switch (kind) {
    case MorphismKind::widen:
      return "widen";
    case MorphismKind::deepen:
      return "deepen";
    case MorphismKind::add_skip:
      return "add_skip";
    case MorphismKind::remove_layer:
      return "remove_layer";
    case MorphismKind::remove_skip:
      return "remove_skip";
    case MorphismKind::prune_units:
      return "prune_units";
    case MorphismKind::lower_bits:
      return "lower_bits";
    case MorphismKind::raise_sparsity:
      return "raise_sparsity";
  }
  return "unknown";
}

bool is_function_preserving(MorphismKind kind) {
  return kind == MorphismKind::widen || kind == MorphismKind::deepen || kind == MorphismKind::add_skip;
}

std::string describe(const Morphism& m) {
  switch (m.kind) {
    case MorphismKind::widen:
      return fmt::format("widen {} to {} units", m.layer, m.units);
    case MorphismKind::deepen:
      return fmt::format("deepen after {}", m.layer);
    case MorphismKind::add_skip:
      return fmt::format("add_skip from {} to {}", m.layer, m.to);
    case MorphismKind::remove_layer:
      return fmt::format("remove_layer {}", m.layer);
    case MorphismKind::remove_skip:
      return fmt::format("remove_skip {}", m.layer);
    case MorphismKind::prune_units:
      return fmt::format("prune_units {} by {}", m.layer, m.fraction);
    case MorphismKind::lower_bits:
      return fmt::format("lower_bits {} to {} bits", m.layer, m.bits);
    case MorphismKind::raise_sparsity:
      return fmt::format("raise_sparsity {} to {}", m.layer, m.target);
  }
  return "unknown";
}

std::vector<Morphism> applicable_morphisms(const Network& network) {
  std::vector<Morphism> found;
  const auto& layers = network.layers();
  auto add = [&](MorphismKind kind, const Layer& layer) -> Morphism& {
    found.push_back(Morphism{kind, layer.name, {}, 0, 0.0, 0, 0.0});
    return found.back();
  };
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const auto& layer = layers[i];
    if (applies([&] { trace_unit_path(network, i, "widen"); }))
      add(MorphismKind::widen, layer).units = layer.units + std::max(1, layer.units / 2);
    if (applies([&] { check_deepen(network, i); })) add(MorphismKind::deepen, layer);
    if (layer.kind == LayerKind::relu || layer.kind == LayerKind::quant)
      for (std::size_t from = 0; from < i; ++from)
        if (is_activation_or_input(layers[from]) && applies([&] { plan_skip(network, from, i); }))
          add(MorphismKind::add_skip, layers[from]).to = layer.name;
    if (applies([&] { plan_removal(network, i); })) add(MorphismKind::remove_layer, layer);
    if (applies([&] { check_remove_skip(network, i); })) add(MorphismKind::remove_skip, layer);
    if (applies([&] { check_prune_units(network, i, kPruneFraction); }))
      add(MorphismKind::prune_units, layer).fraction = kPruneFraction;
    const auto* q = layer.has_weights() ? &layer.weight_quant
                    : (layer.kind == LayerKind::quant || layer.kind == LayerKind::input)
                        ? &layer.activation_quant
                        : nullptr;
    if (q)
      if (const auto bits = next_lower_bits(*q);
          bits && applies([&] { check_lower_bits(network, i, *bits); }))
        add(MorphismKind::lower_bits, layer).bits = *bits;
    if (const auto target = next_sparsity(layer.sparsity.target);
        target && applies([&] { check_raise_sparsity(network, i, *target); }))
      add(MorphismKind::raise_sparsity, layer).target = *target;
  }
  std::stable_sort(found.begin(), found.end(),
                   [](const Morphism& a, const Morphism& b) { return a.kind < b.kind; });
  return found;
}

WeightedNetwork apply_morphism(const WeightedNetwork& parent, const Morphism& m, std::mt19937_64& rng) {
  switch (m.kind) {
    case MorphismKind::widen:
      return widen(parent, m.layer, m.units, rng);
    case MorphismKind::deepen:
      return deepen(parent, m.layer);
    case MorphismKind::add_skip:
      return add_skip(parent, m.layer, m.to);
    case MorphismKind::remove_layer:
      return remove_layer(parent, m.layer);
    case MorphismKind::remove_skip:
      return remove_skip(parent, m.layer);
    case MorphismKind::prune_units:
      return prune_units(parent, m.layer, m.fraction);
    case MorphismKind::lower_bits:
      return lower_bits(parent, m.layer, m.bits);
    case MorphismKind::raise_sparsity:
      return raise_sparsity(parent, m.layer, m.target);
  }
  throw std::logic_error("apply_morphism: unknown kind");
}

Morphism sample_morphism(const Network& network, std::mt19937_64& rng, bool function_preserving_only) {
  std::map<MorphismKind, std::vector<Morphism>> by_kind;
  for (auto& m : applicable_morphisms(network))
    if (!function_preserving_only || is_function_preserving(m.kind)) by_kind[m.kind].push_back(std::move(m));
  if (by_kind.empty())
    throw InputError(fmt::format("no {}morphism applies to network {}",
                                 function_preserving_only ? "function-preserving " : "", network.name()));
  auto kind = by_kind.begin();
  std::advance(kind, static_cast<std::ptrdiff_t>(rng() % by_kind.size()));
  return kind->second[rng() % kind->second.size()];
}

}  // namespace codse::nn
