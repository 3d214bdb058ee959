#include "nn/quantizer.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/error.hpp"

namespace codse::nn {
namespace {

void require_quantized(const QuantSpec& q) {
  if (q.is_float()) throw std::invalid_argument("quantizer: a float QuantSpec has no integer levels");
  if (q.bits < 1 || q.bits > 16) {
    throw std::invalid_argument("quantizer: bits must be 1..16, got " + std::to_string(q.bits));
  }
}

/// Smallest e with target <= hi * 2^e (target > 0 and finite).
int covering_exponent(double target, double hi) {
  // Start from the logarithm and correct by whole steps so that the result is exact.
  int e = static_cast<int>(std::ceil(std::log2(target / hi)));
  while (target > std::ldexp(hi, e)) ++e;
  while (target <= std::ldexp(hi, e - 1)) --e;
  return e;
}

/// Sum of (w - fake_quantize(w, q, e))^2 for a non-binary q, with quantize_level's float
/// arithmetic (multiplying by 2^-e is exact, as ldexp is) inlined: it runs on every weight of a
/// layer at every training step.
double squared_quantization_error(std::span<const float> weights, const QuantSpec& q, int e) {
  const auto lo = static_cast<float>(level_min(q));
  const auto hi = static_cast<float>(level_max(q));
  const auto inverse_step = std::ldexp(1.0f, -e);
  const auto step = std::ldexp(1.0f, e);
  double sum = 0.0;
  for (const float w : weights) {
    const float level = std::clamp(std::floor(w * inverse_step + 0.5f), lo, hi);
    const double difference = static_cast<double>(w) - static_cast<double>(level * step);
    sum += difference * difference;
  }
  return sum;
}

}  // namespace

int level_min(const QuantSpec& q) {
  require_quantized(q);
  if (is_binary(q) || is_ternary(q)) return -1;
  return q.is_signed ? -(1 << (q.bits - 1)) : 0;
}

int level_max(const QuantSpec& q) {
  require_quantized(q);
  if (is_binary(q) || is_ternary(q)) return 1;
  return q.is_signed ? (1 << (q.bits - 1)) - 1 : (1 << q.bits) - 1;
}

int quantize_level(float x, const QuantSpec& q, int e) {
  if (is_binary(q)) {
    require_quantized(q);
    return x >= 0.0f ? 1 : -1;
  }
  const auto lo = static_cast<float>(level_min(q));
  const auto hi = static_cast<float>(level_max(q));
  // float32 throughout, as torch computes it: ldexp is exact, "+ 0.5f" rounds once.
  const float rounded = std::floor(std::ldexp(x, -e) + 0.5f);
  if (std::isnan(rounded)) return static_cast<int>(std::clamp(0.0f, lo, hi));
  return static_cast<int>(std::clamp(rounded, lo, hi));
}

float fake_quantize(float x, const QuantSpec& q, int e) {
  if (q.is_float()) return x;
  return std::ldexp(static_cast<float>(quantize_level(x, q, e)), e);
}

int choose_scale_log2(float max_abs, const QuantSpec& q) {
  if (is_binary(q) || is_ternary(q)) return 0;
  const double target = std::fabs(static_cast<double>(max_abs));
  if (!(target > 0.0) || !std::isfinite(target)) return 0;
  return covering_exponent(target, level_max(q));
}

int choose_weight_scale_log2(std::span<const float> weights, const QuantSpec& q) {
  if (is_binary(q)) return 0;
  float max_abs = 0.0f;
  for (const float w : weights) max_abs = std::max(max_abs, std::fabs(w));
  if (level_max(q) > 1) return choose_scale_log2(max_abs, q);
  if (!(max_abs > 0.0f) || !std::isfinite(max_abs)) return 0;
  constexpr int candidates = 5;
  const int top = covering_exponent(max_abs, 1.0);
  int best = top;
  double best_error = squared_quantization_error(weights, q, top);
  for (int e = top - 1; e > top - candidates; --e) {
    const double error = squared_quantization_error(weights, q, e);
    if (error < best_error) {
      best = e;
      best_error = error;
    }
  }
  return best;
}

std::vector<float> masked_weights(const LayerWeights& w) {
  std::vector<float> values = w.weight.data;
  if (w.mask.data.empty()) return values;
  if (w.mask.data.size() != values.size()) {
    throw InputError("weights: mask has " + std::to_string(w.mask.data.size()) + " entries, weight has " +
                     std::to_string(values.size()));
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (w.mask.data[i] == 0.0f) values[i] = 0.0f;
  }
  return values;
}

int weight_scale_log2(const Layer& layer, const LayerWeights* w) {
  if (layer.weight_quant.is_float()) {
    throw std::invalid_argument("layer " + layer.name + ": float weights have no scale exponent");
  }
  if (layer.weight_quant.scale_log2) return *layer.weight_quant.scale_log2;
  if (w != nullptr && w->weight_scale_log2) return *w->weight_scale_log2;
  float max_abs = 0.0f;
  if (w != nullptr) {
    for (const float v : masked_weights(*w)) max_abs = std::max(max_abs, std::fabs(v));
  }
  return choose_scale_log2(max_abs, layer.weight_quant);
}

int activation_scale_log2(const Layer& layer, const Weights& weights) {
  const QuantSpec& q = layer.activation_quant;
  if (q.is_float()) {
    throw std::invalid_argument("layer " + layer.name + ": float activations have no scale exponent");
  }
  if (q.scale_log2) return *q.scale_log2;
  const auto found = weights.layers.find(layer.name);
  if (found != weights.layers.end() && found->second.activation_scale_log2) {
    return *found->second.activation_scale_log2;
  }
  if (is_binary(q) || is_ternary(q)) return 0;
  throw InputError("layer " + layer.name +
                   ": activation scale_log2 is neither set in the network nor recorded in the weights");
}

std::vector<int> weight_levels(const Layer& layer, const LayerWeights& w, int e) {
  const std::vector<float> values = masked_weights(w);
  std::vector<int> levels(values.size());
  const bool has_mask = !w.mask.data.empty();
  for (std::size_t i = 0; i < values.size(); ++i) {
    // A pruned weight stays zero even in binary, whose levels have no zero.
    const bool pruned = has_mask && w.mask.data[i] == 0.0f;
    levels[i] = pruned ? 0 : quantize_level(values[i], layer.weight_quant, e);
  }
  return levels;
}

std::vector<float> fake_quantized_weights(const Layer& layer, const LayerWeights& w) {
  if (layer.weight_quant.is_float()) return masked_weights(w);
  const int e = weight_scale_log2(layer, &w);
  const std::vector<int> levels = weight_levels(layer, w, e);
  std::vector<float> values(levels.size());
  for (std::size_t i = 0; i < levels.size(); ++i) values[i] = std::ldexp(static_cast<float>(levels[i]), e);
  return values;
}

}  // namespace codse::nn
