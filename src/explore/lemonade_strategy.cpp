// strategy: lemonade, the co-exploration. LEMONADE proposes networks on the joint objectives; each
// trained network is mapped by the HAL on every device and mappings_per_network mappings spread
// along its front become joint trials; at fidelity synthesis an explorer (active learning) also has mappings of
// the front built, verified and synthesized (mapping_synthesis.hpp). The rows of the config's
// lemonade section sit here too.

#include <optional>

#include <fmt/format.h>

#include "explore/co_exploration_strategy.hpp"
#include "explore/config_fields.hpp"
#include "explore/trial_seed.hpp"
#include "nn/integer/integer_export.hpp"

namespace codse::explore {

/// lemonade: LEMONADE's generation sizes (also the batch the orchestrator asks, and the random
/// strategy's chain length).
ConfigSection lemonade_section() {
  using C = ExploreConfig;
  using L = LemonadeConfig;
  ConfigSection s{"lemonade",
                  {field("lemonade.generated", at(&C::lemonade, &L::generated), integer<std::size_t>(1, 10000),
                         InIdentity::always),
                   field("lemonade.accepted", at(&C::lemonade, &L::accepted), integer<std::size_t>(1, 10000),
                         InIdentity::always),
                   field("lemonade.hyper_mutation", at(&C::lemonade, &L::hyper_mutation), number(0.0, 1.0),
                         InIdentity::always)}};
  s.after = [](const ConfigReader& r, const YAML::Node& node, ExploreConfig& c) {
    const auto& l = c.lemonade;
    if (l.accepted > l.generated)
      r.fail(node, "lemonade.accepted",
             fmt::format("{} is more than lemonade.generated ({})", l.accepted, l.generated));
  };
  return s;
}

namespace {

class LemonadeStrategy final : public CoExplorationStrategy {
 public:
  using CoExplorationStrategy::CoExplorationStrategy;

  std::unique_ptr<NetworkExplorer> make_explorer(std::vector<nn::Network> starts,
                                                 const TrainingHyper& hyper) const override {
    return lemonade_explorer(std::move(starts), hyper, network_objectives());
  }

  std::vector<Trial> network_trials(const NetworkRecord& record, const TrainedNetwork& trained,
                                    std::size_t first_number) const override {
    if (auto failed = violated_network_constraint(record, first_number, trained.seconds)) return {*failed};
    const auto& config = context_.config;
    std::optional<nn::IntegerModel> model;
    SynthesisJob synthesis;
    if (config.fidelity == ExploreFidelity::synthesis) {
      model = nn::export_integer_model(trained.network, trained.weights);
      synthesis.network = &trained.network;
      synthesis.model = &*model;
      synthesis.seed = trial_seed(config.seed, record.id);
      synthesis.out_dir = context_.files.rtl_dir(record.id);
      const auto& test = context_.data->test;
      for (std::size_t i = 0; i < config.synthesis.verify_inputs && i < test.size(); ++i)
        synthesis.verify_inputs.push_back(model->quantize_input(test.sample(i)));
    }
    std::vector<DeviceMappings> mappings;
    for (std::size_t d = 0; d < context_.devices.size(); ++d)
      mappings.push_back(hal_mappings(context_, trained.network, d, config.hardware.mappings_per_network,
                                      model ? &synthesis : nullptr));
    return joint_or_failed(record, mappings, first_number, trained.seconds);
  }
};

}  // namespace

std::unique_ptr<CoExplorationStrategy> make_lemonade_strategy(const ExploreContext& context) {
  return std::make_unique<LemonadeStrategy>(context);
}

}  // namespace codse::explore
