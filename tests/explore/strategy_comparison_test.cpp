#include "explore/strategy_comparison.hpp"

#include <cmath>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/error.hpp"

namespace codse::explore {
namespace {

Trial joint(std::size_t network, double error, double lut) {
  Trial t;
  t.design.values = {static_cast<double>(network), 0.0, 0.0};
  t.metrics.values = {{"error", error}, {"lut", lut}};
  return t;
}

// Seed 1, in (error, log10 LUT): a = {(0.1, 1), (0.3, 0)}, b = {(0.2, 0.5)}: all three on the
// pooled front, ideal (0.1, 0), nadir (0.3, 1). Scaled: a = {(0, 1), (1, 0)}, b = {(0.5, 0.5)};
// reference (1.1, 1.1): HV(a) = 0.11 + 0.11 - 0.01 = 0.21, HV(b) = 0.6^2 = 0.36.
std::vector<Trial> a_trials() { return {joint(0, 0.1, 10.0), joint(1, 0.3, 1.0)}; }
std::vector<Trial> b_trials() {
  auto failed = joint(1, 0.05, 1.0);
  failed.status = TrialStatus::failed;
  Trial accuracy_only;  // the sequential flow's accuracy phase: no hardware metric, no point
  accuracy_only.design.values = {2.0, -1.0, -1.0};
  accuracy_only.metrics.values = {{"error", 0.01}};
  return {joint(0, 0.2, std::sqrt(10.0)), failed, accuracy_only};
}

TEST(StrategyComparison, NormalisesEachSeedByItsPooledFrontAndDividesHypervolumes) {
  const std::vector<Objective> objectives{Objective::parse("error:min"), Objective::parse("lut:min")};
  const std::vector<StrategyRun> runs{{"a", 1, a_trials()}, {"b", 1, b_trials()}, {"a", 2, b_trials()}, {"b", 2, a_trials()}};
  const auto c = compare_strategies(runs, objectives, "a");
  EXPECT_EQ(c.strategies, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(c.seeds, (std::vector<std::uint64_t>{1, 2}));
  ASSERT_EQ(c.runs.size(), 4u);
  EXPECT_NEAR(c.runs[0].hypervolume, 0.21, 1e-12);
  EXPECT_NEAR(c.runs[1].hypervolume, 0.36, 1e-12);
  EXPECT_EQ(c.runs[1].networks, 3u);
  EXPECT_EQ(c.runs[1].joint_trials, 1u) << "failed and accuracy-only trials are no joint designs";
  EXPECT_EQ(c.runs[0].front, 2u);
  ASSERT_EQ(c.ratios.at("b").size(), 2u);
  EXPECT_NEAR(c.ratios.at("b")[0], 0.21 / 0.36, 1e-12);
  EXPECT_NEAR(c.ratios.at("b")[1], 0.36 / 0.21, 1e-12);
  EXPECT_NEAR(c.median_ratio.at("b"), 0.5 * (0.21 / 0.36 + 0.36 / 0.21), 1e-12);
  EXPECT_NEAR(c.median_hypervolume.at("a"), 0.5 * (0.21 + 0.36), 1e-12);
  const auto table = comparison_markdown(c);
  EXPECT_THAT(table, ::testing::HasSubstr("| b | 0.58x | 1.71x | 1.15x |"));
}

TEST(StrategyComparison, AMissingRunIsAnError) {
  const std::vector<Objective> objectives{Objective::parse("error:min"), Objective::parse("lut:min")};
  try {
    compare_strategies({{"a", 1, a_trials()}, {"b", 1, b_trials()}, {"a", 2, a_trials()}}, objectives, "a");
    FAIL() << "no error";
  } catch (const InputError& error) {
    EXPECT_THAT(error.what(), ::testing::HasSubstr("seed 2 has no run of strategy 'b'"));
  }
  EXPECT_THROW(compare_strategies({{"b", 1, b_trials()}}, objectives, "a"), InputError);
}

}  // namespace
}  // namespace codse::explore
