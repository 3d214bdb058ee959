// The co-exploration chooses by the validation split and measures the test set once, at the end,
// for its front: a trial's error is its network's validation error, no trial metric comes from
// the test set, the study document "test_error" holds exactly the front's trials, and a resumed
// run reads it back instead of evaluating again.

#include "explore/front_test_error.hpp"

#include <filesystem>
#include <set>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "explore/explore_test_support.hpp"
#include "nn/ir/network_io.hpp"
#include "nn/train/trainer.hpp"
#include "store/test_error_document.hpp"
#include "support/temp_dir.hpp"

namespace codse::explore {
namespace {

/// The accuracy of a trial's network, with its stored weights, on one split.
double accuracy_on(const std::filesystem::path& dir, const Trial& trial,
                   const nn::Dataset& split) {
  const auto artifacts = nlohmann::ordered_json::parse(trial.artifacts_json);
  const auto network = nn::network_from_json(artifacts.at("network"), "trial artifacts");
  const auto weights = nn::Weights::load((dir / artifacts.at("weights").get<std::string>()).string());
  return nn::evaluate_accuracy(network, weights, {split.features(), split.labels()});
}

TEST(FrontTestError, ErrorIsTheValidationErrorAndNoMetricComesFromTheTestSet) {
  testing::TempDir dir;
  testing::ExplorationStudy study(parse_explore_config(testing::digits_config(3), dir / "tiny.yaml"), dir.path());
  const auto result = study.run();
  std::size_t checked = 0;
  for (const auto& trial : result.trials) {
    if (trial.status != TrialStatus::complete) continue;
    const auto training = nlohmann::json::parse(trial.artifacts_json).at("training");
    EXPECT_FALSE(training.contains("test_accuracy")) << training.dump();
    EXPECT_DOUBLE_EQ(trial.metrics.at("error"), 1.0 - training.at("validation_accuracy").get<double>());
    EXPECT_DOUBLE_EQ(trial.metrics.at("accuracy"), training.at("validation_accuracy").get<double>());
    for (const auto& [name, value] : trial.metrics.values) EXPECT_EQ(name.find("test"), std::string::npos) << name;
    ++checked;
  }
  ASSERT_GT(checked, 0u);
  // Measured independently: the stored weights' accuracy on the validation split is the metric.
  const auto& first = result.trials.at(result.front.front());
  EXPECT_NEAR(first.metrics.at("accuracy"), accuracy_on(dir.path(), first, study.data.validation), 1e-12);
}

TEST(FrontTestError, DocumentHoldsExactlyTheFrontsTrialsMeasuredOnTheTestSet) {
  testing::TempDir dir;
  testing::ExplorationStudy study(parse_explore_config(testing::digits_config(3), dir / "tiny.yaml"), dir.path());
  const auto result = study.run();
  ASSERT_FALSE(result.front.empty());
  std::set<std::size_t> front;
  for (const auto index : result.front) front.insert(result.trials[index].number);
  const auto stored = read_test_error(study.journal);
  std::set<std::size_t> documented;
  for (const auto& [number, value] : stored) documented.insert(number);
  EXPECT_EQ(documented, front);
  EXPECT_EQ(stored, result.test_error);
  for (const auto index : result.front) {
    const auto& trial = result.trials[index];
    EXPECT_NEAR(stored.at(trial.number), 1.0 - accuracy_on(dir.path(), trial, study.data.test), 1e-12)
        << "trial " << trial.number;
  }
}

TEST(FrontTestError, ResumeReadsTheStoredValuesInsteadOfEvaluatingAgain) {
  testing::TempDir dir;
  const auto config = parse_explore_config(testing::digits_config(3), dir / "tiny.yaml");
  std::map<std::size_t, double> marked;
  {
    testing::ExplorationStudy study(config, dir.path());
    const auto result = study.run();
    // Values no evaluation gives (one per network, as measured ones are), so that seeing them
    // again shows they were read, not measured.
    for (const auto& trial : result.trials)
      if (result.test_error.contains(trial.number)) marked[trial.number] = 0.5 + 0.001 * trial.design.values.at(0);
    write_test_error(study.journal, marked);
  }
  // Without the weights an evaluation would throw; the same budget replays and needs none.
  std::filesystem::remove_all(dir / "study.artifacts" / "weights");
  testing::ExplorationStudy resumed(config, dir.path());
  const auto again = resumed.run();
  EXPECT_EQ(again.trained_networks, 0u);
  EXPECT_EQ(again.test_error, marked);
  EXPECT_EQ(read_test_error(resumed.journal), marked);
}

TEST(FrontTestError, MalformedDocumentNamesTheStoreAndEntry) {
  testing::TempDir dir;
  Store store(dir / "s.sqlite");
  auto journal = store.open_study("s", {{"kind", "explore"}});
  journal.put_document("test_error", {{"7", "low"}});
  try {
    read_test_error(journal);
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("s.sqlite: study 's': document \"test_error\"[\"7\"]"), std::string::npos)
        << error.what();
  }
}

}  // namespace
}  // namespace codse::explore
