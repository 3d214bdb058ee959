// The training loop, evaluation and prediction of trainer.hpp.

#include <chrono>
#include <ctime>
#include <cmath>
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "nn/quant/quantizer.hpp"
#include "nn/train/blas_runtime.hpp"
#include "nn/train/fused_adam.hpp"
#include "nn/train/heap_tuning.hpp"
#include "nn/train/pruning_schedule.hpp"
#include "nn/train/torch_network.hpp"
#include "nn/train/trainer.hpp"
#include "nn/train/training_memory.hpp"

namespace codse::nn {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// Torch's intra-op threads and OpenBLAS's own pool, which torch's matrix products use, both
/// follow `threads`.
void use_threads(int threads) {
  torch::set_num_threads(threads);
  set_blas_threads(threads);
}

/// The samples as tensors: features [N, F] (a view of the caller's memory) and labels [N] (int64).
struct SampleTensors {
  torch::Tensor features;
  torch::Tensor labels;
};

SampleTensors to_tensors(const Network& network, const LabeledSamples& samples, const std::string& what) {
  const auto count = static_cast<std::int64_t>(samples.size());
  const auto input_size = network.input_shape().size();
  if (static_cast<std::int64_t>(samples.features.size()) != count * input_size) {
    throw InputError(fmt::format("{}: {} features for {} samples; network {} takes {} per sample", what,
                                 samples.features.size(), count, network.name(), input_size));
  }
  const auto classes = network.output_shape().size();
  for (const int label : samples.labels) {
    if (label < 0 || label >= classes)
      throw InputError(fmt::format("{}: label {} but network {} has {} outputs", what, label, network.name(), classes));
  }
  auto* features = const_cast<float*>(samples.features.data());
  auto* labels = const_cast<int*>(samples.labels.data());
  return {torch::from_blob(features, {count, input_size}, torch::kFloat32),
          torch::from_blob(labels, {count}, torch::kInt32).to(torch::kInt64)};
}

constexpr std::int64_t evaluation_batch = 1024;

double accuracy(TorchNetwork& model, const SampleTensors& samples) {
  const auto count = samples.labels.size(0);
  if (count == 0) return 0.0;
  torch::NoGradGuard no_grad;
  model.eval();
  std::int64_t correct = 0;
  for (std::int64_t start = 0; start < count; start += evaluation_batch) {
    const auto end = std::min(count, start + evaluation_batch);
    const auto predicted = model.forward(samples.features.slice(0, start, end)).argmax(1);
    correct += (predicted == samples.labels.slice(0, start, end)).sum().item<std::int64_t>();
  }
  return static_cast<double>(correct) / static_cast<double>(count);
}

/// Sets open activation scales from the training inputs without changing any weight (a run of
/// zero epochs still needs them), then fixes them.
void calibrate(TorchNetwork& model, const SampleTensors& samples, std::int64_t batch) {
  torch::NoGradGuard no_grad;
  model.eval();
  const auto count = samples.features.size(0);
  for (std::int64_t start = 0; start < count; start += batch)
    model.forward(samples.features.slice(0, start, std::min(count, start + batch)));
  model.freeze_activation_scales();
}

/// See TrainOptions::loss_temperature.
double loss_temperature(const Network& network, const TrainOptions& options) {
  if (options.loss_temperature > 0) return options.loss_temperature;
  const auto& layers = network.layers();
  for (std::size_t i = layers.size(); i-- > 0;) {
    const auto& layer = layers[i];
    if (layer.kind == LayerKind::batchnorm) return 1.0;
    if (!layer.has_weights()) continue;
    if (!is_binary(layer.weight_quant) && !is_ternary(layer.weight_quant)) return 1.0;
    return std::sqrt(static_cast<double>(network.shapes()[network.input_indices(i).at(0)].size()));
  }
  return 1.0;
}

std::unique_ptr<torch::optim::Optimizer> make_optimizer(const TrainOptions& options,
                                                        const std::vector<torch::Tensor>& parameters) {
  if (options.optimizer == Optimizer::sgd) {
    return std::make_unique<torch::optim::SGD>(
        parameters,
        torch::optim::SGDOptions(options.learning_rate).momentum(options.momentum).weight_decay(options.weight_decay));
  }
  return std::make_unique<FusedAdam>(parameters,
                                     torch::optim::AdamOptions(options.learning_rate).weight_decay(options.weight_decay));
}

void set_learning_rate(torch::optim::Optimizer& optimizer, double rate) {
  for (auto& group : optimizer.param_groups()) group.options().set_lr(rate);
}

std::shared_ptr<TorchNetwork> build_model(const Network& network, std::uint64_t seed, const Weights* weights,
                                          bool keep_weight_scales) {
  auto model = std::make_shared<TorchNetwork>(network, at::make_generator<at::CPUGeneratorImpl>(seed));
  if (weights) model->load(*weights, keep_weight_scales);
  return model;
}

/// The first layer whose parameters hold a NaN or an infinity, or nothing.
std::optional<std::string> non_finite_layer(const Weights& weights) {
  for (const auto& [name, layer] : weights.layers)
    for (const Tensor* tensor : {&layer.weight, &layer.bias, &layer.gamma, &layer.beta, &layer.running_mean,
                                 &layer.running_var})
      for (const float v : tensor->data)
        if (!std::isfinite(v)) return name;
  return std::nullopt;
}

/// One pass over the training set in a seeded random order; returns the mean loss.
class EpochRunner {
 public:
  EpochRunner(TorchNetwork& model, torch::optim::Optimizer& optimizer, const TrainOptions& options,
              const SampleTensors& data, const PruningSchedule& pruning, at::Generator generator)
      : model_(model), optimizer_(optimizer), options_(options), data_(data), pruning_(pruning),
        generator_(std::move(generator)), temperature_(loss_temperature(model.network(), options)) {}

  std::int64_t steps_per_epoch() const {
    const auto count = data_.labels.size(0);
    return (count + options_.batch_size - 1) / options_.batch_size;
  }

  double run(std::int64_t& step) {
    model_.train();
    const auto count = data_.labels.size(0);
    const auto order = torch::randperm(count, generator_, torch::TensorOptions().dtype(torch::kInt64));
    double loss_sum = 0.0;
    for (std::int64_t start = 0; start < count; start += options_.batch_size, ++step) {
      throw_if_interrupted();  // SIGINT/SIGTERM: stop within a batch
      set_learning_rate(optimizer_, learning_rate_at(options_, step, steps_per_epoch()));
      if (model_.has_pruning() && pruning_.updates_at(step)) model_.prune(pruning_.progress_at(step));
      const auto batch = order.slice(0, start, std::min(count, start + options_.batch_size));
      auto logits = model_.forward(data_.features.index_select(0, batch));
      if (temperature_ != 1.0) logits = logits / temperature_;
      const auto loss = torch::nn::functional::cross_entropy(logits, data_.labels.index_select(0, batch));
      optimizer_.zero_grad();
      loss.backward();
      optimizer_.step();
      model_.constrain_weights();
      const double batch_loss = loss.item<double>();
      if (!std::isfinite(batch_loss))
        throw TrainingDiverged(fmt::format(
            "training diverged: the loss is {} at step {} (learning rate {:g}); nothing was written. Lower the "
            "learning rate or use a schedule",
            std::isnan(batch_loss) ? "NaN" : "infinite", step, learning_rate_at(options_, step, steps_per_epoch())));
      loss_sum += batch_loss * static_cast<double>(batch.size(0));
    }
    return count ? loss_sum / static_cast<double>(count) : 0.0;
  }

 private:
  TorchNetwork& model_;
  torch::optim::Optimizer& optimizer_;
  const TrainOptions& options_;
  const SampleTensors& data_;
  const PruningSchedule& pruning_;
  at::Generator generator_;
  double temperature_;
};

}  // namespace

TrainResult train(const Network& network, const LabeledSamples& train_set, const LabeledSamples& validation_set,
                  const TrainOptions& options, const Weights* warm_start, const EpochCallback& on_epoch) {
  const auto run_start = Clock::now();
  options.validate();
  if (train_set.size() == 0) throw InputError("training set is empty");
  if (validation_set.size() == 0) throw InputError("validation set is empty");
  check_training_memory(network, options, train_set.size() + validation_set.size());
  use_threads(options.threads);
  keep_freed_memory_in_heap();
  const auto data = to_tensors(network, train_set, "training set");
  const auto validation = to_tensors(network, validation_set, "validation set");

  const auto model_pointer = build_model(network, options.seed, warm_start, false);
  auto& model = *model_pointer;
  model.set_calibration_momentum(options.calibration_momentum);
  auto optimizer = make_optimizer(options, model.parameters());
  // Shuffling has its own stream, so adding a dropout layer does not change the sample order.
  auto shuffling = at::make_generator<at::CPUGeneratorImpl>(options.seed ^ 0x9e3779b97f4a7c15ull);

  const auto steps_per_epoch = (static_cast<std::int64_t>(train_set.size()) + options.batch_size - 1) /
                               options.batch_size;
  const PruningSchedule pruning(steps_per_epoch * options.epochs, options.prune_start, options.prune_end,
                                options.prune_updates);
  EpochRunner runner(model, *optimizer, options, data, pruning, shuffling);

  TrainResult result;
  std::optional<Weights> best;
  double best_accuracy = -1.0;
  int epochs_without_improvement = 0;
  std::int64_t step = 0;
  for (int epoch = 1; epoch <= options.epochs; ++epoch) {
    const auto epoch_start = Clock::now();
    EpochMetrics metrics;
    metrics.epoch = epoch;
    const auto cpu_start = std::clock();
    metrics.train_loss = runner.run(step);
    metrics.train_seconds = seconds_since(epoch_start);
    metrics.train_cpu_seconds = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
    if (epoch == options.calibration_epochs) model.freeze_activation_scales();
    metrics.validation_accuracy = accuracy(model, validation);
    metrics.learning_rate = learning_rate_at(options, step - 1, steps_per_epoch);
    metrics.sparsity = model.sparsity();
    metrics.seconds = seconds_since(epoch_start);
    metrics.elapsed_seconds = seconds_since(run_start);
    result.history.push_back(metrics);
    result.train_seconds += metrics.train_seconds;
    result.train_cpu_seconds += metrics.train_cpu_seconds;
    result.samples_seen += static_cast<std::int64_t>(train_set.size());
    if (on_epoch) on_epoch(metrics);

    // Only epochs that train the final network (masks at target, scales fixed) may be returned.
    const bool final_form = epoch >= options.calibration_epochs && (!model.has_pruning() || step > pruning.end_step());
    if (!final_form) continue;
    if (metrics.validation_accuracy > best_accuracy) {
      best_accuracy = metrics.validation_accuracy;
      result.best_epoch = epoch;
      if (options.keep_best) best = model.weights();
      epochs_without_improvement = 0;
    } else if (options.patience > 0 && ++epochs_without_improvement >= options.patience) {
      result.stopped_early = epoch < options.epochs;
      break;
    }
  }

  if (options.epochs == 0) {
    calibrate(model, data, evaluation_batch);
    result.validation_accuracy = accuracy(model, validation);
  }
  if (best) {
    result.weights = std::move(*best);
    result.validation_accuracy = best_accuracy;
  } else {
    result.weights = model.weights();
    if (!result.history.empty()) {
      result.best_epoch = result.history.back().epoch;
      result.validation_accuracy = result.history.back().validation_accuracy;
    }
  }
  if (const auto layer = non_finite_layer(result.weights))
    throw TrainingDiverged(fmt::format("training diverged: the weights of layer {} are not finite (learning rate {:g}); "
                                       "nothing was written. Lower the learning rate",
                                       *layer, options.learning_rate));
  result.convergence = time_to_convergence(result.history);
  result.seconds = seconds_since(run_start);
  return result;
}

double evaluate_accuracy(const Network& network, const Weights& weights, const LabeledSamples& samples, int threads) {
  use_threads(threads);
  const auto model_pointer = build_model(network, 0, &weights, true);
  auto& model = *model_pointer;
  model.require_activation_scales();
  model.freeze_activation_scales();
  return accuracy(model, to_tensors(network, samples, "evaluation set"));
}

std::vector<float> predict_logits(const Network& network, const Weights& weights, std::span<const float> features,
                                  int threads) {
  use_threads(threads);
  const auto model_pointer = build_model(network, 0, &weights, true);
  auto& model = *model_pointer;
  model.require_activation_scales();
  model.freeze_activation_scales();
  const auto input_size = network.input_shape().size();
  if (features.size() % static_cast<std::size_t>(input_size) != 0) {
    throw InputError(fmt::format("predict: {} features are not a whole number of inputs of size {}", features.size(),
                                 input_size));
  }
  const auto count = static_cast<std::int64_t>(features.size()) / input_size;
  torch::NoGradGuard no_grad;
  model.eval();
  const auto inputs = torch::from_blob(const_cast<float*>(features.data()), {count, input_size}, torch::kFloat32);
  std::vector<float> result;
  result.reserve(static_cast<std::size_t>(count * network.output_shape().size()));
  for (std::int64_t start = 0; start < count; start += evaluation_batch) {
    const auto logits = model.forward(inputs.slice(0, start, std::min(count, start + evaluation_batch))).contiguous();
    result.insert(result.end(), logits.data_ptr<float>(), logits.data_ptr<float>() + logits.numel());
  }
  return result;
}

}  // namespace codse::nn
