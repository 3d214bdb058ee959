#include "nn/train/training_metrics.hpp"

#include <algorithm>

namespace codse::nn {

Convergence time_to_convergence(const std::vector<EpochMetrics>& history, double tolerance) {
  Convergence result;
  if (history.empty()) return result;
  for (const auto& epoch : history)
    result.best_validation_accuracy = std::max(result.best_validation_accuracy, epoch.validation_accuracy);
  for (const auto& epoch : history) {
    if (epoch.validation_accuracy >= result.best_validation_accuracy - tolerance - 1e-12) {
      result.epochs = epoch.epoch;
      result.seconds = epoch.elapsed_seconds;
      break;
    }
  }
  return result;
}

}  // namespace codse::nn
