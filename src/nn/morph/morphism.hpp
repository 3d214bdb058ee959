#pragma once
// Network morphisms (LEMONADE: Elsken, Metzen and Hutter, ICLR 2019; Net2Net: Chen, Goodfellow and
// Shlens, ICLR 2016): a change of a network whose child inherits the parent's weights, so that it
// needs only a short training instead of one from scratch.
//
// Function-preserving morphisms leave what the network computes in float32 unchanged (up to float
// rounding; tests check 1e-5 on random inputs with reference_forward):
//   widen(layer, units)   a dense or conv2d layer gets more units; each new unit copies a random
//                         existing one (weights, bias, mask, and the per-channel parameters of the
//                         batchnorm layers after it), and the next weighted layers divide the
//                         outgoing weights of every copied unit by its number of copies.
//   deepen(after)         after a relu or quant activation, inserts an identity-initialised dense
//                         layer (vector input) or conv3x3 with padding 1 and as many filters as
//                         channels (CHW input), zero bias, followed by a copy of the activation
//                         (same kind, bits and recorded scale). Identity, then ReLU or the same
//                         quantizer, of values that already went through it changes nothing. The new
//                         layer takes the weight quantization of the nearest weighted layer before
//                         it, but ternary where that is binary, whose levels cannot hold 0.
//   add_skip(from, to)    an add after `to` of `to` (main) and a branch from `from` that is
//                         initialised to contribute zero: a batchnorm with gamma = beta = 0 when the
//                         shapes are equal (a scaled identity skip, as in zero-gamma ResNet init),
//                         else a zero-initialised projection (dense onto a vector; conv 1x1 with
//                         a stride onto a smaller CHW). When `to` is a relu or quant layer, a copy of
//                         it follows the add so the next layer still reads activations of its kind.
// Approximate morphisms change the function a little and expect some retraining:
//   remove_layer(layer)   a dense/conv2d layer with the batchnorm, dropout and activation after
//                         it, or one batchnorm, relu, quant, dropout or flatten layer; only when
//                         every remaining layer keeps its input shape.
//   remove_skip(add)      replaces an add by its main (first) input and drops the layers only the
//                         skip fed; an activation left directly after an equal one is dropped too.
//   prune_units(layer, f) structured: drops floor(f * units) units of smallest L2 weight norm, with
//                         their batchnorm channels and the matching inputs of the next layers.
//   lower_bits(layer, b)  fewer weight bits (dense, conv2d) or activation bits (quant, input); a
//                         scale exponent is moved so that the largest level keeps its range.
//   raise_sparsity(l, t)  a higher sparsity target; the mask prunes by magnitude (weights, or
//                         whole units by L2 norm when the layer's sparsity is structured).
// Each morphism throws InputError when it does not apply ("widen: layer act1 has no weights"), and
// when the weights do not fit the network. Parent weights are never modified.

#include <optional>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "nn/ir/network.hpp"
#include "nn/ir/weights.hpp"

namespace codse::nn {

/// A network with its weights: what a morphism takes and returns.
struct WeightedNetwork {
  Network network;
  Weights weights;
};

WeightedNetwork widen(const WeightedNetwork& parent, const std::string& layer, int new_units,
                      std::mt19937_64& rng);
WeightedNetwork deepen(const WeightedNetwork& parent, const std::string& after_layer);
WeightedNetwork add_skip(const WeightedNetwork& parent, const std::string& from, const std::string& to);
WeightedNetwork remove_layer(const WeightedNetwork& parent, const std::string& layer);
WeightedNetwork remove_skip(const WeightedNetwork& parent, const std::string& add_layer);
WeightedNetwork prune_units(const WeightedNetwork& parent, const std::string& layer, double fraction);
WeightedNetwork lower_bits(const WeightedNetwork& parent, const std::string& layer, int bits);
WeightedNetwork raise_sparsity(const WeightedNetwork& parent, const std::string& layer, double target);

// The registry of morphism kinds: the only list of them, in their canonical order (the order
// applicable_morphisms lists them in and all_morphism_kinds returns). Each line X(name) makes the
// enumerator MorphismKind::name, the name "name" of to_string / morphism_kind_from_string (as
// explore configs write it), and refers to `morphism_plans::name_rule` (morphism_plans.hpp): what
// applies, how it is applied and described. Adding a morphism is one line here and one file
// defining its rule (and, optionally, a named function like widen() below).
#define CODSE_NN_MORPHISM_KINDS(X) \
  X(widen)                         \
  X(deepen)                        \
  X(add_skip)                      \
  X(remove_layer)                  \
  X(remove_skip)                   \
  X(prune_units)                   \
  X(lower_bits)                    \
  X(raise_sparsity)

enum class MorphismKind {
#define CODSE_NN_MORPHISM_ENUMERATOR(name) name,
  CODSE_NN_MORPHISM_KINDS(CODSE_NN_MORPHISM_ENUMERATOR)
#undef CODSE_NN_MORPHISM_ENUMERATOR
};

/// Every morphism kind, in the registry's order.
std::span<const MorphismKind> all_morphism_kinds();
/// The kind's name ("widen", "add_skip", ...).
const char* to_string(MorphismKind kind);
/// The kind named `name` (as to_string writes it); std::nullopt when no kind has that name.
std::optional<MorphismKind> morphism_kind_from_string(std::string_view name);
bool is_function_preserving(MorphismKind kind);

/// One concrete morphism: its kind, the layer it applies to and its parameter.
struct Morphism {
  MorphismKind kind = MorphismKind::widen;
  std::string layer;      // add_skip: the source `from`; deepen: the activation after which
  std::string to;         // add_skip only: the layer whose output gets the skip
  int units = 0;          // widen: the new number of units
  double fraction = 0.0;  // prune_units
  int bits = 0;           // lower_bits
  double target = 0.0;    // raise_sparsity
  bool operator==(const Morphism&) const = default;
};

/// "widen fc1 to 384 units", "add_skip act1 -> act3", ...
std::string describe(const Morphism& morphism);

/// Every morphism that applies to the network, with the parameters LEMONADE uses by default:
/// widen by half (at least one unit), prune a quarter of the units, lower bits to the next of
/// 8, 4, 2, 1 (float: 8), raise sparsity to the next of 0.25, 0.5, 0.75, 0.9. Deterministic, in
/// layer order; every entry applies without error. Cost: O(layers^2) for the skip pairs.
std::vector<Morphism> applicable_morphisms(const Network& network);

/// Applies one morphism; `rng` chooses the units widen copies.
WeightedNetwork apply_morphism(const WeightedNetwork& parent, const Morphism& morphism, std::mt19937_64& rng);

/// A random applicable morphism: a kind uniformly among the kinds that apply, then one of its
/// instances uniformly (so the many skip pairs do not crowd out the rest). Optionally only
/// function-preserving ones. Throws InputError when none applies.
Morphism sample_morphism(const Network& network, std::mt19937_64& rng, bool function_preserving_only = false);

}  // namespace codse::nn
