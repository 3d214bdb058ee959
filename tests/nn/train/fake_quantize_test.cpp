// Training's fake quantization (torch kernels) against the scalar quantizer every other part of
// codse uses: the same values, including the half-way points where rounding decides.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "nn/quant/quantizer.hpp"
#include "nn/train/fake_quantize.hpp"

namespace codse::nn {
namespace {

/// Values around every level boundary of the grid (exact halves, one ulp either side), beyond
/// both ends of the range, and random ones.
std::vector<float> probe_values(const QuantSpec& q, int e) {
  std::vector<float> values = {0.0f, -0.0f, 1e-30f, -1e-30f, 1e6f, -1e6f, std::numeric_limits<float>::quiet_NaN(),
                               std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity()};
  const int lo = level_min(q) - 2;
  const int hi = level_max(q) + 2;
  for (int level = lo; level <= hi; ++level) {
    const float half = std::ldexp(static_cast<float>(level) + 0.5f, e);
    values.push_back(half);
    values.push_back(std::nextafter(half, -std::numeric_limits<float>::infinity()));
    values.push_back(std::nextafter(half, std::numeric_limits<float>::infinity()));
    values.push_back(std::ldexp(static_cast<float>(level), e));
  }
  std::mt19937 random(42);
  std::uniform_real_distribution<float> uniform(std::ldexp(static_cast<float>(lo), e), std::ldexp(static_cast<float>(hi), e));
  for (int i = 0; i < 500; ++i) values.push_back(uniform(random));
  return values;
}

struct Case {
  QuantSpec spec;
  int exponent;
};

std::vector<Case> cases() {
  std::vector<Case> result;
  for (const int e : {-7, -3, 0, 2}) {
    result.push_back({{1, true, false, std::nullopt}, e});   // binary
    result.push_back({{1, false, false, std::nullopt}, e});  // unsigned 1 bit
    result.push_back({{2, true, true, std::nullopt}, e});    // ternary
    result.push_back({{2, true, false, std::nullopt}, e});
    result.push_back({{4, true, false, std::nullopt}, e});
    result.push_back({{4, false, false, std::nullopt}, e});
    result.push_back({{8, false, false, std::nullopt}, e});
    result.push_back({{16, true, false, std::nullopt}, e});
  }
  return result;
}

TEST(TorchFakeQuantize, EqualsTheQuantizerOnEveryBoundary) {
  for (const auto& c : cases()) {
    const auto values = probe_values(c.spec, c.exponent);
    const auto quantized = torch_fake_quantize(values, c.spec, c.exponent);
    ASSERT_EQ(quantized.size(), values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
      ASSERT_EQ(quantized[i], fake_quantize(values[i], c.spec, c.exponent))
          << "x = " << values[i] << ", bits " << c.spec.bits << (c.spec.is_signed ? " signed" : " unsigned")
          << (c.spec.ternary ? " ternary" : "") << ", e = " << c.exponent;
    }
  }
}

TEST(TorchFakeQuantize, WeightGradientPassesStraightThrough) {
  const QuantSpec spec{4, true, false, std::nullopt};
  const std::vector<float> values = {-100.0f, -0.3f, 0.0f, 0.2f, 7.9f, 100.0f};
  const auto gradient = torch_fake_quantize_gradient(values, spec, -2, StraightThrough::identity);
  EXPECT_EQ(gradient, std::vector<float>(values.size(), 1.0f));
}

TEST(TorchFakeQuantize, ActivationGradientIsBlockedOutsideTheRange) {
  // Unsigned 4 bits at e = -1: levels 0..15, values 0..7.5.
  const QuantSpec spec{4, false, false, std::nullopt};
  const std::vector<float> values = {-0.5f, 0.0f, 3.0f, 7.5f, 7.75f, 20.0f};
  const auto gradient = torch_fake_quantize_gradient(values, spec, -1, StraightThrough::clipped);
  EXPECT_EQ(gradient, (std::vector<float>{0, 1, 1, 1, 0, 0}));

  // Binary: hardtanh's gradient, 1 inside |x| <= 1.
  const QuantSpec binary{1, true, false, std::nullopt};
  const std::vector<float> around_one = {-1.5f, -1.0f, -0.2f, 0.0f, 0.9f, 1.0f, 1.01f};
  EXPECT_EQ(torch_fake_quantize_gradient(around_one, binary, 0, StraightThrough::clipped),
            (std::vector<float>{0, 1, 1, 1, 1, 1, 0}));
}

}  // namespace
}  // namespace codse::nn
