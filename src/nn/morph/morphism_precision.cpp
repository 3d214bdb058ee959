// lower_bits and raise_sparsity: the same layers with fewer bits or more zeros.

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

#include "core/error.hpp"
#include "nn/morph/morphism.hpp"
#include "nn/morph/morphism_plans.hpp"
#include "nn/morph/morphism_support.hpp"
#include "nn/quant/quantizer.hpp"

namespace codse::nn {

using namespace morphism_support;

namespace {

bool has_activation_bits(const Layer& layer) {
  return layer.kind == LayerKind::input || layer.kind == LayerKind::quant;
}

const QuantSpec* bit_width_of(const Layer& layer) {
  if (layer.has_weights()) return &layer.weight_quant;
  if (has_activation_bits(layer)) return &layer.activation_quant;
  return nullptr;
}

/// The exponent that keeps the largest level's value when `from` (at exponent e) becomes `to`.
int moved_exponent(const QuantSpec& from, int e, const QuantSpec& to) {
  const float range = std::ldexp(static_cast<float>(level_max(from)), e);
  return choose_scale_log2(range, to);
}

/// Binary and ternary weights are +-2^e: 2^e near the mean magnitude keeps the layer's scale.
int mean_magnitude_exponent(const LayerWeights& w) {
  double sum = 0.0;
  std::size_t count = 0;
  for (float v : masked_weights(w))
    if (v != 0.0f) {
      sum += std::fabs(v);
      ++count;
    }
  return count == 0 ? 0 : static_cast<int>(std::lround(std::log2(sum / static_cast<double>(count))));
}

/// Zeroes the k entries (unstructured) or units (structured) of smallest magnitude in the mask.
Tensor magnitude_mask(const LayerWeights& w, const Layer& layer, double target) {
  Tensor mask = w.mask.shape.empty() ? make_tensor(w.weight.shape, 1.0f) : w.mask;
  const auto values = masked_weights(w);
  if (layer.sparsity.kind == SparsityKind::structured) {
    const auto norms = unit_norms(w);
    const auto units = norms.size();
    const auto per_unit = values.size() / units;
    std::vector<std::size_t> order(units);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return norms[a] < norms[b]; });
    const auto pruned = static_cast<std::size_t>(target * static_cast<double>(units));
    for (std::size_t r = 0; r < pruned; ++r)
      std::fill_n(mask.data.begin() + static_cast<std::ptrdiff_t>(order[r] * per_unit), per_unit, 0.0f);
    return mask;
  }
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](auto a, auto b) { return std::fabs(values[a]) < std::fabs(values[b]); });
  const auto pruned = static_cast<std::size_t>(target * static_cast<double>(values.size()));
  for (std::size_t r = 0; r < pruned; ++r) mask.data[order[r]] = 0.0f;
  return mask;
}

}  // namespace

namespace morphism_plans {

void check_lower_bits(const Network& network, std::size_t index, int bits) {
  const auto& layer = network.layers()[index];
  const auto* q = bit_width_of(layer);
  if (!q)
    throw InputError(fmt::format("lower_bits: layer {} is a {} layer, which has no bit width", layer.name,
                                 to_string(layer.kind)));
  const int current = q->is_float() ? 32 : q->bits;
  if (bits < 1 || bits >= current)
    throw InputError(fmt::format("lower_bits: layer {} has {} {}; {} bits is not fewer (and at least 1)",
                                 layer.name, q->is_float() ? "float" : std::to_string(current) + "-bit",
                                 layer.has_weights() ? "weights" : "activations", bits));
}

void check_raise_sparsity(const Network& network, std::size_t index, double target) {
  const auto& layer = network.layers()[index];
  if (!layer.has_weights())
    throw InputError(fmt::format("raise_sparsity: layer {} has no weights", layer.name));
  if (!(target > layer.sparsity.target && target < 1.0))
    throw InputError(fmt::format("raise_sparsity: layer {} has sparsity {}; {} is not higher (and below 1)",
                                 layer.name, layer.sparsity.target, target));
}

}  // namespace morphism_plans

WeightedNetwork lower_bits(const WeightedNetwork& parent, const std::string& layer_name, int bits) {
  const Network& net = parent.network;
  const auto index = find_layer(net, layer_name, "lower_bits");
  morphism_plans::check_lower_bits(net, index, bits);
  check_weights(net, parent.weights, "lower_bits");
  auto layers = explicit_layers(net);
  Layer& layer = layers[index];
  QuantSpec& q = layer.has_weights() ? layer.weight_quant : layer.activation_quant;
  const QuantSpec old = q;
  q = QuantSpec{bits, old.is_float() ? true : old.is_signed, false, std::nullopt};

  // The scale exponent moves with the bits: fixed in the network stays fixed there, recorded in
  // the weights stays recorded there.
  const bool weighted = layer.has_weights();
  Weights weights = parent.weights;
  LayerWeights* w = weights.contains(layer_name) ? &weights.at(layer_name) : nullptr;
  std::optional<int>* recorded = w ? (weighted ? &w->weight_scale_log2 : &w->activation_scale_log2) : nullptr;
  const bool has_old_e = old.scale_log2.has_value() || (recorded && recorded->has_value());
  const int old_e = old.scale_log2 ? *old.scale_log2 : (has_old_e ? **recorded : 0);
  std::optional<int> new_e;
  if (weighted && (is_binary(q) || is_ternary(q)))
    new_e = mean_magnitude_exponent(*w);
  else if (has_old_e && !old.is_float())
    new_e = moved_exponent(old, old_e, q);
  if (old.scale_log2) {
    q.scale_log2 = new_e;
  } else if (new_e) {
    if (!w) w = &weights.layers[layer_name];
    (weighted ? w->weight_scale_log2 : w->activation_scale_log2) = new_e;
  } else if (recorded) {
    recorded->reset();
  }
  return WeightedNetwork{to_network(net, std::move(layers)), std::move(weights)};
}

WeightedNetwork raise_sparsity(const WeightedNetwork& parent, const std::string& layer_name, double target) {
  const Network& net = parent.network;
  const auto index = find_layer(net, layer_name, "raise_sparsity");
  morphism_plans::check_raise_sparsity(net, index, target);
  check_weights(net, parent.weights, "raise_sparsity");
  auto layers = explicit_layers(net);
  layers[index].sparsity.target = target;
  Weights weights = parent.weights;
  auto& w = weights.at(layer_name);
  w.mask = magnitude_mask(w, layers[index], target);
  return WeightedNetwork{to_network(net, std::move(layers)), std::move(weights)};
}

namespace morphism_plans {

constexpr std::array<int, 4> kBitLadder{8, 4, 2, 1};
constexpr std::array<double, 4> kSparsityLadder{0.25, 0.5, 0.75, 0.9};

const MorphismRule lower_bits_rule{
    .function_preserving = false,
    // The next of 8, 4, 2, 1 bits below the layer's (float: 8).
    .find =
        [](const Network& network, std::size_t index, std::vector<Morphism>& found) {
          const auto& layer = network.layers()[index];
          const auto* q = bit_width_of(layer);
          if (q == nullptr) return;
          for (int bits : kBitLadder)
            if (q->is_float() || bits < q->bits) {
              if (applies([&] { check_lower_bits(network, index, bits); }))
                add_instance(found, MorphismKind::lower_bits, layer).bits = bits;
              return;
            }
        },
    .apply = [](const WeightedNetwork& parent, const Morphism& m,
                std::mt19937_64&) { return lower_bits(parent, m.layer, m.bits); },
    .describe = [](const Morphism& m) { return fmt::format("lower_bits {} to {} bits", m.layer, m.bits); },
};

const MorphismRule raise_sparsity_rule{
    .function_preserving = false,
    // The next of 0.25, 0.5, 0.75, 0.9 above the layer's target.
    .find =
        [](const Network& network, std::size_t index, std::vector<Morphism>& found) {
          const auto& layer = network.layers()[index];
          for (double target : kSparsityLadder)
            if (target > layer.sparsity.target) {
              if (applies([&] { check_raise_sparsity(network, index, target); }))
                add_instance(found, MorphismKind::raise_sparsity, layer).target = target;
              return;
            }
        },
    .apply = [](const WeightedNetwork& parent, const Morphism& m,
                std::mt19937_64&) { return raise_sparsity(parent, m.layer, m.target); },
    .describe = [](const Morphism& m) { return fmt::format("raise_sparsity {} to {}", m.layer, m.target); },
};

}  // namespace morphism_plans

}  // namespace codse::nn
