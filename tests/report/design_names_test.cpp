// Names and knobs of designs from the network and mapping a co-exploration stores per trial.

#include <gtest/gtest.h>

#include "core/trial.hpp"
#include "report/design_names.hpp"
#include "report/report_data.hpp"

namespace codse::report {
namespace {

using nlohmann::json;

json mlp(int hidden, int weight_bits, int activation_bits, double sparsity) {
  json fc1 = {{"name", "fc1"}, {"type", "dense"}, {"units", hidden}, {"weight_bits", weight_bits}};
  if (sparsity > 0) fc1["sparsity"] = {{"target", sparsity}, {"kind", "unstructured"}};
  return {{"name", "mnist_mlp_w4a4"},
          {"layers",
           {{{"name", "in"}, {"type", "input"}, {"shape", {1, 28, 28}}, {"bits", 8}},
            fc1,
            {{"name", "act1"}, {"type", "quant"}, {"bits", activation_bits}},
            {{"name", "fc2"}, {"type", "dense"}, {"units", 121}, {"weight_bits", weight_bits}},
            {{"name", "act2"}, {"type", "quant"}, {"bits", activation_bits}},
            {{"name", "fc3"}, {"type", "dense"}, {"units", 10}, {"weight_bits", weight_bits}}}}};
}

TEST(DesignNames, MlpNameSaysWidthsBitsAndSparsity) {
  EXPECT_EQ(network_design_name(mlp(256, 4, 4, 0.0)), "mlp-784-256-121-10-w4a4");
  // Sparsity is the mean over the pruned layers, in percent.
  EXPECT_EQ(network_design_name(mlp(256, 4, 4, 0.25)), "mlp-784-256-121-10-w4a4-s25");
  auto mixed = mlp(192, 4, 3, 0.0);
  mixed["layers"][3]["weight_bits"] = 2;
  EXPECT_EQ(network_design_name(mixed), "mlp-784-192-121-10-w4.2.4a3");
}

TEST(DesignNames, ConvolutionAndSkipAreNamed) {
  const json cnn = {{"layers",
                     {{{"name", "in"}, {"type", "input"}, {"shape", {1, 28, 28}}},
                      {{"name", "c1"}, {"type", "conv2d"}, {"filters", 16}, {"kernel", 3}, {"weight_bits", 4}},
                      {{"name", "add"}, {"type", "add"}},
                      {{"name", "fc"}, {"type", "dense"}, {"units", 10}, {"weight_bits", 4}}}}};
  EXPECT_EQ(network_design_name(cnn), "cnn-1x28x28-c16k3-10-w4+skip");
  EXPECT_EQ(network_design_name(json::object()), "");
}

TEST(DesignNames, KnobsNameTheMappingPerLayer) {
  const json artifacts = {
      {"network", mlp(256, 4, 4, 0.5)},
      {"mapping", {{"layers", {{{"layer", "fc1"}, {"pe", 8}, {"simd", 16}}, {{"layer", "fc2"}, {"pe", 2}, {"simd", 4}}}}}}};
  const auto knobs = design_knobs(artifacts);
  const std::vector<std::pair<std::string, double>> expected{
      {"fc1 pe", 8}, {"fc1 simd", 16}, {"fc2 pe", 2}, {"fc2 simd", 4},
      {"weight bits", 4}, {"activation bits", 4}, {"sparsity %", 50}, {"layers", 3}};
  EXPECT_EQ(knobs, expected);
}

TEST(DesignNames, OneNetworkMappedTwiceGetsTheKeyDigits) {
  std::vector<Trial> trials(3);
  for (std::size_t i = 0; i < trials.size(); ++i) {
    trials[i].number = i;
    trials[i].design.values = {0.0, 0.0, static_cast<double>(i)};
    trials[i].artifacts_json = json{{"network", mlp(i < 2 ? 256 : 128, 4, 4, 0.0)}}.dump();
  }
  const auto designs = trial_designs(trials);
  ASSERT_EQ(designs.size(), 3u);
  EXPECT_EQ(designs[0].name.rfind("mlp-784-256-121-10-w4a4-", 0), 0u) << designs[0].name;
  EXPECT_EQ(designs[0].name.size(), std::string("mlp-784-256-121-10-w4a4-").size() + 4);
  EXPECT_NE(designs[0].name, designs[1].name);
  EXPECT_EQ(designs[2].name, "mlp-784-128-121-10-w4a4");
}

}  // namespace
}  // namespace codse::report
