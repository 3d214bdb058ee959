#include "explore/co_exploration_strategy.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "explore/lemonade_explorer.hpp"

namespace codse::explore {

std::optional<Trial> CoExplorationStrategy::violated_network_constraint(const NetworkRecord& record,
                                                                        std::size_t first_number,
                                                                        double seconds) const {
  for (const auto& b : context_.config.constraints)
    if (is_network_metric(b.metric) && !b.holds(record.metrics.at(b.metric)))
      return failed_trial(record, first_number, failed_slot(), seconds, "violates the constraint " + b.to_string());
  return std::nullopt;
}

std::vector<Trial> CoExplorationStrategy::joint_or_failed(const NetworkRecord& record,
                                                          const std::vector<DeviceMappings>& mappings,
                                                          std::size_t first_number, double train_seconds) const {
  auto trials = joint_trials(record, mappings, context_.devices, context_.config.must_fit, first_number, train_seconds);
  if (trials.empty())
    return {failed_trial(record, first_number, failed_slot(), train_seconds,
                         "no mapping satisfies the constraints on any device")};
  return trials;
}

std::unique_ptr<NetworkExplorer> CoExplorationStrategy::lemonade_explorer(std::vector<nn::Network> starts,
                                                                          const TrainingHyper& hyper,
                                                                          std::vector<Objective> objectives) const {
  const auto& config = context_.config;
  LemonadeOptions lemonade{config.lemonade.generated, config.lemonade.accepted, config.lemonade.hyper_mutation,
                           config.ml, std::move(objectives), config.seed};
  const auto& device = context_.devices.front();
  const auto& calibration = context_.calibrations.front();
  return std::make_unique<LemonadeExplorer>(
      std::move(starts), hyper, lemonade,
      [&device, &calibration](const nn::Network& n) { return folding_lut_cost(n, device, calibration); });
}

const std::vector<StrategyEntry>& co_exploration_strategies() {
  static const std::vector<StrategyEntry> entries{
      {"lemonade", "LEMONADE over networks on the joint objectives, the HAL's front per network and device", true,
       make_lemonade_strategy},
      {"random", "random networks trained from scratch, each with random feasible mappings (a baseline)", false,
       make_random_strategy},
      {"sequential", "LEMONADE on error alone, then the HAL maps the most accurate network (a baseline)", false,
       make_sequential_strategy},
  };
  return entries;
}

const StrategyEntry* find_strategy(std::string_view name) {
  for (const auto& entry : co_exploration_strategies())
    if (entry.name == name) return &entry;
  return nullptr;
}

std::string strategy_names() {
  std::string names;
  for (const auto& entry : co_exploration_strategies()) names += fmt::format("{}{}", names.empty() ? "" : ", ", entry.name);
  return names;
}

std::unique_ptr<CoExplorationStrategy> make_strategy(const ExploreContext& context) {
  const auto* entry = find_strategy(context.config.strategy);
  if (!entry)
    throw InputError(fmt::format("unknown strategy '{}' (known: {})", context.config.strategy, strategy_names()));
  return entry->make(context);
}

}  // namespace codse::explore
