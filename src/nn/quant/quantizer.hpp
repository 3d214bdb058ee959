#pragma once
// Power-of-two uniform quantization, the one definition every part of codse agrees on: training's
// fake quantization (libtorch, straight-through estimator), the float reference forward pass, the
// integer export and the hardware simulation all compute exactly these functions.
//
// A value x is represented by an integer level with real value = level * 2^e, e the scale exponent:
//   binary (1 bit, signed):  level = x >= 0 ? +1 : -1
//   otherwise:               level = clamp(floor(x * 2^-e + 0.5), lo, hi)
// with [lo, hi] = [-1, 1] (ternary), [-2^(b-1), 2^(b-1) - 1] (signed b bits), [0, 2^b - 1]
// (unsigned b bits). The arithmetic is float32, as torch does it: x * 2^-e is exact (a power of
// two) but the "+ 0.5" rounds to float, so a value one ulp below a half may round up. Both sides
// compute it the same way, which is what matters.

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "nn/ir/network.hpp"
#include "nn/ir/weights.hpp"

namespace codse::nn {

/// Smallest and largest integer level of a quantized spec (binary: -1 and +1; 0 is never used).
/// Throws std::invalid_argument for a float spec.
int level_min(const QuantSpec& q);
int level_max(const QuantSpec& q);

/// True for the bipolar {-1, +1} encoding (1 bit, signed).
inline bool is_binary(const QuantSpec& q) { return q.bits == 1 && q.is_signed; }
/// True for ternary {-1, 0, +1}.
inline bool is_ternary(const QuantSpec& q) { return q.bits == 2 && q.is_signed && q.ternary; }

/// The integer level of x at exponent e (see the file comment). NaN maps to level 0 clamped into
/// range. Throws std::invalid_argument for a float spec.
int quantize_level(float x, const QuantSpec& q, int e);
/// level * 2^e; x itself for a float spec.
float fake_quantize(float x, const QuantSpec& q, int e);
/// Smallest e with max_abs <= hi * 2^e. Binary and ternary: 0 (their levels are the values; a
/// caller may override). A max_abs of zero (or not finite) gives 0.
int choose_scale_log2(float max_abs, const QuantSpec& q);
/// The exponent whose fake-quantized values are nearest `values` in squared error (ties: the
/// larger e), among the five below and including the smallest exponent whose largest level covers
/// the largest value (its magnitude when the grid has negative levels). The power-of-two form of
/// the threshold that ternary weight networks fit to the weights (Li, Zhang & Liu, "Ternary Weight
/// Networks", 2016). Nothing positive to cover: 0. Throws std::invalid_argument for a float spec.
int fit_scale_log2(std::span<const float> values, const QuantSpec& q);
/// The exponent training gives a layer's (masked) weights. Grids whose largest level is above 1:
/// choose_scale_log2 of the largest |w|. Binary: 0 (the levels are +-1 whatever e is). Grids whose
/// largest level is 1 (ternary {-1, 0, 1}, signed 2-bit {-2, -1, 0, 1}): fit_scale_log2. Covering
/// the largest |w| with level 1 would put every weight below half of it on level 0, and ternary's
/// fixed e = 0 puts all of them there (PyTorch's initialisation is +-1/sqrt(fan_in)).
int choose_weight_scale_log2(std::span<const float> weights, const QuantSpec& q);

/// The weights of a dense or conv2d layer with its mask applied (pruned weights are exactly 0).
std::vector<float> masked_weights(const LayerWeights& w);

/// The exponent of a layer's weights: weight_quant.scale_log2 when set, else the one training
/// recorded in `w`, else chosen from the largest masked weight. Throws for float weights.
int weight_scale_log2(const Layer& layer, const LayerWeights* w);
/// The exponent of a quant or input layer's output: activation_quant.scale_log2 when set, else the
/// one recorded in the layer's weights, else 0 for binary and ternary; otherwise InputError naming
/// the layer (an activation range cannot be guessed without data).
int activation_scale_log2(const Layer& layer, const Weights& weights);

/// Integer levels of a layer's masked weights at exponent e (layout as LayerWeights::weight). A
/// pruned weight (mask 0) has level 0 even for binary weights, whose levels otherwise lack a zero.
std::vector<int> weight_levels(const Layer& layer, const LayerWeights& w, int e);
/// The same, as real values level * 2^e; for float weights the masked weights themselves.
std::vector<float> fake_quantized_weights(const Layer& layer, const LayerWeights& w);

}  // namespace codse::nn
