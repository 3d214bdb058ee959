#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "core/error.hpp"
#include "core/pareto_front.hpp"
#include "hw/estimate/estimator.hpp"
#include "hw/templates/folded/finn_folding.hpp"
#include "hw/map/hal.hpp"
#include "hw/hw_test_support.hpp"

namespace codse::hw {
namespace {

using testing::builtin_device;
using testing::example_network;

using Vector = std::vector<double>;

Vector objective_values(const Estimate& estimate, const std::vector<Objective>& objectives) {
  const auto metrics = estimate.to_metrics();
  Vector values;
  for (const auto& objective : objectives) values.push_back(metrics.values.at(objective.metric));
  return values;
}

/// The front by brute force: estimate every mapping of the space, keep the feasible ones, take
/// the distinct objective vectors that core::pareto_front keeps.
std::set<Vector> brute_force_front(const nn::Network& network, const Device& device, const SpaceOptions& options,
                                   const std::vector<Objective>& objectives,
                                   const std::vector<MetricBound>& constraints) {
  const Estimator estimator(network, device);
  const MappingSpace space(estimator.workload(), device, options);
  std::vector<Vector> feasible;
  Estimate estimate;
  auto all = fit_bounds(device);
  all.insert(all.end(), constraints.begin(), constraints.end());
  for (const auto& design : space.space().enumerate()) {
    estimator.estimate_into(space.decode(design), estimate);
    const auto metrics = estimate.to_metrics();
    if (std::all_of(all.begin(), all.end(), [&](const MetricBound& b) { return b.holds(metrics.values.at(b.metric)); }))
      feasible.push_back(objective_values(estimate, objectives));
  }
  Eigen::MatrixXd points(static_cast<Eigen::Index>(feasible.size()), static_cast<Eigen::Index>(objectives.size()));
  for (std::size_t i = 0; i < feasible.size(); ++i)
    for (std::size_t j = 0; j < objectives.size(); ++j)
      points(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = objectives[j].minimised(feasible[i][j]);
  std::set<Vector> front;
  for (const auto row : pareto_front(points)) front.insert(feasible[row]);
  return front;
}

std::set<Vector> hal_front(const MapResult& result, const std::vector<Objective>& objectives) {
  std::set<Vector> front;
  for (const auto& point : result.front) front.insert(objective_values(point.estimate, objectives));
  return front;
}

std::vector<Objective> parse(std::initializer_list<const char*> texts) {
  std::vector<Objective> objectives;
  for (const auto* text : texts) objectives.push_back(Objective::parse(text));
  return objectives;
}

struct FrontCase {
  const char* network;
  const char* device;
  std::vector<Objective> objectives;
  std::vector<MetricBound> constraints;
};
// What ctest shows for a case (gtest would print the struct's bytes).
void PrintTo(const FrontCase& value, std::ostream* out) { *out << value.network << " on " << value.device; }

class HalFront : public ::testing::TestWithParam<FrontCase> {};

TEST_P(HalFront, LayerwiseAndExhaustiveEqualBruteForce) {
  const auto& c = GetParam();
  const auto network = example_network(c.network);
  const auto& device = builtin_device(c.device);
  const auto expected = brute_force_front(network, device, {}, c.objectives, c.constraints);
  ASSERT_FALSE(expected.empty());
  const auto layerwise = map_network(Estimator(network, device), c.objectives, c.constraints);
  EXPECT_EQ(layerwise.method, "layerwise");
  EXPECT_EQ(hal_front(layerwise, c.objectives), expected);
  EXPECT_EQ(layerwise.front.size(), expected.size());  // one mapping per distinct vector
  MapOptions exhaustive;
  exhaustive.allow_layerwise = false;
  const auto all = map_network(Estimator(network, device), c.objectives, c.constraints, exhaustive);
  EXPECT_EQ(all.method, "exhaustive");
  EXPECT_EQ(hal_front(all, c.objectives), expected);
}

INSTANTIATE_TEST_SUITE_P(
    SmallSpaces, HalFront,
    ::testing::Values(
        FrontCase{"digits_mlp_w2a2", "XC7Z020", parse({"lut:min", "bram18:min", "dsp:min", "fps:max"}), {}},
        FrontCase{"digits_mlp_w2a2", "XC7Z020", parse({"power_w:min", "latency_us:min"}),
                  {MetricBound::parse("fps>=2000000")}},
        FrontCase{"digits_mlp_w2a2", "XC7Z020", parse({"energy_uj:min", "lut:min", "ii_cycles:min"}),
                  {MetricBound::parse("power_w<=0.2")}},
        FrontCase{"digits_mlp_w2a2", "iCE40UP5K", parse({"lut:min", "fps:max"}), {}}),
    // Named by position: gtest would otherwise print the parameter's bytes (heap addresses).
    [](const ::testing::TestParamInfo<FrontCase>& param) { return "case" + std::to_string(param.index); });

TEST(Hal, FrontDominatesTheFinnHeuristic) {
  const auto network = example_network("sfc_w1a1");
  const auto& device = builtin_device("XC7Z020");
  const auto objectives = parse({"lut:min", "bram18:min", "fps:max"});
  MapOptions options;
  options.finn_seeds = false;  // the exact front alone, without FINN's foldings among the candidates
  const auto result = map_network(Estimator(network, device), objectives, {}, options);
  ASSERT_EQ(result.method, "layerwise");
  const Estimator estimator(network, device);
  for (const std::int64_t target : {65536, 4096, 1024, 256, 64}) {
    FoldingOptions folding;
    folding.target_cycles = target;
    const auto heuristic = estimator.estimate(finn_folding(estimator.workload(), device, folding));
    if (!heuristic.fits) continue;
    const auto h = objective_values(heuristic, objectives);
    const bool covered = std::any_of(result.front.begin(), result.front.end(), [&](const FrontPoint& p) {
      const auto v = objective_values(p.estimate, objectives);
      return v[0] <= h[0] && v[1] <= h[1] && v[2] >= h[2];
    });
    EXPECT_TRUE(covered) << "target " << target;
  }
}

TEST(Hal, SkipConnectionsUseAnExplorer) {
  const auto network = example_network("mnist_resmlp_w4a4");
  const auto objectives = parse({"lut:min", "fps:max"});
  MapOptions options;
  options.budget = 300;
  options.pool_size = 2000;
  options.finn_seeds = false;  // only the explorer's estimates
  const auto result = map_network(Estimator(network, builtin_device("XC7Z020")), objectives, {}, options);
  EXPECT_EQ(result.method, "explorer:nsga2");
  EXPECT_LE(result.estimated, 300u);
  ASSERT_FALSE(result.front.empty());
  for (const auto& point : result.front) EXPECT_TRUE(point.estimate.fits);
}

TEST(Hal, UnknownMetricsAreInputErrors) {
  const auto network = example_network("digits_mlp_w2a2");
  EXPECT_THROW(map_network(Estimator(network, builtin_device("XC7Z020")), parse({"speed:max"}), {}), InputError);
  EXPECT_THROW(map_network(Estimator(network, builtin_device("XC7Z020")), parse({"lut:min"}), {MetricBound::parse("gates<=3")}),
               InputError);
  EXPECT_THROW(map_network(Estimator(network, builtin_device("XC7Z020")), {}, {}), InputError);
}

TEST(Hal, BothTemplatesMerge) {
  const auto network = example_network("digits_mlp_w2a2");
  MapOptions options;
  SpaceOptions unrolled;
  unrolled.accelerator = "unrolled";
  options.spaces = {SpaceOptions{}, unrolled};
  const auto objectives = parse({"lut:min", "latency_cycles:min"});
  const auto result = map_network(Estimator(network, builtin_device("XC7Z020")), objectives, {}, options);
  bool has_unrolled = false;
  for (const auto& point : result.front) has_unrolled = has_unrolled || point.mapping.accelerator == "unrolled";
  EXPECT_TRUE(has_unrolled);  // the lowest latency comes from the unrolled template
}

}  // namespace
}  // namespace codse::hw
