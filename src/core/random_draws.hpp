#pragma once
// Seeded draws that give the same values on every platform. std::mt19937_64's output is fixed by
// the C++ standard, but std::uniform_int_distribution, uniform_real_distribution,
// bernoulli_distribution and discrete_distribution are implementation-defined: the same seed
// could name other trials under another standard library. Everything codse stores or compares
// (weights, samples, morphisms, mappings, hyperparameters) draws through these functions instead.
// tests/core/random_draws_test.cpp pins their first values.

#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <utility>

namespace codse::draw {

/// Uniform in [0, n), unbiased (rejects the short last block of the 2^64 range); n > 0.
std::uint64_t below(std::mt19937_64& rng, std::uint64_t n);

/// Uniform in [lo, hi], both included; lo <= hi.
std::int64_t integer(std::mt19937_64& rng, std::int64_t lo, std::int64_t hi);

/// Uniform in [0, 1) with 53 random bits.
double unit(std::mt19937_64& rng);

/// Uniform in [lo, hi).
double real(std::mt19937_64& rng, double lo, double hi);

/// true with probability p.
bool chance(std::mt19937_64& rng, double p);

/// An index drawn with probability proportional to weights (non-negative, not all zero).
std::size_t weighted(std::mt19937_64& rng, std::span<const double> weights);

/// Uniform index into a container of size n > 0.
inline std::size_t index(std::mt19937_64& rng, std::size_t n) { return static_cast<std::size_t>(below(rng, n)); }

/// A random permutation by Fisher-Yates from the back: for i = n down to 2, values[i - 1] swaps
/// with values[below(i)]. below(m) draws in [0, m) from the caller's generator in the caller's
/// form (e.g. [&](std::size_t m) { return rng() % m; }): stored studies replay those exact draws.
template <typename T, typename Below>
void shuffle(std::span<T> values, Below&& below) {
  for (std::size_t i = values.size(); i > 1; --i) std::swap(values[i - 1], values[below(i)]);
}

/// A uniform sample without replacement in the first count positions (a partial Fisher-Yates from
/// the front: position i swaps with i + below(n - i)); the rest keep what is left.
template <typename T, typename Below>
void shuffle_prefix(std::span<T> values, std::size_t count, Below&& below) {
  for (std::size_t i = 0; i < count && i < values.size(); ++i) std::swap(values[i], values[i + below(values.size() - i)]);
}

}  // namespace codse::draw
