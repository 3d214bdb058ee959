#pragma once
// How a co-exploration searches networks and mappings (the config's strategy): one implementation
// per file, chosen by make_strategy.
//   lemonade    lemonade_strategy.cpp: LEMONADE over networks on the joint objectives, the HAL's
//               front per network and device (and the synthesis flow at fidelity synthesis)
//   random      random_strategy.cpp: random networks trained from scratch, each with random
//               feasible mappings (the baseline of bench/explore)
//   sequential  sequential_strategy.cpp: LEMONADE on error alone, then, once the network budget is
//               spent, the HAL maps the most accurate network with the whole joint-trial budget
// The orchestrator (CoExploration) asks the strategy's network explorer for candidates, trains
// them (network_training.hpp), stores their weights and replays stored trials; the strategy turns a
// trained network into trials and may add a final phase after the network budget.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/objective.hpp"
#include "core/trial.hpp"
#include "explore/explore_context.hpp"
#include "explore/network_candidate.hpp"
#include "explore/network_explorer.hpp"
#include "explore/network_mapping.hpp"
#include "explore/network_training.hpp"
#include "explore/trial_artifacts.hpp"
#include "nn/ir/network.hpp"

namespace codse::explore {

class CoExplorationStrategy {
 public:
  /// context must outlive the strategy and the explorers it makes.
  explicit CoExplorationStrategy(const ExploreContext& context) : context_(context) {}
  virtual ~CoExplorationStrategy() = default;
  CoExplorationStrategy(const CoExplorationStrategy&) = delete;
  CoExplorationStrategy& operator=(const CoExplorationStrategy&) = delete;

  /// The network explorer, starting from the starting networks with the configured hyperparameters.
  virtual std::unique_ptr<NetworkExplorer> make_explorer(std::vector<nn::Network> starts,
                                                         const TrainingHyper& hyper) const = 0;
  /// What the network explorer is told of each network (the best value of its trials per objective).
  virtual std::vector<Objective> network_objectives() const { return context_.config.objectives; }
  /// The trials of one trained network, numbered from first_number.
  virtual std::vector<Trial> network_trials(const NetworkRecord& record, const TrainedNetwork& trained,
                                            std::size_t first_number) const = 0;
  /// The design slot of a network's failed trial: {id, slot, slot}.
  virtual double failed_slot() const { return 0.0; }

  /// A phase after the network budget is spent (sequential's mapping phase); its trials are recorded
  /// in one transaction and replayed on resume.
  virtual bool has_final_phase() const { return false; }
  /// Whether a stored trial belongs to the final phase.
  virtual bool in_final_phase(const Trial&) const { return false; }
  /// The final phase's trials, numbered from trials.size(), given the networks' trials.
  virtual std::vector<Trial> final_phase(const std::vector<Trial>& /*trials*/, const NetworkExplorer& /*explorer*/,
                                         std::size_t /*networks*/) const {
    return {};
  }

 protected:
  /// The network-level constraints (error, params...) decide feasibility before any mapping: the
  /// network's failed trial when one is violated.
  std::optional<Trial> violated_network_constraint(const NetworkRecord& record, std::size_t first_number,
                                                   double seconds) const;
  /// The joint trials of the devices' mappings, or the network's failed trial when there are none.
  std::vector<Trial> joint_or_failed(const NetworkRecord& record, const std::vector<DeviceMappings>& mappings,
                                     std::size_t first_number, double train_seconds) const;
  /// LEMONADE over the starting networks, told the given objectives (lemonade and sequential).
  std::unique_ptr<NetworkExplorer> lemonade_explorer(std::vector<nn::Network> starts, const TrainingHyper& hyper,
                                                     std::vector<Objective> objectives) const;

  const ExploreContext& context_;
};

std::unique_ptr<CoExplorationStrategy> make_lemonade_strategy(const ExploreContext& context);
std::unique_ptr<CoExplorationStrategy> make_random_strategy(const ExploreContext& context);
std::unique_ptr<CoExplorationStrategy> make_sequential_strategy(const ExploreContext& context);

/// One registered strategy: the config's `strategy` names it.
struct StrategyEntry {
  std::string_view name;
  std::string_view description;  // one line, for messages and help
  bool maps_with_the_hal;        // its mappings come from the HAL's fronts (fidelity synthesis needs that)
  std::unique_ptr<CoExplorationStrategy> (*make)(const ExploreContext&);
};

/// Every strategy, the default (lemonade) first: the only list of their names.
const std::vector<StrategyEntry>& co_exploration_strategies();
/// The strategy named `name`, or nullptr.
const StrategyEntry* find_strategy(std::string_view name);
/// "lemonade, random, sequential": for messages.
std::string strategy_names();

/// The strategy context.config names.
std::unique_ptr<CoExplorationStrategy> make_strategy(const ExploreContext& context);

}  // namespace codse::explore
