#include "core/random_draws.hpp"

#include <numeric>

namespace codse::draw {

std::uint64_t below(std::mt19937_64& rng, std::uint64_t n) {
  const std::uint64_t reject_under = (0 - n) % n;  // 2^64 mod n: the incomplete last block
  std::uint64_t r = rng();
  while (r < reject_under) r = rng();
  return r % n;
}

std::int64_t integer(std::mt19937_64& rng, std::int64_t lo, std::int64_t hi) {
  const auto span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
  const std::uint64_t offset = span == UINT64_MAX ? rng() : below(rng, span + 1);
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + offset);
}

double unit(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

double real(std::mt19937_64& rng, double lo, double hi) { return lo + unit(rng) * (hi - lo); }

bool chance(std::mt19937_64& rng, double p) { return unit(rng) < p; }

std::size_t weighted(std::mt19937_64& rng, std::span<const double> weights) {
  const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  const double target = unit(rng) * total;
  double sum = 0.0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    sum += weights[i];
    if (target < sum) return i;
  }
  // Rounding left target at the total: the last index with a positive weight.
  for (std::size_t i = weights.size(); i-- > 0;)
    if (weights[i] > 0) return i;
  return 0;
}

}  // namespace codse::draw
