#include "nn/quant/quantizer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>

#if defined(__SSE2__)
#include <immintrin.h>
#endif

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

/// The grid of one exponent: levels clamp(floor(w * 2^-e + 0.5), lo, hi), values level * 2^e.
struct Grid {
  float inverse_step, step, lo, hi;
};

/// (w - fake_quantize(w))^2 with quantize_level's float arithmetic (multiplying by 2^-e is exact,
/// as ldexp is), written as the SSE2 path below computes it: clamp, then floor as truncation
/// minus one where truncation rounded up (clamping first keeps the int conversion in range and
/// gives the same level, lo and hi being integers).
inline float squared_error(float w, const Grid& g) {
  const float v = w * g.inverse_step + 0.5f;
  const float low_clamped = v > g.lo ? v : g.lo;        // _mm_max_ps(v, lo)
  const float clamped = low_clamped < g.hi ? low_clamped : g.hi;  // _mm_min_ps(x, hi)
  const auto truncated = static_cast<float>(static_cast<std::int32_t>(clamped));
  const float level = truncated > clamped ? truncated - 1.0f : truncated;
  const float difference = w - level * g.step;
  return difference * difference;
}

/// Sum of squared_error over the weights. It runs on every weight of a ternary or 2-bit layer for
/// five exponents at every training step (it was 44% of a 2-bit MNIST MLP's training time as a
/// scalar loop, which GCC cannot vectorize: floor needs SSE4.1). Four float lanes (element i in
/// lane i % 4) summed over blocks of 1024 elements, then into double; the SSE2 and the scalar
/// path add the same numbers in the same order, so the choice is the same on every machine.
double squared_quantization_error(std::span<const float> weights, const QuantSpec& q, int e) {
  const Grid g{std::ldexp(1.0f, -e), std::ldexp(1.0f, e), static_cast<float>(level_min(q)),
               static_cast<float>(level_max(q))};
  constexpr std::size_t block = 1024;
  const float* w = weights.data();
  const std::size_t count = weights.size();
  double total[4] = {0.0, 0.0, 0.0, 0.0};
  for (std::size_t start = 0; start < count; start += block) {
    const std::size_t end = std::min(count, start + block);
    float lanes[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    std::size_t i = start;
#if defined(__SSE2__)
    const __m128 inverse_step = _mm_set1_ps(g.inverse_step), step = _mm_set1_ps(g.step);
    const __m128 lo = _mm_set1_ps(g.lo), hi = _mm_set1_ps(g.hi);
    const __m128 half = _mm_set1_ps(0.5f), one = _mm_set1_ps(1.0f);
    __m128 sum = _mm_setzero_ps();
    for (; i + 4 <= end; i += 4) {
      const __m128 x = _mm_loadu_ps(w + i);
      const __m128 v = _mm_add_ps(_mm_mul_ps(x, inverse_step), half);
      const __m128 clamped = _mm_min_ps(_mm_max_ps(v, lo), hi);
      const __m128 truncated = _mm_cvtepi32_ps(_mm_cvttps_epi32(clamped));
      const __m128 level = _mm_sub_ps(truncated, _mm_and_ps(_mm_cmpgt_ps(truncated, clamped), one));
      const __m128 difference = _mm_sub_ps(x, _mm_mul_ps(level, step));
      sum = _mm_add_ps(sum, _mm_mul_ps(difference, difference));
    }
    _mm_storeu_ps(lanes, sum);
#endif
    for (; i < end; ++i) lanes[(i - start) % 4] += squared_error(w[i], g);
    for (int lane = 0; lane < 4; ++lane) total[lane] += static_cast<double>(lanes[lane]);
  }
  return (total[0] + total[1]) + (total[2] + total[3]);
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

int fit_scale_log2(std::span<const float> values, const QuantSpec& q) {
  require_quantized(q);
  // The largest value the grid must reach: its magnitude when the grid has negative levels.
  const bool has_negative_levels = level_min(q) < 0;
  float top_value = 0.0f;
  for (const float v : values) top_value = std::max(top_value, has_negative_levels ? std::fabs(v) : v);
  if (!(top_value > 0.0f) || !std::isfinite(top_value)) return 0;
  constexpr int candidates = 5;
  const int top = covering_exponent(top_value, level_max(q));
  int best = top;
  double best_error = squared_quantization_error(values, q, top);
  for (int e = top - 1; e > top - candidates; --e) {
    const double error = squared_quantization_error(values, q, e);
    if (error < best_error) {
      best = e;
      best_error = error;
    }
  }
  return best;
}

int choose_weight_scale_log2(std::span<const float> weights, const QuantSpec& q) {
  if (is_binary(q)) return 0;
  if (level_max(q) == 1) return fit_scale_log2(weights, q);
  float max_abs = 0.0f;
  for (const float w : weights) max_abs = std::max(max_abs, std::fabs(w));
  return choose_scale_log2(max_abs, q);
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
