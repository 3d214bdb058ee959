#include "core/normal_quantile.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace codse {
namespace {

TEST(NormalQuantile, MatchesTabulatedValues) {
  // Reference values: Python's statistics.NormalDist().inv_cdf.
  EXPECT_NEAR(normal_quantile(0.5), 0.0, 1e-15);
  EXPECT_NEAR(normal_quantile(0.975), 1.959963984540054, 1e-12);
  EXPECT_NEAR(normal_quantile(0.8413447460685429), 1.0, 1e-12);
  EXPECT_NEAR(normal_quantile(0.001), -3.090232306167813, 1e-12);
  EXPECT_NEAR(normal_quantile(1e-10), -6.361340902404056, 1e-9);
}

TEST(NormalQuantile, InvertsTheCdfAndIsSymmetric) {
  for (double p : {1e-6, 0.01, 0.2, 0.37, 0.5, 0.63, 0.9, 0.999999}) {
    const double x = normal_quantile(p);
    EXPECT_NEAR(0.5 * std::erfc(-x / std::numbers::sqrt2), p, 1e-14 + 1e-12 * p) << p;
    EXPECT_NEAR(normal_quantile(1.0 - p), -x, 1e-9) << p;
  }
}

TEST(NormalQuantile, RejectsProbabilitiesOutsideTheOpenInterval) {
  EXPECT_THROW(normal_quantile(0.0), std::invalid_argument);
  EXPECT_THROW(normal_quantile(1.0), std::invalid_argument);
  EXPECT_THROW(normal_quantile(-0.1), std::invalid_argument);
  EXPECT_THROW(normal_quantile(std::nan("")), std::invalid_argument);
}

}  // namespace
}  // namespace codse
