// The catalogue of morphisms: the registry's names and rules, what applies to a network,
// dispatch and sampling. What each kind does is in its own file (its MorphismRule).

#include "nn/morph/morphism.hpp"

#include <fmt/format.h>

#include <array>
#include <map>
#include <stdexcept>

#include "core/error.hpp"
#include "nn/morph/morphism_plans.hpp"

namespace codse::nn {
namespace {

using morphism_plans::MorphismRule;

struct Registered {
  MorphismKind kind;
  const char* name;
  const MorphismRule* rule;
};

#define CODSE_NN_MORPHISM_ENTRY(name) Registered{MorphismKind::name, #name, &morphism_plans::name##_rule},
const std::array kRegistry{CODSE_NN_MORPHISM_KINDS(CODSE_NN_MORPHISM_ENTRY)};
#undef CODSE_NN_MORPHISM_ENTRY

#define CODSE_NN_MORPHISM_KIND(name) MorphismKind::name,
constexpr std::array kKinds{CODSE_NN_MORPHISM_KINDS(CODSE_NN_MORPHISM_KIND)};
#undef CODSE_NN_MORPHISM_KIND

const Registered& registered(MorphismKind kind) {
  const auto index = static_cast<std::size_t>(kind);
  if (index >= kRegistry.size()) throw std::logic_error("morphism: unknown kind");
  return kRegistry[index];
}

}  // namespace

std::span<const MorphismKind> all_morphism_kinds() { return kKinds; }

const char* to_string(MorphismKind kind) { return registered(kind).name; }

std::optional<MorphismKind> morphism_kind_from_string(std::string_view name) {
  for (const auto& entry : kRegistry)
    if (name == entry.name) return entry.kind;
  return std::nullopt;
}

bool is_function_preserving(MorphismKind kind) { return registered(kind).rule->function_preserving; }

std::string describe(const Morphism& m) { return registered(m.kind).rule->describe(m); }

std::vector<Morphism> applicable_morphisms(const Network& network) {
  std::vector<Morphism> found;
  for (const auto& entry : kRegistry)
    for (std::size_t i = 0; i < network.layers().size(); ++i) entry.rule->find(network, i, found);
  return found;
}

WeightedNetwork apply_morphism(const WeightedNetwork& parent, const Morphism& m, std::mt19937_64& rng) {
  return registered(m.kind).rule->apply(parent, m, rng);
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
