// Fronts and hypervolume curves of hand-made trials, checked against values worked out by hand.

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "report/report_data.hpp"

namespace codse::report {
namespace {

Trial make_trial(std::size_t number, std::map<std::string, double> metrics,
                 TrialStatus status = TrialStatus::complete) {
  Trial trial;
  trial.number = number;
  trial.design.values = {static_cast<double>(number)};
  trial.status = status;
  trial.metrics.values = std::move(metrics);
  return trial;
}

ReportData two_objective_study() {
  ReportData data;
  data.objectives = {{"lut", Sense::minimize}, {"latency_us", Sense::minimize}};
  data.trials = {make_trial(0, {{"lut", 1}, {"latency_us", 4}}), make_trial(1, {{"lut", 2}, {"latency_us", 2}}),
                 make_trial(2, {{"lut", 3}, {"latency_us", 3}}), make_trial(3, {{"lut", 4}, {"latency_us", 1}}),
                 make_trial(4, {}, TrialStatus::failed)};
  return data;
}

TEST(ReportFronts, FrontOfAllObjectivesSortedByTheFirst) {
  auto data = two_objective_study();
  compute_fronts(data);
  EXPECT_EQ(data.front, (std::vector<std::size_t>{0, 1, 3}));
  ASSERT_EQ(data.pair_fronts.size(), 1u);
  EXPECT_EQ(data.pair_fronts[0].x, 0u);
  EXPECT_EQ(data.pair_fronts[0].y, 1u);
  EXPECT_EQ(data.pair_fronts[0].trials, (std::vector<std::size_t>{0, 1, 3}));
}

// Both objectives span 1..4, so a value v scales to (v - 1) / 3 and the reference is 1.1.
// After trial 0 at (0, 1): 1.1 * 0.1. Trial 1 at (1/3, 1/3) adds (1.1 - 1/3) * (1 - 1/3).
// Trial 2 is dominated. Trial 3 at (1, 0) adds 0.1 * 1/3. Trial 4 failed.
TEST(ReportFronts, HypervolumeCurveAfterEachTrial) {
  auto data = two_objective_study();
  compute_fronts(data);
  EXPECT_EQ(data.hypervolume.source, "computed");
  ASSERT_EQ(data.hypervolume.points.size(), 5u);
  const double after0 = 1.1 * 0.1;
  const double after1 = after0 + (1.1 - 1.0 / 3.0) * (1.0 - 1.0 / 3.0);
  const double after3 = after1 + 0.1 / 3.0;
  const std::vector<double> expected{after0, after1, after1, after3, after3};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(data.hypervolume.points[i].trial, i);
    EXPECT_NEAR(data.hypervolume.points[i].value, expected[i], 1e-12) << "after trial " << i;
  }
}

TEST(ReportFronts, MaximisedObjectiveAndUnmeasuredTrials) {
  ReportData data;
  data.objectives = {{"accuracy", Sense::maximize}, {"lut", Sense::minimize}};
  data.trials = {make_trial(0, {{"accuracy", 0.90}, {"lut", 1000}}),
                 make_trial(1, {{"accuracy", 0.95}, {"lut", 5000}}),
                 make_trial(2, {{"accuracy", 0.93}, {"lut", 6000}}),  // dominated by 1
                 make_trial(3, {{"accuracy", std::numeric_limits<double>::quiet_NaN()}, {"lut", 10}}),
                 make_trial(4, {{"lut", 5}}),  // no accuracy: not comparable
                 make_trial(5, {{"accuracy", 0.97}, {"lut", 20000}})};
  compute_fronts(data);
  // Sorted by the first objective in minimisation form: highest accuracy first.
  EXPECT_EQ(data.front, (std::vector<std::size_t>{5, 1, 0}));
  // The curve holds the value of the last usable trial through the unusable ones.
  ASSERT_EQ(data.hypervolume.points.size(), 6u);
  EXPECT_DOUBLE_EQ(data.hypervolume.points[3].value, data.hypervolume.points[2].value);
  EXPECT_DOUBLE_EQ(data.hypervolume.points[4].value, data.hypervolume.points[2].value);
  EXPECT_GT(data.hypervolume.points[5].value, data.hypervolume.points[4].value);
}

TEST(ReportFronts, EveryPairOfThreeObjectives) {
  ReportData data;
  data.objectives = {{"error", Sense::minimize}, {"lut", Sense::minimize}, {"fps", Sense::maximize}};
  data.trials = {make_trial(0, {{"error", 0.1}, {"lut", 100}, {"fps", 10}}),
                 make_trial(1, {{"error", 0.2}, {"lut", 50}, {"fps", 10}}),
                 make_trial(2, {{"error", 0.3}, {"lut", 200}, {"fps", 1000}})};
  compute_fronts(data);
  EXPECT_EQ(data.front, (std::vector<std::size_t>{0, 1, 2}));
  ASSERT_EQ(data.pair_fronts.size(), 3u);
  EXPECT_EQ(data.pair_fronts[0].trials, (std::vector<std::size_t>{0, 1}));  // error, lut
  EXPECT_EQ(data.pair_fronts[1].trials, (std::vector<std::size_t>{0, 2}));  // error, fps
  EXPECT_EQ(data.pair_fronts[2].trials, (std::vector<std::size_t>{1, 2}));  // lut, fps: by lut
  // Three objectives normalised to [0, 1]: trial 0 at (0, 0.333.., 1) alone gives
  // 1.1 * (1.1 - 1/3) * 0.1 (fps 10 is the worst, scaled to 1).
  EXPECT_NEAR(data.hypervolume.points[0].value, 1.1 * (1.1 - 1.0 / 3.0) * 0.1, 1e-12);
}

TEST(ReportFronts, StoredCurveIsKept) {
  auto data = two_objective_study();
  data.hypervolume.source = "study";
  data.hypervolume.points = {{0, 0.25}, {3, 0.5}};
  compute_fronts(data);
  EXPECT_EQ(data.hypervolume.source, "study");
  ASSERT_EQ(data.hypervolume.points.size(), 2u);
  EXPECT_EQ(data.hypervolume.points[1].value, 0.5);
}

}  // namespace
}  // namespace codse::report
