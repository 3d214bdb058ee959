#pragma once
// The standard normal distribution's quantile function (the inverse of its CDF), for stratified
// normal samples: the draw of stratum s of n is normal_quantile((s + u) / n) with u uniform.

namespace codse {

/// x with P(Z <= x) = p for a standard normal Z, to double precision; p in (0, 1), else
/// std::invalid_argument.
double normal_quantile(double p);

}  // namespace codse
