#include "explore/co_exploration.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "explore/explore_dataset.hpp"
#include "explore/explore_test_support.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"

namespace codse::explore {
namespace {

TEST(CoExploration, RecordsJointDesignsWithArtifactsDocumentsAndWeights) {
  testing::TempDir dir;
  const auto config = parse_explore_config(testing::digits_config(5), dir / "tiny.yaml");
  testing::ExplorationStudy study(config, dir.path());
  std::size_t progress_calls = 0;
  study.exploration.on_progress([&](const ExploreProgress& p) {
    ++progress_calls;
    EXPECT_EQ(p.networks, progress_calls);
  });
  const auto result = study.run();
  EXPECT_EQ(result.trained_networks, 5u);
  EXPECT_EQ(progress_calls, 5u);
  const auto stored = study.journal.trials();
  ASSERT_EQ(stored.size(), result.trials.size());
  std::set<double> networks;
  double best_accuracy = 0.0;
  for (const auto& trial : stored) {
    networks.insert(trial.design.values[0]);
    if (trial.status != TrialStatus::complete) continue;
    const auto artifacts = nlohmann::json::parse(trial.artifacts_json);
    for (const auto* key : {"network", "mapping", "estimate", "morphism", "training", "weights"})
      EXPECT_TRUE(artifacts.contains(key)) << key;
    EXPECT_TRUE(artifacts["estimate"].contains("total"));
    EXPECT_TRUE(std::filesystem::exists(dir / artifacts["weights"].get<std::string>()));
    for (const auto* metric : {"error", "accuracy", "lut", "latency_us", "fps", "params", "macs"})
      EXPECT_TRUE(trial.metrics.values.contains(metric)) << metric;
    best_accuracy = std::max(best_accuracy, trial.metrics.at("accuracy"));
    EXPECT_LE(trial.metrics.at("lut"), 5280.0) << "fits the iCE40";
    if (trial.design.values[0] > 0) {
      EXPECT_TRUE(artifacts.contains("parent"));
    }
  }
  EXPECT_EQ(networks.size(), 5u);
  EXPECT_GT(best_accuracy, 0.5) << "three epochs on digits learn something";
  EXPECT_FALSE(result.front.empty());
  EXPECT_GT(result.hypervolume, 0.0);
  ASSERT_TRUE(study.journal.document("objectives"));
  EXPECT_EQ((*study.journal.document("objectives"))[1]["name"], "lut");
  EXPECT_EQ(study.journal.document("hypervolume")->size(), 5u);
  ASSERT_TRUE(study.journal.document("hints"));
  EXPECT_FALSE(result.hints.empty());

  // Extending the budget replays the five networks and trains only the new ones.
  const auto more = parse_explore_config(testing::digits_config(7), dir / "tiny.yaml");
  CoExploration extended(more, study.data, dir / "study.artifacts");
  const auto again = extended.run(study.journal);
  EXPECT_EQ(again.replayed_networks, 5u);
  EXPECT_EQ(again.trained_networks, 2u);
  for (std::size_t i = 0; i < stored.size(); ++i) EXPECT_EQ(again.trials[i].design, stored[i].design);
}

TEST(CoExploration, RandomStrategyTrainsRandomNetworksFromScratchWithRandomMappings) {
  testing::TempDir dir;
  const auto config = parse_explore_config(testing::digits_config(4, "strategy: random\n"), dir / "tiny.yaml");
  testing::ExplorationStudy study(config, dir.path());
  const auto result = study.run();
  EXPECT_EQ(result.trained_networks, 4u);
  std::map<double, std::size_t> per_network;
  for (const auto& trial : result.trials) {
    ASSERT_EQ(trial.status, TrialStatus::complete) << trial.error;
    ++per_network[trial.design.values[0]];
    const auto artifacts = nlohmann::json::parse(trial.artifacts_json);
    EXPECT_EQ(artifacts["hal"]["method"], "random");
    EXPECT_FALSE(artifacts["training"]["warm_start"].get<bool>());
    EXPECT_FALSE(artifacts.contains("parent"));
    EXPECT_LE(trial.metrics.at("lut"), 5280.0) << "random mappings fit the device too";
    if (trial.design.values[0] > 0) {
      EXPECT_EQ(artifacts["change_kind"], "random");
    }
  }
  ASSERT_EQ(per_network.size(), 4u);
  for (const auto& [network, count] : per_network) EXPECT_EQ(count, 3u) << "mappings_per_network for network " << network;
}

TEST(CoExploration, SequentialStrategyMapsOnlyTheMostAccurateNetworkWithTheWholeBudget) {
  testing::TempDir dir;
  const auto config = parse_explore_config(testing::digits_config(4, "strategy: sequential\n"), dir / "tiny.yaml");
  testing::ExplorationStudy study(config, dir.path());
  const auto result = study.run();
  EXPECT_EQ(result.trained_networks, 4u);
  ASSERT_GT(result.trials.size(), 4u);
  // Four accuracy-phase trials without hardware, then the mapping phase of one network.
  double best_validation = -1.0, best_id = -1.0;
  for (std::size_t i = 0; i < 4; ++i) {
    const auto& trial = result.trials[i];
    EXPECT_EQ(trial.design.values[1], -1.0);
    EXPECT_FALSE(trial.metrics.values.contains("lut"));
    if (trial.status == TrialStatus::complete && trial.metrics.at("validation_accuracy") > best_validation)
      best_validation = trial.metrics.at("validation_accuracy"), best_id = trial.design.values[0];
  }
  const std::size_t mapped = result.trials.size() - 4;
  EXPECT_LE(mapped, 4u * 3u) << "networks x mappings_per_network";
  EXPECT_GE(mapped, 4u) << "the HAL front of the digits MLP has more than 4 points";
  for (std::size_t i = 4; i < result.trials.size(); ++i) {
    EXPECT_EQ(result.trials[i].design.values[0], best_id);
    EXPECT_GE(result.trials[i].design.values[1], 0.0);
    EXPECT_TRUE(result.trials[i].metrics.values.contains("lut"));
  }
  for (auto index : result.front) EXPECT_GE(index, 4u) << "only mapped designs are joint points";

  // Resume replays both phases: nothing is trained or mapped again, the trials are the same.
  CoExploration again(config, study.data, dir / "study.artifacts");
  const auto replayed = again.run(study.journal);
  EXPECT_EQ(replayed.trained_networks, 0u);
  EXPECT_EQ(replayed.replayed_networks, 4u);
  ASSERT_EQ(replayed.trials.size(), result.trials.size());
  EXPECT_EQ(study.journal.trials().size(), result.trials.size());
}

}  // namespace
}  // namespace codse::explore
