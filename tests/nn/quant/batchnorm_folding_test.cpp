#include "nn/quant/batchnorm_folding.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "core/error.hpp"
#include "nn/network_builders.hpp"
#include "nn/quant/random_weights.hpp"
#include "nn/quant/reference_forward.hpp"

namespace codse::nn {
namespace {

using testing::add;
using testing::conv;
using testing::dense;
using testing::input;
using testing::make_layer;
using testing::maxpool;

Layer batchnorm(std::string name, std::vector<std::string> inputs = {}) {
  Layer layer = make_layer(std::move(name), LayerKind::batchnorm);
  layer.inputs = std::move(inputs);
  return layer;
}

std::vector<std::string> names(const Network& network) {
  std::vector<std::string> out;
  for (const Layer& layer : network.layers()) out.push_back(layer.name);
  return out;
}

void expect_same_float_function(const Network& a, const Weights& wa, const Network& b, const Weights& wb) {
  std::mt19937_64 random(3);
  std::uniform_real_distribution<float> pixel(-1.0f, 1.0f);
  const ReferenceForward fa(a, wa, Arithmetic::float32);
  const ReferenceForward fb(b, wb, Arithmetic::float32);
  for (int sample = 0; sample < 20; ++sample) {
    std::vector<float> x(static_cast<std::size_t>(a.input_shape().size()));
    for (float& v : x) v = pixel(random);
    const std::vector<float> ya = fa.run(x);
    const std::vector<float> yb = fb.run(x);
    ASSERT_EQ(ya.size(), yb.size());
    for (std::size_t k = 0; k < ya.size(); ++k) {
      EXPECT_NEAR(ya[k], yb[k], 1e-5 * std::max(1.0f, std::fabs(ya[k]))) << k;
    }
  }
}

TEST(BatchnormFolding, FoldsIntoDenseAndConvAndKeepsTheFunction) {
  Layer pool = maxpool("pool", 2);
  const Network net("cnn", {input({2, 6, 6}), conv("conv1", 3, 3, 1, 1), batchnorm("bn1"),
                            make_layer("relu1", LayerKind::relu), pool, dense("fc1", 8), batchnorm("bn2"),
                            make_layer("relu2", LayerKind::relu), dense("fc2", 4)});
  Weights weights = random_weights(net, 11);
  weights.at("conv1").bias = {};  // a layer without bias gets one
  weights.at("bn1").gamma.data[1] = -0.7f;
  const FoldedNetwork folded = fold_batchnorm(net, weights);
  EXPECT_EQ(names(folded.network),
            (std::vector<std::string>{"in", "conv1", "relu1", "pool", "fc1", "relu2", "fc2"}));
  EXPECT_FALSE(folded.weights.contains("bn1"));
  EXPECT_FALSE(folded.weights.contains("bn2"));
  EXPECT_EQ(folded.weights.at("conv1").bias.numel(), 3);
  expect_same_float_function(net, weights, folded.network, folded.weights);
}

TEST(BatchnormFolding, FoldedValuesByHand) {
  const Network net("one", {input({2, 1, 1}), dense("fc", 1), batchnorm("bn")});
  Weights w;
  w.layers["fc"].weight = {{1, 2}, {1.0f, -2.0f}};
  w.layers["fc"].bias = {{1}, {0.5f}};
  w.layers["fc"].mask = {{1, 2}, {1.0f, 0.0f}};
  w.layers["fc"].weight_scale_log2 = -3;
  LayerWeights& bn = w.layers["bn"];
  bn.gamma = {{1}, {3.0f}};
  bn.beta = {{1}, {1.0f}};
  bn.running_mean = {{1}, {0.25f}};
  bn.running_var = {{1}, {4.0f}};
  bn.eps = 0.0f;
  const FoldedNetwork folded = fold_batchnorm(net, w);
  // a = 3 / 2: weight 1.5, -3; bias 1.5 * (0.5 - 0.25) + 1 = 1.375.
  EXPECT_EQ(folded.weights.at("fc").weight.data, (std::vector<float>{1.5f, -3.0f}));
  EXPECT_EQ(folded.weights.at("fc").bias.data, (std::vector<float>{1.375f}));
  EXPECT_EQ(folded.weights.at("fc").mask, w.layers["fc"].mask);
  EXPECT_FALSE(folded.weights.at("fc").weight_scale_log2.has_value());
  EXPECT_EQ(folded.network.layers().size(), 2u);
}

TEST(BatchnormFolding, KeepsBatchnormsThatCannotBeFolded) {
  // bn_a follows a relu; bn_b follows a dense whose output also feeds the skip of an add.
  const Network net(
      "keep", {input({4, 1, 1}), dense("fc1", 4), make_layer("relu", LayerKind::relu), batchnorm("bn_a"),
               dense("fc2", 4), batchnorm("bn_b"), add("sum", "bn_b", "fc2"), dense("fc3", 2)});
  const Weights weights = random_weights(net, 5);
  const FoldedNetwork folded = fold_batchnorm(net, weights);
  EXPECT_EQ(names(folded.network), names(net));
  expect_same_float_function(net, weights, folded.network, folded.weights);
}

TEST(BatchnormFolding, RewiresLayersThatNamedTheBatchnorm) {
  const Network net("skip",
                    {input({4, 1, 1}), dense("fc1", 4), batchnorm("bn1"), make_layer("r1", LayerKind::relu),
                     dense("fc2", 4), batchnorm("bn2"), add("sum", "bn2", "r1"), dense("fc3", 2)});
  const Weights weights = random_weights(net, 8);
  const FoldedNetwork folded = fold_batchnorm(net, weights);
  EXPECT_EQ(names(folded.network), (std::vector<std::string>{"in", "fc1", "r1", "fc2", "sum", "fc3"}));
  EXPECT_EQ(folded.network.layer("sum").inputs, (std::vector<std::string>{"fc2", "r1"}));
  expect_same_float_function(net, weights, folded.network, folded.weights);
}

TEST(BatchnormFolding, MissingStatisticsNameTheLayer) {
  const Network net("one", {input({2, 1, 1}), dense("fc", 3), batchnorm("bn7")});
  Weights weights = random_weights(net, 1);
  weights.at("bn7").running_var.data.pop_back();
  try {
    fold_batchnorm(net, weights);
    FAIL();
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("layer bn7: running_var has 2 values, expected 3"),
              std::string::npos)
        << error.what();
  }
}

}  // namespace
}  // namespace codse::nn
