#include "nn/train/train_options.hpp"

#include <cmath>
#include <numbers>

#include <fmt/format.h>

#include "core/error.hpp"

namespace codse::nn {

const char* to_string(Optimizer optimizer) {
  switch (optimizer) {
    case Optimizer::sgd: return "sgd";
    case Optimizer::adam: return "adam";
  }
  return "?";
}

const char* to_string(LearningRateSchedule schedule) {
  switch (schedule) {
    case LearningRateSchedule::constant: return "constant";
    case LearningRateSchedule::step: return "step";
    case LearningRateSchedule::cosine: return "cosine";
  }
  return "?";
}

Optimizer optimizer_from_string(const std::string& name, const std::string& what) {
  if (name == "sgd") return Optimizer::sgd;
  if (name == "adam") return Optimizer::adam;
  throw InputError(fmt::format("{} '{}': expected sgd or adam", what, name));
}

LearningRateSchedule schedule_from_string(const std::string& name, const std::string& what) {
  if (name == "constant") return LearningRateSchedule::constant;
  if (name == "step") return LearningRateSchedule::step;
  if (name == "cosine") return LearningRateSchedule::cosine;
  throw InputError(fmt::format("{} '{}': expected constant, step or cosine", what, name));
}

void TrainOptions::validate(const std::map<std::string, std::string>& names) const {
  const auto require = [&](bool ok, const std::string& option, double value, const char* expected) {
    if (ok) return;
    const auto name = names.find(option);
    if (name != names.end()) throw InputError(fmt::format("{} {}: {}", name->second, value, expected));
    throw InputError(fmt::format("training option {} = {}: {}", option, value, expected));
  };
  require(std::isfinite(learning_rate) && learning_rate > 0, "learning_rate", learning_rate, "must be positive");
  require(momentum >= 0 && momentum < 1, "momentum", momentum, "must be in [0, 1)");
  require(weight_decay >= 0, "weight_decay", weight_decay, "must not be negative");
  require(step_epochs >= 0, "step_epochs", step_epochs, "must not be negative");
  require(step_gamma > 0 && step_gamma <= 1, "step_gamma", step_gamma, "must be in (0, 1]");
  require(batch_size >= 1, "batch_size", batch_size, "must be at least 1");
  require(epochs >= 0, "epochs", epochs, "must not be negative");
  require(patience >= 0, "patience", patience, "must not be negative");
  require(loss_temperature >= 0, "loss_temperature", loss_temperature, "must not be negative (0: automatic)");
  require(threads >= 1, "threads", threads, "must be at least 1");
  require(prune_start >= 0 && prune_start <= 1, "prune_start", prune_start, "must be in [0, 1]");
  require(prune_end >= prune_start && prune_end <= 1, "prune_end", prune_end, "must be in [prune_start, 1]");
  require(prune_updates >= 1, "prune_updates", prune_updates, "must be at least 1");
  require(calibration_epochs >= 1, "calibration_epochs", calibration_epochs, "must be at least 1");
  require(calibration_momentum >= 0 && calibration_momentum < 1, "calibration_momentum", calibration_momentum,
          "must be in [0, 1)");
}

double learning_rate_at(const TrainOptions& options, std::int64_t step, std::int64_t steps_per_epoch) {
  switch (options.schedule) {
    case LearningRateSchedule::constant:
      return options.learning_rate;
    case LearningRateSchedule::step: {
      const int every = options.step_epochs > 0 ? options.step_epochs : std::max(1, options.epochs / 3);
      const auto epoch = step / std::max<std::int64_t>(1, steps_per_epoch);
      return options.learning_rate * std::pow(options.step_gamma, static_cast<double>(epoch / every));
    }
    case LearningRateSchedule::cosine: {
      // Per step, from the full rate down to zero at the end of the last epoch.
      const double total = static_cast<double>(std::max<std::int64_t>(1, steps_per_epoch * options.epochs));
      return options.learning_rate * 0.5 * (1.0 + std::cos(std::numbers::pi * static_cast<double>(step) / total));
    }
  }
  return options.learning_rate;
}

}  // namespace codse::nn
