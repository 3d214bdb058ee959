#include "core/normal_quantile.hpp"

#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

namespace codse {

double normal_quantile(double p) {
  if (!(p > 0.0 && p < 1.0))
    throw std::invalid_argument("normal_quantile: p must lie in (0, 1), got " + std::to_string(p));
  // Bisection on the CDF, 0.5 erfc(-x / sqrt 2): slower than a rational approximation, but exact
  // to the last bits that erfc gives, and callers draw a few hundred values per run. The CDF is
  // below 1e-300 at -37 and rounds to 1 beyond 8.3, so [-40, 40] holds every answer.
  double lo = -40.0;
  double hi = 40.0;
  while (true) {
    const double mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) return mid;  // no double left between the bounds
    (0.5 * std::erfc(-mid / std::numbers::sqrt2) < p ? lo : hi) = mid;
  }
}

}  // namespace codse
