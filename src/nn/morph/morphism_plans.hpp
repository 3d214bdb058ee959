#pragma once
// The structural half of each morphism (internal to nn): whether it applies to a network and
// what it changes, without weights. The morphisms call these first, and applicable_morphisms
// lists exactly the morphisms whose plan succeeds. Each throws InputError naming the morphism
// and the layer when the morphism does not apply.
//
// Each kind of the registry (CODSE_NN_MORPHISM_KINDS in morphism.hpp) has a MorphismRule named
// after it, defined in the morphism's own file: morphism.cpp dispatches through these.

#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "nn/ir/network.hpp"
#include "nn/morph/morphism.hpp"

namespace codse::nn::morphism_plans {

/// What the catalogue (morphism.cpp) needs of one kind of morphism.
struct MorphismRule {
  bool function_preserving = false;
  /// Appends every instance of the morphism at layer `index` of the network, with the default
  /// parameters of applicable_morphisms (morphism.hpp); each must apply without error.
  void (*find)(const Network& network, std::size_t index, std::vector<Morphism>& found) = nullptr;
  WeightedNetwork (*apply)(const WeightedNetwork& parent, const Morphism& morphism, std::mt19937_64& rng) = nullptr;
  /// "widen fc1 to 384 units"
  std::string (*describe)(const Morphism& morphism) = nullptr;
};

#define CODSE_NN_MORPHISM_RULE(name) extern const MorphismRule name##_rule;
CODSE_NN_MORPHISM_KINDS(CODSE_NN_MORPHISM_RULE)
#undef CODSE_NN_MORPHISM_RULE

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

/// An instance of kind at layer, its parameters left at zero for the caller to set.
inline Morphism& add_instance(std::vector<Morphism>& found, MorphismKind kind, const Layer& layer) {
  found.push_back(Morphism{kind, layer.name, {}, 0, 0.0, 0, 0.0});
  return found.back();
}

/// The layers a dense or conv2d layer's units flow through until the next weighted layers:
/// per-channel layers (batchnorm, relu, quant, dropout, maxpool2d, flatten) and the dense or
/// conv2d layers that read them. Refuses the output layer and paths into an add.
struct UnitPath {
  std::vector<std::size_t> per_channel;
  std::vector<std::size_t> weighted_consumers;
};
UnitPath trace_unit_path(const Network& network, std::size_t layer, const char* morphism);

void check_deepen(const Network& network, std::size_t after);

/// The branch add_skip inserts from `from` to `to`.
enum class SkipBranch { batchnorm, dense, conv };
struct SkipPlan {
  SkipBranch branch = SkipBranch::batchnorm;
  int stride = 1;  // conv only
};
SkipPlan plan_skip(const Network& network, std::size_t from, std::size_t to);

/// The names of the layers remove_layer removes (checked: the rest keeps its shapes).
std::set<std::string> plan_removal(const Network& network, std::size_t layer);

void check_remove_skip(const Network& network, std::size_t add);
void check_prune_units(const Network& network, std::size_t layer, double fraction);
void check_lower_bits(const Network& network, std::size_t layer, int bits);
void check_raise_sparsity(const Network& network, std::size_t layer, double target);

}  // namespace codse::nn::morphism_plans
