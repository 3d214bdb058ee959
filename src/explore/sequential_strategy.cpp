// strategy: sequential, a baseline of bench/explore: accuracy first, then hardware. LEMONADE is
// told the error alone; each network is one trial {id, -1, -1} with the network metrics only (no
// hardware yet). When the network budget is spent, the network of best validation accuracy (what
// a user can see before the test set; the first one on ties) is mapped by the HAL and networks x
// devices x mappings_per_network trials are spread along its front (fewer if the front is
// smaller), recorded in one transaction.

#include "explore/co_exploration_strategy.hpp"

namespace codse::explore {
namespace {

class SequentialStrategy final : public CoExplorationStrategy {
 public:
  using CoExplorationStrategy::CoExplorationStrategy;

  std::unique_ptr<NetworkExplorer> make_explorer(std::vector<nn::Network> starts,
                                                 const TrainingHyper& hyper) const override {
    return lemonade_explorer(std::move(starts), hyper, network_objectives());
  }

  std::vector<Objective> network_objectives() const override { return {context_.config.objectives.front()}; }

  std::vector<Trial> network_trials(const NetworkRecord& record, const TrainedNetwork& trained,
                                    std::size_t first_number) const override {
    return {network_trial(record, trained, first_number)};
  }

  double failed_slot() const override { return -1.0; }

  bool has_final_phase() const override { return true; }

  /// The mapping phase's trials are those whose design's device index is not -1.
  bool in_final_phase(const Trial& trial) const override { return trial.design.values.at(1) >= 0.0; }

  std::vector<Trial> final_phase(const std::vector<Trial>& trials, const NetworkExplorer& explorer,
                                 std::size_t networks) const override {
    const Trial* best = nullptr;
    for (const auto& trial : trials) {
      if (trial.status != TrialStatus::complete) continue;
      if (!best || trial.metrics.at("validation_accuracy") > best->metrics.at("validation_accuracy")) best = &trial;
    }
    if (!best) return {};
    NetworkRecord r;
    r.id = static_cast<std::size_t>(best->design.values.at(0));
    r.artifacts = nlohmann::json::parse(best->artifacts_json);
    r.artifacts["selected_by"] = "validation accuracy (sequential flow)";
    for (const auto& [name, value] : best->metrics.values)
      if (is_network_metric(name)) r.metrics[name] = value;
    const auto& network = explorer.candidate(r.id).network;
    std::vector<DeviceMappings> mappings;
    for (std::size_t d = 0; d < context_.devices.size(); ++d)
      mappings.push_back(hal_mappings(context_, network, d, networks * context_.config.hardware.mappings_per_network));
    return joint_trials(r, mappings, context_.devices, context_.config.must_fit, trials.size(), 0.0);
  }
};

}  // namespace

std::unique_ptr<CoExplorationStrategy> make_sequential_strategy(const ExploreContext& context) {
  return std::make_unique<SequentialStrategy>(context);
}

}  // namespace codse::explore
