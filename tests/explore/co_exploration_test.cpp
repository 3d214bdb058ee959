#include "explore/co_exploration.hpp"

#include <algorithm>
#include <set>

#include <gtest/gtest.h>

#include "explore/explore_test_support.hpp"
#include "nn/dataset_loader.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"

namespace codse::explore {
namespace {

TEST(CoExploration, RecordsJointDesignsWithArtifactsDocumentsAndWeights) {
  testing::TempDir dir;
  const auto config = parse_explore_config(testing::digits_config(5), dir / "tiny.yaml");
  nn::DatasetOptions options;
  options.validation_fraction = config.dataset.validation_fraction;
  options.test_fraction = config.dataset.test_fraction;
  options.seed = config.seed;
  const auto data = nn::load_dataset(config.dataset.name, options);
  Store store(dir / "study.sqlite");
  auto journal = store.open_study(config.name, config.identity());
  CoExploration exploration(config, data, dir / "study.artifacts");
  std::size_t progress_calls = 0;
  exploration.on_progress([&](const ExploreProgress& p) {
    ++progress_calls;
    EXPECT_EQ(p.networks, progress_calls);
  });
  const auto result = exploration.run(journal);
  EXPECT_EQ(result.trained_networks, 5u);
  EXPECT_EQ(progress_calls, 5u);
  const auto stored = journal.trials();
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
  ASSERT_TRUE(journal.document("objectives"));
  EXPECT_EQ((*journal.document("objectives"))[1]["name"], "lut");
  EXPECT_EQ(journal.document("hypervolume")->size(), 5u);
  ASSERT_TRUE(journal.document("hints"));
  EXPECT_FALSE(result.hints.empty());

  // Extending the budget replays the five networks and trains only the new ones.
  const auto more = parse_explore_config(testing::digits_config(7), dir / "tiny.yaml");
  CoExploration extended(more, data, dir / "study.artifacts");
  const auto again = extended.run(journal);
  EXPECT_EQ(again.replayed_networks, 5u);
  EXPECT_EQ(again.trained_networks, 2u);
  for (std::size_t i = 0; i < stored.size(); ++i) EXPECT_EQ(again.trials[i].design, stored[i].design);
}

}  // namespace
}  // namespace codse::explore
