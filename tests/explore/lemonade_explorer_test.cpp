#include "explore/lemonade_explorer.hpp"

#include <set>

#include <gtest/gtest.h>

#include "explore/kernel_density.hpp"
#include "nn/ir/network_io.hpp"

namespace codse::explore {
namespace {

nn::Network digits_network() {
  return nn::load_network(std::filesystem::path(CODSE_SOURCE_DIR) / "examples/networks/digits_mlp_w2a2.json");
}

LemonadeExplorer make_explorer(std::uint64_t seed) {
  LemonadeOptions options;
  options.generated = 12;
  options.accepted = 3;
  options.knobs.max_params = 50'000;
  options.objectives = {Objective::parse("error:min"), Objective::parse("params:min")};
  options.seed = seed;
  // The hardware cost stands in as MACs / 4: the test needs a deterministic positive number.
  return LemonadeExplorer({digits_network()}, TrainingHyper{}, options,
                          [](const nn::Network& n) { return static_cast<double>(n.stats().macs) / 4.0; });
}

/// A made-up but deterministic error: more parameters give a lower error, with diminishing returns.
Trial told(const LemonadeExplorer& explorer, const Design& design) {
  const auto& c = explorer.candidate(design);
  const double params = static_cast<double>(c.network.stats().params);
  Trial trial;
  trial.design = design;
  trial.metrics.values = {{"error", 0.5 / std::sqrt(params / 100.0) + 0.001 * static_cast<double>(c.id % 3)},
                          {"params", params}};
  return trial;
}

std::vector<std::string> run(LemonadeExplorer& explorer, int generations) {
  std::vector<std::string> asked;
  for (int g = 0; g < generations; ++g) {
    const auto designs = explorer.ask(3);
    for (const auto& d : designs) {
      asked.push_back(explorer.candidate(d).change);
      explorer.tell(told(explorer, d));
    }
  }
  return asked;
}

TEST(LemonadeExplorer, StartsWithTheStartingNetworksThenChildrenOfThePopulation) {
  auto explorer = make_explorer(7);
  const auto first = explorer.ask(3);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(explorer.candidate(first[0]).change_kind, "start");
  EXPECT_TRUE(explorer.ask(3).empty()) << "nothing told yet: no population";
  explorer.tell(told(explorer, first[0]));
  const auto children = explorer.ask(3);
  ASSERT_EQ(children.size(), 3u);
  for (const auto& d : children) {
    const auto& c = explorer.candidate(d);
    EXPECT_EQ(c.parent, 0u);
    EXPECT_FALSE(c.change.empty());
    EXPECT_LE(c.network.stats().params, 50'000);
    EXPECT_EQ(c.cheap.size(), 3u);
  }
}

TEST(LemonadeExplorer, IsDeterministicAndNeverProposesTheSameNetworkTwice) {
  auto a = make_explorer(11), b = make_explorer(11), c = make_explorer(12);
  const auto run_a = run(a, 6), run_b = run(b, 6), run_c = run(c, 6);
  EXPECT_EQ(run_a, run_b);
  EXPECT_NE(run_a, run_c);
  std::set<std::string> networks;
  for (std::size_t id = 0; id < a.candidate_count(); ++id) {
    const auto& candidate = a.candidate(id);
    const nn::Network unnamed("n", candidate.network.layers());
    networks.insert(nn::format_network_json(unnamed) + std::to_string(candidate.hyper.learning_rate) +
                    std::to_string(candidate.hyper.epochs) + std::to_string(candidate.hyper.batch_size));
  }
  EXPECT_EQ(networks.size(), a.candidate_count());
  EXPECT_GE(a.candidate_count(), 12u);
  // The population is the Pareto front over (error, params) of what was told.
  const auto population = a.population();
  ASSERT_FALSE(population.empty());
  for (auto id : population) EXPECT_LT(id, a.candidate_count());
}

TEST(KernelDensity, IsHighestNearThePointsAndFlooredForOnePoint) {
  const KernelDensity kde({{0.0, 0.0}, {0.1, 0.0}, {3.0, 3.0}}, 0.05);
  EXPECT_GT(kde.density({0.05, 0.0}), kde.density({3.0, 3.0}));
  EXPECT_GT(kde.density({3.0, 3.0}), kde.density({1.5, 1.5}));
  const KernelDensity one({{1.0}}, 0.05);
  EXPECT_EQ(one.bandwidths()[0], 0.05);
  EXPECT_NEAR(one.density({1.0}), 1.0 / (0.05 * std::sqrt(2.0 * 3.14159265358979)), 1e-9);
}

}  // namespace
}  // namespace codse::explore
