// strategy: random, a baseline of bench/explore at the same budget of trained networks and joint
// trials: RandomNetworkExplorer's networks (random morphism chains and hyperparameters from the
// knobs' ranges), trained from scratch, each with mappings_per_network random feasible mappings per
// device (random_mappings.hpp).

#include "explore/co_exploration_strategy.hpp"
#include "explore/random_network_explorer.hpp"

namespace codse::explore {
namespace {

class RandomStrategy final : public CoExplorationStrategy {
 public:
  using CoExplorationStrategy::CoExplorationStrategy;

  std::unique_ptr<NetworkExplorer> make_explorer(std::vector<nn::Network> starts,
                                                 const TrainingHyper& hyper) const override {
    const auto& config = context_.config;
    // As far from the start as LEMONADE's last generation can get within the network budget.
    const std::size_t generations =
        config.budget_networks ? (config.budget_networks + config.lemonade.accepted - 1) / config.lemonade.accepted : 8;
    return std::make_unique<RandomNetworkExplorer>(std::move(starts), hyper, config.ml, generations, config.seed);
  }

  std::vector<Trial> network_trials(const NetworkRecord& record, const TrainedNetwork& trained,
                                    std::size_t first_number) const override {
    if (auto failed = violated_network_constraint(record, first_number, trained.seconds)) return {*failed};
    std::vector<DeviceMappings> mappings;
    for (std::size_t d = 0; d < context_.devices.size(); ++d)
      mappings.push_back(random_device_mappings(context_, trained.network, record.id, d));
    return joint_or_failed(record, mappings, first_number, trained.seconds);
  }
};

}  // namespace

std::unique_ptr<CoExplorationStrategy> make_random_strategy(const ExploreContext& context) {
  return std::make_unique<RandomStrategy>(context);
}

}  // namespace codse::explore
