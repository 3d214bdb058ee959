#include "cli/explore_dry_run.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "cli/evaluation_workers.hpp"
#include "explore/explore_dataset.hpp"
#include "explore/run_plan.hpp"
#include "explore/start_calibration.hpp"
#include "nn/train/blas_runtime.hpp"
#include "search/mpi/mpi_session.hpp"

namespace codse {
namespace {

/// Networks trained at once: the MPI ranks but rank 0, else --workers.
std::size_t training_workers(std::size_t workers) {
  return MpiSession::active() ? static_cast<std::size_t>(MpiSession::size() - 1) : std::max<std::size_t>(workers, 1);
}

/// Two decimals below 10 s: a small network trains in hundredths of a second.
std::string seconds_text(double seconds) {
  return seconds < 10.0 ? fmt::format("{:.2f} s", seconds) : fmt::format("{:.1f} s", seconds);
}

std::string minutes_text(double seconds) {
  return seconds < 120.0 ? fmt::format("{:.1f} s", seconds) : fmt::format("{:.1f} min", seconds / 60.0);
}

explore::RunPlanInput plan_input(const explore::ExploreConfig& config, std::size_t workers, double start_seconds) {
  explore::RunPlanInput input;
  input.starts = config.networks.size();
  input.networks = config.budget_networks;
  input.batch = config.lemonade.accepted;
  input.workers = workers;
  input.mappings_per_network = config.hardware.mappings_per_network;
  input.devices = config.hardware.devices.size();
  input.start_seconds = start_seconds;
  input.start_epochs = config.training.epochs;
  input.epochs_min = config.ml.epochs_min;
  input.epochs_max = config.ml.epochs_max;
  input.budget_minutes = config.budget_minutes;
  return input;
}

void print_networks_and_trials(const explore::ExploreConfig& config, const explore::RunPlan& plan) {
  if (plan.networks == 0) {
    fmt::print("networks:    no budget.networks: as many as budget.minutes {} allows\n", config.budget_minutes);
    fmt::print("trials:      at most {} per network ({} mappings per network x {} devices)\n",
               config.hardware.mappings_per_network * config.hardware.devices.size(),
               config.hardware.mappings_per_network, config.hardware.devices.size());
    return;
  }
  fmt::print("networks:    {} (budget.networks): {} starting, then batches of {} (lemonade.accepted)\n", plan.networks,
             config.networks.size(), config.lemonade.accepted);
  fmt::print("trials:      at most {} ({} networks x {} mappings per network x {} devices)\n", plan.trials,
             plan.networks, config.hardware.mappings_per_network, config.hardware.devices.size());
}

void print_estimate(const explore::ExploreConfig& config, const explore::RunPlan& plan, std::size_t workers) {
  if (plan.networks == 0) {
    // One child network's time per round, min(workers, batch) at once: what the wall time buys.
    const double parallel = static_cast<double>(std::min(workers, config.lemonade.accepted));
    fmt::print("estimate:    {} (budget.minutes); about {:.0f} networks at {} each\n", minutes_text(plan.wall_seconds),
               std::floor(plan.wall_seconds / plan.child_seconds * parallel), seconds_text(plan.child_seconds));
    return;
  }
  fmt::print("estimate:    {} wall: {} network times one after the other, children at {} "
             "({} epochs on average, ml_knobs.epochs {}..{}, against {} at the start)\n",
             minutes_text(plan.seconds), plan.rounds, seconds_text(plan.child_seconds), 0.5 * (config.ml.epochs_min + config.ml.epochs_max),
             config.ml.epochs_min, config.ml.epochs_max, config.training.epochs);
  if (config.budget_minutes <= 0.0) fmt::print("budget:      no budget.minutes: the networks end the run\n");
  else if (plan.capped)
    fmt::print("budget:      budget.minutes {} caps the run at {}: fewer networks than budget.networks\n",
               config.budget_minutes, minutes_text(plan.wall_seconds));
  else fmt::print("budget:      budget.minutes {} caps the run; the estimate is within it\n", config.budget_minutes);
}

}  // namespace

void print_explore_plan(const std::string& config_path, const explore::ExploreConfig& config, std::size_t workers) {
  // An MPI rank above 0 returns to wait in MPI_Finalize: rank 0 alone plans, and no executor
  // exists, so there is nothing to serve.
  if (serves_jobs(false)) return;
  const auto data = explore::load_explore_dataset(config);
  explore::check_networks_fit(config, data);
  nn::set_blas_threads(config.training.threads);
  const auto calibration = explore::calibrate_start_network(config, data);
  const auto trainers = training_workers(workers);
  const auto plan = explore::plan_run(plan_input(config, trainers, calibration.seconds));

  fmt::print("dry run of {} ({}): nothing stored\n", config.name, config_path);
  print_networks_and_trials(config, plan);
  fmt::print("workers:     {}\n", evaluation_workers_text(workers));
  fmt::print("calibration: starting network {}: {} epochs, trained and mapped in {:.2f} s ({} trials{})\n",
             config.networks.front().filename().string(), config.training.epochs, calibration.seconds,
             calibration.trials, calibration.error.empty() ? "" : "; it failed: " + calibration.error);
  print_estimate(config, plan, trainers);
}

}  // namespace codse
