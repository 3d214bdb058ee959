#pragma once
// How a network is trained: optimizer, learning-rate schedule, batches, epochs, early stopping,
// pruning schedule, seed and threads. Torch-free, so the CLI and the explorers can fill it in
// without compiling libtorch headers.

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace codse::nn {

enum class Optimizer { sgd, adam };
enum class LearningRateSchedule { constant, step, cosine };

const char* to_string(Optimizer optimizer);
const char* to_string(LearningRateSchedule schedule);
/// Parse a name ("sgd", "adam"; "constant", "step", "cosine"); throws InputError naming `what`.
Optimizer optimizer_from_string(const std::string& name, const std::string& what = "optimizer");
LearningRateSchedule schedule_from_string(const std::string& name, const std::string& what = "schedule");

struct TrainOptions {
  Optimizer optimizer = Optimizer::adam;
  double learning_rate = 1e-3;
  double momentum = 0.9;       // sgd only (Nesterov off)
  double weight_decay = 0.0;   // L2 penalty added to the gradient (torch's weight_decay)
  LearningRateSchedule schedule = LearningRateSchedule::cosine;
  int step_epochs = 0;         // step schedule: multiply by step_gamma every step_epochs (0: epochs / 3)
  double step_gamma = 0.1;
  int batch_size = 128;
  int epochs = 10;
  int patience = 0;            // early stopping: epochs without a better validation accuracy (0: off)
  bool keep_best = true;       // return the weights of the best validation epoch (after pruning ends)
  std::uint64_t seed = 0;
  int threads = 1;             // torch intra-op threads and OpenBLAS threads; fixed for determinism

  // The loss sees logits / loss_temperature; accuracy and every exported model are unchanged
  // (argmax ignores a positive factor). 0 chooses: sqrt(fan-in) when the output layer has binary
  // or ternary weights and no batch norm after it, whose logits are sums of +-1 products that grow
  // with the fan-in and would saturate the softmax (FINN's SFC and LFC end that way); 1 otherwise.
  double loss_temperature = 0.0;

  // Gradual magnitude pruning (Zhu & Gupta 2017): each layer's sparsity rises from its initial
  // value to its target along a cubic curve between these fractions of all training steps.
  double prune_start = 0.0;
  double prune_end = 0.5;
  int prune_updates = 32;      // mask recomputations over that window

  // Activation scales the network leaves open follow an exponential moving average of the
  // quant layer's input maximum during the first calibration_epochs epochs, then stay fixed.
  int calibration_epochs = 1;
  double calibration_momentum = 0.9;  // weight of the previous average

  /// Throws InputError naming the first option out of range: "training option batch_size = 0:
  /// must be at least 1", or with the caller's name for it ({"batch_size", "--batch"} gives
  /// "--batch 0: must be at least 1").
  void validate(const std::map<std::string, std::string>& names = {}) const;
};

/// Learning rate for a step (0-based) of a run with steps_per_epoch steps in each of options.epochs.
double learning_rate_at(const TrainOptions& options, std::int64_t step, std::int64_t steps_per_epoch);

}  // namespace codse::nn
