#include "explore/run_plan.hpp"

#include <stdexcept>

#include <gtest/gtest.h>

namespace codse::explore {
namespace {

// bench/scale/mnist_scale.yaml as `codse explore --dry-run` measured it: the starting MLP trained
// (3 epochs, 27,000 images) and mapped in 3.37 s; 17 networks, batches of 4, 6 mappings, 1 device.
RunPlanInput mnist_scale(std::size_t workers) {
  RunPlanInput input;
  input.starts = 1;
  input.networks = 17;
  input.batch = 4;
  input.workers = workers;
  input.mappings_per_network = 6;
  input.devices = 1;
  input.start_seconds = 3.37;
  input.start_epochs = 3;
  input.epochs_min = 2;
  input.epochs_max = 4;
  return input;
}

TEST(RunPlan, OneWorkerTrainsEveryNetworkInTurn) {
  const auto plan = plan_run(mnist_scale(1));
  EXPECT_EQ(plan.networks, 17u);
  EXPECT_EQ(plan.trials, 102u);  // 17 x 6 x 1
  EXPECT_EQ(plan.rounds, 17u);
  EXPECT_DOUBLE_EQ(plan.child_seconds, 3.37);  // mean of 2..4 epochs = the start's 3
  EXPECT_NEAR(plan.seconds, 17 * 3.37, 1e-9);
  EXPECT_FALSE(plan.capped);
  EXPECT_DOUBLE_EQ(plan.wall_seconds, plan.seconds);
}

TEST(RunPlan, TwoWorkersHalveTheBatchesButNotTheStartingNetwork) {
  // The starting network alone (1 round), then 4 batches of 4 in 2 rounds each: 9 rounds, not 8.5.
  const auto plan = plan_run(mnist_scale(2));
  EXPECT_EQ(plan.rounds, 9u);
  EXPECT_NEAR(plan.seconds, 9 * 3.37, 1e-9);
}

TEST(RunPlan, WorkersBeyondTheBatchAreIdle) {
  EXPECT_EQ(plan_run(mnist_scale(4)).rounds, 5u);
  EXPECT_EQ(plan_run(mnist_scale(8)).rounds, 5u);
}

TEST(RunPlan, APartialLastBatchAndEpochScaling) {
  // examples/digits_ice40.yaml on 2 workers with the tests' epochs (3 at the start, children 1..2):
  // 1 start, then 15 children in 5 batches of 3 (2 rounds each); a child costs half the start.
  RunPlanInput input = mnist_scale(2);
  input.networks = 16;
  input.batch = 3;
  input.start_seconds = 0.07;
  input.epochs_min = 1;
  input.epochs_max = 2;
  input.start_epochs = 3;
  auto plan = plan_run(input);
  EXPECT_EQ(plan.rounds, 11u);
  EXPECT_DOUBLE_EQ(plan.child_seconds, 0.035);
  EXPECT_NEAR(plan.seconds, 0.07 + 10 * 0.035, 1e-12);
  input.networks = 15;  // 14 children: 4 full batches and one of 2
  plan = plan_run(input);
  EXPECT_EQ(plan.rounds, 1u + 4 * 2 + 1);
}

TEST(RunPlan, TheWallTimeBudgetCapsTheEstimate) {
  auto input = mnist_scale(1);
  input.budget_minutes = 0.5;  // 30 s < 57.29 s
  const auto plan = plan_run(input);
  EXPECT_TRUE(plan.capped);
  EXPECT_DOUBLE_EQ(plan.wall_seconds, 30.0);
  EXPECT_NEAR(plan.seconds, 17 * 3.37, 1e-9);
  input.budget_minutes = 5;
  EXPECT_FALSE(plan_run(input).capped);
}

TEST(RunPlan, WithoutANetworkBudgetTheWallTimeBudgetIsThePlan) {
  auto input = mnist_scale(2);
  input.networks = 0;
  input.budget_minutes = 14;
  const auto plan = plan_run(input);
  EXPECT_EQ(plan.networks, 0u);
  EXPECT_EQ(plan.trials, 0u);
  EXPECT_DOUBLE_EQ(plan.wall_seconds, 14 * 60.0);
}

TEST(RunPlan, RefusesAnEmptyBatchOrNoWorkers) {
  auto input = mnist_scale(0);
  EXPECT_THROW(plan_run(input), std::invalid_argument);
  input = mnist_scale(1);
  input.batch = 0;
  EXPECT_THROW(plan_run(input), std::invalid_argument);
}

}  // namespace
}  // namespace codse::explore
