#pragma once
// Training a Network with libtorch: quantization-aware (fake quantization with straight-through
// estimators), gradual magnitude pruning, warm start, early stopping. This header is torch-free;
// only the nn/train/torch_*.cpp files include libtorch.
//
// What training decides and records in the returned Weights (see quantizer.hpp for the levels):
// - Weight scales the Network leaves open follow the current weights at every step
//   (choose_weight_scale_log2 of w * mask: their maximum, or for ternary and 2-bit weights the
//   least squared error), so the forward pass during training, the recorded weight_scale_log2 and
//   the integer export agree.
// - Activation scales left open (quant layers and a quantized input) follow an exponential moving
//   average of the layer input's maximum (ternary and 2-bit: of 2^e, e fitted to the batch by
//   fit_scale_log2) during the first calibration epoch(s), then stay fixed; the fixed value is the
//   recorded activation_scale_log2. Scales found in warm-start weights are kept as they are.
// - Binary weights keep latent float weights clipped to [-1, 1] (BinaryConnect); pruned weights
//   are zero in the latent weights as well as in the mask, and structured pruning also zeroes the
//   bias of a removed unit, so a removed unit outputs exactly zero before batch norm.

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "nn/ir/network.hpp"
#include <stdexcept>

#include "nn/train/train_options.hpp"
#include "nn/train/training_metrics.hpp"
#include "nn/ir/weights.hpp"

namespace codse::nn {

/// Samples in row-major order: labels.size() rows of the network's input size (CHW order).
/// Labels are class indices 0..classes-1. Views only: the caller keeps the data alive.
struct LabeledSamples {
  std::span<const float> features;
  std::span<const int> labels;
  std::size_t size() const { return labels.size(); }
};

struct TrainResult {
  Weights weights;                     // best validation epoch after pruning (keep_best) or last
  std::vector<EpochMetrics> history;   // one entry per epoch run
  Convergence convergence;
  int best_epoch = 0;                  // the epoch `weights` come from (0: before any training)
  double validation_accuracy = 0.0;    // of `weights`
  bool stopped_early = false;
  double seconds = 0.0;                // whole run
  double train_seconds = 0.0;          // optimisation steps only, summed over epochs
  double train_cpu_seconds = 0.0;      // their processor time, all threads
  std::int64_t samples_seen = 0;       // training samples processed (throughput = / train_seconds)
};

/// The loss or the weights became NaN or infinite (e.g. a learning rate far too high): training
/// stops; the message says at which step and suggests a lower learning rate.
class TrainingDiverged : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

using EpochCallback = std::function<void(const EpochMetrics&)>;

/// Trains network on train_set, choosing weights by accuracy on validation_set. warm_start (may be
/// null) provides initial weights for the layers it holds (e.g. a morphism's inherited weights);
/// other layers start from PyTorch's default initialisation. Deterministic for options.seed and
/// options.threads. Throws InputError on inconsistent data, options or warm-start shapes.
TrainResult train(const Network& network, const LabeledSamples& train_set, const LabeledSamples& validation_set,
                  const TrainOptions& options, const Weights* warm_start = nullptr,
                  const EpochCallback& on_epoch = {});

/// Top-1 accuracy (0..1) of the fake-quantized network with these weights (evaluation mode).
double evaluate_accuracy(const Network& network, const Weights& weights, const LabeledSamples& samples,
                         int threads = 1);

/// Logits of the fake-quantized network for samples.size() inputs: row-major, one row of the
/// output size per input.
std::vector<float> predict_logits(const Network& network, const Weights& weights, std::span<const float> features,
                                  int threads = 1);

}  // namespace codse::nn
