#include "nn/train/training_defaults.hpp"

#include <algorithm>

namespace codse::nn {

TrainingDefaults training_defaults(std::size_t train_samples) {
  constexpr std::size_t min_batches_per_epoch = 40;
  constexpr std::size_t total_steps = 1200;
  TrainingDefaults d;
  int batch = 128;
  while (batch > 16 && train_samples / static_cast<std::size_t>(batch) < min_batches_per_epoch) batch /= 2;
  d.batch_size = batch;
  const std::size_t steps_per_epoch = std::max<std::size_t>(1, (train_samples + batch - 1) / batch);
  d.epochs = static_cast<int>(std::clamp<std::size_t>((total_steps + steps_per_epoch - 1) / steps_per_epoch, 10, 50));
  return d;
}

bool near_chance(double accuracy, int classes) { return classes > 1 && accuracy < 1.5 / classes; }

}  // namespace codse::nn
