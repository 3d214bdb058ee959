#include "explore/run_plan.hpp"

#include <algorithm>
#include <stdexcept>

namespace codse::explore {
namespace {

std::size_t ceil_div(std::size_t a, std::size_t b) { return (a + b - 1) / b; }

/// Network times one after the other for `networks` networks asked `batch` at a time on `workers`.
std::size_t batched_rounds(std::size_t networks, std::size_t batch, std::size_t workers) {
  return networks / batch * ceil_div(batch, workers) + ceil_div(networks % batch, workers);
}

}  // namespace

RunPlan plan_run(const RunPlanInput& input) {
  if (input.batch == 0 || input.workers == 0 || input.start_epochs <= 0 || input.epochs_min > input.epochs_max)
    throw std::invalid_argument("plan_run: batch, workers and start epochs must be positive, epochs_min <= epochs_max");
  RunPlan plan;
  const double mean_epochs = 0.5 * (input.epochs_min + input.epochs_max);
  plan.child_seconds = input.start_seconds * mean_epochs / input.start_epochs;
  const double budget_seconds = input.budget_minutes * 60.0;
  if (input.networks == 0) {  // only the wall-time budget ends the run
    plan.wall_seconds = budget_seconds;
    return plan;
  }
  plan.networks = input.networks;
  plan.trials = input.networks * input.mappings_per_network * input.devices;
  const std::size_t starts = std::min(input.starts, input.networks);
  const std::size_t start_rounds = ceil_div(starts, input.workers);
  const std::size_t child_rounds = batched_rounds(input.networks - starts, input.batch, input.workers);
  plan.rounds = start_rounds + child_rounds;
  plan.seconds = static_cast<double>(start_rounds) * input.start_seconds +
                 static_cast<double>(child_rounds) * plan.child_seconds;
  plan.capped = budget_seconds > 0.0 && plan.seconds > budget_seconds;
  plan.wall_seconds = plan.capped ? budget_seconds : plan.seconds;
  return plan;
}

}  // namespace codse::explore
