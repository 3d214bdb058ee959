#pragma once
// What a training run reports per epoch, and the time to convergence derived from it: the ML
// knob users trade against accuracy (a cheaper schedule that converges sooner).

#include <vector>

namespace codse::nn {

struct EpochMetrics {
  int epoch = 0;                       // 1-based
  double train_loss = 0.0;             // mean cross-entropy over the epoch's training samples
  double validation_accuracy = 0.0;    // 0..1, fake-quantized model in evaluation mode
  double learning_rate = 0.0;          // at the epoch's last step
  double sparsity = 0.0;               // zero weights / all weights of the layers with weights
  double train_seconds = 0.0;          // optimisation steps only (throughput = samples / this)
  double train_cpu_seconds = 0.0;      // processor time of those steps, all threads (what a step
                                       // costs, independent of other jobs sharing the machine)
  double seconds = 0.0;                // the whole epoch, validation included
  double elapsed_seconds = 0.0;        // since training started, this epoch included
};

struct Convergence {
  int epochs = 0;                      // first epoch whose validation accuracy is near the best
  double seconds = 0.0;                // elapsed seconds at the end of that epoch
  double best_validation_accuracy = 0.0;
};

/// The first epoch whose validation accuracy is within `tolerance` (0.005 = half a point) of the
/// best of all epochs. An empty history converges at epoch 0 after 0 seconds.
Convergence time_to_convergence(const std::vector<EpochMetrics>& history, double tolerance = 0.005);

}  // namespace codse::nn
