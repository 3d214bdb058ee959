#include "explore/random_network_explorer.hpp"

#include <set>

#include <gtest/gtest.h>

#include "explore/morphism_choice.hpp"
#include "nn/ir/network_io.hpp"

namespace codse::explore {
namespace {

nn::Network digits_network() {
  return nn::load_network(std::filesystem::path(CODSE_SOURCE_DIR) / "examples/networks/digits_mlp_w2a2.json");
}

MlKnobs knobs() {
  MlKnobs k;
  k.morphisms = {nn::MorphismKind::widen, nn::MorphismKind::deepen, nn::MorphismKind::prune_units,
                 nn::MorphismKind::lower_bits, nn::MorphismKind::raise_sparsity};
  k.max_params = 30'000;
  k.learning_rate_min = 1e-3, k.learning_rate_max = 1e-2;
  k.epochs_min = 1, k.epochs_max = 4;
  k.batch_min = 16, k.batch_max = 64;
  return k;
}

std::vector<std::string> draw(std::uint64_t seed, std::size_t count) {
  RandomNetworkExplorer explorer({digits_network()}, TrainingHyper{0.005, 2, 32}, knobs(), 5, seed);
  std::vector<std::string> signatures;
  for (const auto& design : explorer.ask(1)) signatures.push_back(explorer.candidate(design).change);
  for (const auto& design : explorer.ask(count)) {
    const auto& c = explorer.candidate(design);
    signatures.push_back(candidate_signature(c.network, c.hyper));
  }
  return signatures;
}

TEST(RandomNetworkExplorer, AsksTheStartThenDistinctRandomChainsWithinTheKnobs) {
  RandomNetworkExplorer explorer({digits_network()}, TrainingHyper{0.005, 2, 32}, knobs(), 5, 7);
  const auto first = explorer.ask(10);
  ASSERT_EQ(first.size(), 1u) << "the starting network alone first";
  EXPECT_EQ(explorer.candidate(first[0]).change, "start");
  const auto designs = explorer.ask(30);
  ASSERT_EQ(designs.size(), 30u);
  std::set<std::string> signatures;
  std::set<int> epochs, batches;
  std::set<std::int64_t> params;
  for (const auto& design : designs) {
    const auto& c = explorer.candidate(design);
    EXPECT_FALSE(c.parent) << "random search trains from scratch";
    EXPECT_FALSE(c.morphism);
    EXPECT_EQ(c.change_kind, "random");
    EXPECT_TRUE(within_limits(c.network, knobs())) << c.change;
    EXPECT_GE(c.hyper.learning_rate, 1e-3 * 0.999);
    EXPECT_LE(c.hyper.learning_rate, 1e-2 * 1.001);
    EXPECT_TRUE(c.hyper.batch_size == 16 || c.hyper.batch_size == 32 || c.hyper.batch_size == 64) << c.hyper.batch_size;
    epochs.insert(c.hyper.epochs);
    batches.insert(c.hyper.batch_size);
    params.insert(c.network.stats().params);
    EXPECT_TRUE(signatures.insert(candidate_signature(c.network, c.hyper)).second) << "duplicate " << c.change;
  }
  EXPECT_EQ(epochs, (std::set<int>{1, 2, 3, 4}));
  EXPECT_EQ(batches.size(), 3u);
  EXPECT_GT(params.size(), 10u) << "chains of morphisms give networks of many sizes";
}

TEST(RandomNetworkExplorer, IsAFunctionOfItsSeed) {
  EXPECT_EQ(draw(3, 12), draw(3, 12));
  EXPECT_NE(draw(3, 12), draw(4, 12));
}

}  // namespace
}  // namespace codse::explore
