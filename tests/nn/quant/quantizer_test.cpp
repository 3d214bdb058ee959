#include "nn/quant/quantizer.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "core/error.hpp"

namespace codse::nn {
namespace {

QuantSpec spec(int bits, bool is_signed, bool ternary = false) {
  QuantSpec q;
  q.bits = bits;
  q.is_signed = is_signed;
  q.ternary = ternary;
  return q;
}

TEST(Quantizer, LevelRangesOfEveryEncoding) {
  EXPECT_EQ(level_min(spec(1, true)), -1);
  EXPECT_EQ(level_max(spec(1, true)), 1);
  EXPECT_EQ(level_min(spec(1, false)), 0);
  EXPECT_EQ(level_max(spec(1, false)), 1);
  EXPECT_EQ(level_min(spec(2, true, true)), -1);
  EXPECT_EQ(level_max(spec(2, true, true)), 1);
  EXPECT_EQ(level_min(spec(2, true)), -2);
  EXPECT_EQ(level_max(spec(2, true)), 1);
  EXPECT_EQ(level_min(spec(4, true)), -8);
  EXPECT_EQ(level_max(spec(4, true)), 7);
  EXPECT_EQ(level_max(spec(4, false)), 15);
  EXPECT_EQ(level_min(spec(16, true)), -32768);
  EXPECT_EQ(level_max(spec(16, false)), 65535);
  EXPECT_THROW(level_min(QuantSpec{}), std::invalid_argument);
  EXPECT_THROW(level_max(spec(17, true)), std::invalid_argument);
}

TEST(Quantizer, BinaryIsTheSignWithZeroPositive) {
  const QuantSpec q = spec(1, true);
  EXPECT_EQ(quantize_level(0.0f, q, 0), 1);
  EXPECT_EQ(quantize_level(-0.0f, q, 0), 1);
  EXPECT_EQ(quantize_level(-1e-30f, q, 0), -1);
  EXPECT_EQ(quantize_level(123.0f, q, 5), 1);
  EXPECT_FLOAT_EQ(fake_quantize(-3.0f, q, 2), -4.0f);
}

TEST(Quantizer, RoundsHalfUpAndClamps) {
  const QuantSpec q = spec(4, true);  // levels -8..7
  EXPECT_EQ(quantize_level(0.5f, q, 0), 1);
  EXPECT_EQ(quantize_level(-0.5f, q, 0), 0);  // floor(-0.5 + 0.5) = 0
  EXPECT_EQ(quantize_level(-0.51f, q, 0), -1);
  EXPECT_EQ(quantize_level(2.49f, q, 0), 2);
  EXPECT_EQ(quantize_level(100.0f, q, 0), 7);
  EXPECT_EQ(quantize_level(-100.0f, q, 0), -8);
  // e = -2: steps of 0.25; 0.3 / 0.25 = 1.2 -> 1; 0.375 / 0.25 = 1.5 -> 2.
  EXPECT_EQ(quantize_level(0.3f, q, -2), 1);
  EXPECT_EQ(quantize_level(0.375f, q, -2), 2);
  EXPECT_FLOAT_EQ(fake_quantize(0.375f, q, -2), 0.5f);
  // e = 3: steps of 8.
  EXPECT_EQ(quantize_level(11.9f, q, 3), 1);
  EXPECT_EQ(quantize_level(12.0f, q, 3), 2);
}

TEST(Quantizer, UnsignedClampsNegativesToZero) {
  const QuantSpec q = spec(2, false);  // 0..3
  EXPECT_EQ(quantize_level(-5.0f, q, -1), 0);
  EXPECT_EQ(quantize_level(0.74f, q, -1), 1);
  EXPECT_EQ(quantize_level(0.75f, q, -1), 2);
  EXPECT_EQ(quantize_level(9.0f, q, -1), 3);
  EXPECT_FLOAT_EQ(fake_quantize(9.0f, q, -1), 1.5f);
}

TEST(Quantizer, TernaryHasAZero) {
  const QuantSpec q = spec(2, true, true);
  EXPECT_EQ(quantize_level(0.49f, q, 0), 0);
  EXPECT_EQ(quantize_level(0.5f, q, 0), 1);
  EXPECT_EQ(quantize_level(-0.7f, q, 0), -1);
  EXPECT_EQ(quantize_level(-7.0f, q, 0), -1);
}

TEST(Quantizer, FloatSpecPassesValuesThroughAndHasNoLevels) {
  EXPECT_EQ(fake_quantize(0.123f, QuantSpec{}, 3), 0.123f);
  EXPECT_THROW(quantize_level(0.1f, QuantSpec{}, 0), std::invalid_argument);
}

TEST(Quantizer, NotANumberBecomesZeroClampedIntoRange) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(quantize_level(nan, spec(4, true), 0), 0);
  EXPECT_EQ(quantize_level(std::numeric_limits<float>::infinity(), spec(4, true), 0), 7);
}

TEST(Quantizer, ChoosesTheSmallestExponentThatCoversTheRange) {
  const QuantSpec q = spec(4, true);  // hi = 7
  EXPECT_EQ(choose_scale_log2(7.0f, q), 0);
  EXPECT_EQ(choose_scale_log2(7.0001f, q), 1);
  EXPECT_EQ(choose_scale_log2(3.5f, q), -1);
  EXPECT_EQ(choose_scale_log2(3.6f, q), 0);
  EXPECT_EQ(choose_scale_log2(1.0f, q), -2);  // 7 * 2^-2 = 1.75 >= 1, 7 * 2^-3 = 0.875 < 1
  EXPECT_EQ(choose_scale_log2(0.0f, q), 0);
  EXPECT_EQ(choose_scale_log2(1.0f, spec(8, false)), -7);  // 255 / 256 < 1 <= 255 / 128
  EXPECT_EQ(choose_scale_log2(50.0f, spec(1, true)), 0);
  EXPECT_EQ(choose_scale_log2(50.0f, spec(2, true, true)), 0);
  for (float m : {0.001f, 0.37f, 1.0f, 6.9f, 1234.5f}) {
    const int e = choose_scale_log2(m, q);
    EXPECT_LE(m, std::ldexp(7.0, e)) << m;
    EXPECT_GT(m, std::ldexp(7.0, e - 1)) << m;
  }
}

// Hand-computed squared errors of these weights at e = -4, -5, -6 (ternary): 3.29e-3, 3.58e-4,
// 1.32e-3; the signed 2-bit grid adds level -2, reached only at e = -6 (7.49e-4).
TEST(Quantizer, TernaryAndTwoBitWeightExponentsFitTheWeightsNotTheirMaximum) {
  const std::vector<float> weights{0.02f, -0.04f, 0.035f, -0.01f, 0.03f, -0.025f};
  EXPECT_EQ(choose_weight_scale_log2(weights, spec(2, true, true)), -5);
  EXPECT_EQ(choose_weight_scale_log2(weights, spec(2, true)), -5);
  // Covering the maximum (0.04 <= 2^-4) would leave three of the six weights on level 0.
  EXPECT_EQ(choose_scale_log2(0.04f, spec(2, true)), -4);
  // One large weight: covering it costs less than clipping it (errors 0.2, 0.35, 0.585 at e = 0,
  // -1, -2), and the small weights go to 0.
  EXPECT_EQ(choose_weight_scale_log2(std::vector<float>{0.1f, -0.1f, 0.3f, -0.3f, 1.0f}, spec(2, true, true)), 0);
  // Wider grids keep the range rule, binary its +-1, and nothing to fit gives 0.
  EXPECT_EQ(choose_weight_scale_log2(weights, spec(4, true)), choose_scale_log2(0.04f, spec(4, true)));
  EXPECT_EQ(choose_weight_scale_log2(weights, spec(1, true)), 0);
  EXPECT_EQ(choose_weight_scale_log2(std::vector<float>{0.0f, -0.0f}, spec(2, true, true)), 0);
  EXPECT_EQ(choose_weight_scale_log2({}, spec(2, true)), 0);
  EXPECT_THROW(fit_scale_log2(weights, QuantSpec{}), std::invalid_argument);
  // Unsigned grids cover the largest value, not the largest magnitude (-50 is level 0 at every e):
  // {0, 1} x 2^e for values up to 0.9 starts from e = 0 and fits e = -1 (errors besides -50's:
  // 0.42, 0.22, 0.57 at e = 0, -1, -2). Starting from 50's e = 6 would give e = 6.
  EXPECT_EQ(fit_scale_log2(std::vector<float>{0.3f, 0.4f, 0.6f, 0.9f, -50.0f}, spec(1, false)), -1);
}

TEST(Quantizer, MaskedWeightsStayZeroEvenWhenBinary) {
  Layer layer;
  layer.name = "fc";
  layer.weight_quant = spec(1, true);
  LayerWeights w;
  w.weight = {{2, 2}, {0.3f, -0.2f, -0.4f, 0.9f}};
  w.mask = {{2, 2}, {1.0f, 0.0f, 1.0f, 0.0f}};
  EXPECT_EQ(masked_weights(w), (std::vector<float>{0.3f, 0.0f, -0.4f, 0.0f}));
  EXPECT_EQ(weight_levels(layer, w, 0), (std::vector<int>{1, 0, -1, 0}));
  EXPECT_EQ(weight_scale_log2(layer, &w), 0);
}

TEST(Quantizer, WeightExponentPrefersTheNetworkThenTheWeightsThenTheRange) {
  Layer layer;
  layer.name = "fc";
  layer.weight_quant = spec(4, true);
  LayerWeights w;
  w.weight = {{3}, {0.5f, -1.0f, 0.25f}};
  EXPECT_EQ(weight_scale_log2(layer, &w), -2);  // 7 * 2^-2 >= 1
  w.weight_scale_log2 = -3;
  EXPECT_EQ(weight_scale_log2(layer, &w), -3);
  layer.weight_quant.scale_log2 = -1;
  EXPECT_EQ(weight_scale_log2(layer, &w), -1);
  EXPECT_EQ(fake_quantized_weights(layer, w), (std::vector<float>{0.5f, -1.0f, 0.5f}));
}

TEST(Quantizer, ActivationExponentMustBeKnownUnlessBinaryOrTernary) {
  Layer layer;
  layer.name = "act1";
  layer.kind = LayerKind::quant;
  layer.activation_quant = spec(4, false);
  Weights weights;
  try {
    activation_scale_log2(layer, weights);
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("act1"), std::string::npos);
  }
  weights.layers["act1"].activation_scale_log2 = -3;
  EXPECT_EQ(activation_scale_log2(layer, weights), -3);
  layer.activation_quant.scale_log2 = -2;
  EXPECT_EQ(activation_scale_log2(layer, weights), -2);
  layer.activation_quant = spec(1, true);
  EXPECT_EQ(activation_scale_log2(layer, Weights{}), 0);
}

}  // namespace
}  // namespace codse::nn
