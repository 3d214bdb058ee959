#pragma once
// When and how far gradual magnitude pruning goes (Zhu & Gupta, "To prune, or not to prune",
// 2017): sparsity s_t = s_f + (s_i - s_f) * (1 - (t - t0) / (t1 - t0))^3 for t in [t0, t1], so
// most weights go early, while the network still has many redundant ones, and the last few go
// slowly. Masks are recomputed at a fixed number of evenly spaced steps and at t1.

#include <cstdint>

namespace codse::nn {

class PruningSchedule {
 public:
  PruningSchedule() = default;
  /// total_steps of training; start and end as fractions of them; updates: mask recomputations.
  PruningSchedule(std::int64_t total_steps, double start_fraction, double end_fraction, int updates);

  /// Whether masks are recomputed just before this (0-based) step.
  bool updates_at(std::int64_t step) const;
  /// How far from the initial to the target sparsity the masks are at this step: 1 - (1 - p)^3.
  double progress_at(std::int64_t step) const;
  /// The last step that changes masks; every step after it trains at the target sparsity.
  std::int64_t end_step() const { return end_; }

 private:
  std::int64_t start_ = 0;
  std::int64_t end_ = 0;
  std::int64_t interval_ = 1;
};

/// The sparsity of a layer at some progress of its schedule.
inline double scheduled_sparsity(double initial, double target, double progress) {
  return initial + (target - initial) * progress;
}

}  // namespace codse::nn
