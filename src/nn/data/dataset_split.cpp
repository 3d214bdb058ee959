#include "nn/data/dataset_split.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <stdexcept>

#include <fmt/format.h>

#include "core/random_draws.hpp"

namespace codse::nn {
namespace {

std::size_t held_out_count(std::size_t n, double fraction) {
  if (!(fraction >= 0.0 && fraction < 1.0))
    throw std::invalid_argument(fmt::format("split fraction {} is outside [0, 1)", fraction));
  return std::min(n, static_cast<std::size_t>(std::llround(fraction * static_cast<double>(n))));
}

/// How many samples of each class to hold out: floor of each class's share, then one more for the
/// classes with the largest remainders (ties: lower class) until the total is reached.
std::vector<std::size_t> per_class_quota(const std::vector<std::size_t>& counts, std::size_t total,
                                         double fraction) {
  std::vector<std::size_t> quota(counts.size());
  std::vector<std::pair<double, std::size_t>> remainders;
  std::size_t assigned = 0;
  for (std::size_t c = 0; c < counts.size(); ++c) {
    const double share = fraction * static_cast<double>(counts[c]);
    quota[c] = std::min(counts[c], static_cast<std::size_t>(std::floor(share)));
    assigned += quota[c];
    remainders.emplace_back(share - static_cast<double>(quota[c]), c);
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (const auto& [remainder, c] : remainders) {
    if (assigned >= total) break;
    if (quota[c] < counts[c]) {
      ++quota[c];
      ++assigned;
    }
  }
  return quota;
}

SplitIndices from_mask(const std::vector<bool>& held) {
  SplitIndices split;
  for (std::size_t i = 0; i < held.size(); ++i) (held[i] ? split.held_out : split.kept).push_back(i);
  return split;
}

}  // namespace

void shuffle(std::vector<std::size_t>& indices, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  // Modulo bias is below 2^-40 for any dataset size that fits in memory.
  draw::shuffle(std::span(indices), [&](std::size_t m) { return rng() % m; });
}

std::vector<std::size_t> shuffled_indices(std::size_t n, std::uint64_t seed) {
  std::vector<std::size_t> indices(n);
  std::iota(indices.begin(), indices.end(), std::size_t{0});
  shuffle(indices, seed);
  return indices;
}

SplitIndices split_indices(const Dataset& data, double fraction, std::uint64_t seed, SplitMode mode) {
  const std::size_t total = held_out_count(data.size(), fraction);
  std::vector<bool> held(data.size(), false);
  if (mode == SplitMode::random) {
    const auto order = shuffled_indices(data.size(), seed);
    for (std::size_t k = 0; k < total; ++k) held[order[k]] = true;
    return from_mask(held);
  }
  std::vector<std::vector<std::size_t>> by_class(static_cast<std::size_t>(data.num_classes()));
  for (std::size_t i = 0; i < data.size(); ++i)
    by_class[static_cast<std::size_t>(data.label(i))].push_back(i);
  std::vector<std::size_t> counts;
  for (const auto& members : by_class) counts.push_back(members.size());
  const auto quota = per_class_quota(counts, total, fraction);
  for (std::size_t c = 0; c < by_class.size(); ++c) {
    auto& members = by_class[c];
    shuffle(members, seed + 0x9e3779b97f4a7c15ULL * (c + 1));  // an independent draw per class
    for (std::size_t k = 0; k < quota[c]; ++k) held[members[k]] = true;
  }
  return from_mask(held);
}

}  // namespace codse::nn
