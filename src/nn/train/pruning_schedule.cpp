#include "nn/train/pruning_schedule.hpp"

#include <algorithm>
#include <cmath>

namespace codse::nn {

PruningSchedule::PruningSchedule(std::int64_t total_steps, double start_fraction, double end_fraction, int updates) {
  const auto last = std::max<std::int64_t>(0, total_steps - 1);
  const auto at = [&](double fraction) {
    return std::min(last, static_cast<std::int64_t>(std::llround(fraction * static_cast<double>(total_steps))));
  };
  start_ = at(start_fraction);
  end_ = std::max(start_, at(end_fraction));
  interval_ = std::max<std::int64_t>(1, (end_ - start_) / std::max(1, updates));
}

bool PruningSchedule::updates_at(std::int64_t step) const {
  if (step < start_ || step > end_) return false;
  return step == end_ || (step - start_) % interval_ == 0;
}

double PruningSchedule::progress_at(std::int64_t step) const {
  if (step >= end_) return 1.0;
  if (step <= start_) return 0.0;
  const double p = static_cast<double>(step - start_) / static_cast<double>(end_ - start_);
  return 1.0 - std::pow(1.0 - p, 3);
}

}  // namespace codse::nn
