#pragma once
// Transductive experimental design (TED; Yu, Bi, Tresp, "Active Learning via Transductive
// Experimental Design", ICML 2006), sequential greedy form: picks the designs whose kernel
// columns best reconstruct every candidate's, i.e. a small, spread-out and representative
// initial sample. ATNE starts from it.
//
// Each step picks x maximising ||K(:, x)||^2 / (K(x, x) + mu) and then removes x's direction
// from the kernel, K <- K - K(:, x) K(x, :) / (K(x, x) + mu). The kernel is the RBF kernel
// exp(-||a - b||^2 / h) with h the median squared distance between candidates (median
// heuristic), so it adapts to the number of features. The kernel is dense, O(N^2) memory and
// O(N^2) time per pick: pools larger than subset_limit are reduced to a seeded random subset
// of that size first (deviation from the paper, which uses the whole pool).

#include <cstddef>
#include <cstdint>
#include <vector>

#include <Eigen/Core>

namespace codse {

struct TedOptions {
  std::size_t subset_limit = 1500;  ///< kernel on at most this many candidates
  double regularisation = 0.1;      ///< mu; the kernel's diagonal is 1
};

/// Picks min(count, rows) distinct rows of features (one candidate per row), in pick order.
/// Deterministic for a seed (the seed only matters when a subset is drawn).
std::vector<std::size_t> ted_select(const Eigen::MatrixXd& features, std::size_t count,
                                    const TedOptions& options, std::uint64_t seed);

}  // namespace codse
