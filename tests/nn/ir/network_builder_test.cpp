// NetworkBuilder: the networks it builds (names, shapes, parameters, MACs), their round trip
// through network files, and its errors.
#include "nn/ir/network_builder.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error.hpp"
#include "nn/ir/network_io.hpp"
#include "support/temp_dir.hpp"

namespace codse::nn {
namespace {

template <typename Fn>
void expect_input_error(Fn fn, const std::string& part) {
  try {
    fn();
    ADD_FAILURE() << "no InputError, expected one containing: " << part;
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find(part), std::string::npos) << error.what();
  }
}

std::vector<std::string> names(const Network& net) {
  std::vector<std::string> result;
  for (const auto& layer : net.layers()) result.push_back(layer.name);
  return result;
}

Network mlp() {
  return NetworkBuilder("mlp")
      .input({1, 28, 28}, unsigned_bits(8))
      .flatten()
      .dense(64, signed_bits(4))
      .no_bias()
      .batchnorm()
      .relu()
      .quant(unsigned_bits(4))
      .dense(10, signed_bits(4))
      .build();
}

Network residual_cnn() {
  return NetworkBuilder("rescnn")
      .input({3, 8, 8})
      .conv2d(8, 3)
      .padding(1)
      .batchnorm()
      .relu()
      .conv2d(8, 3)
      .padding(1)
      .batchnorm()
      .add("relu1")
      .relu()
      .maxpool2d(2)
      .conv2d(4, 2, QuantSpec{2, true, true, std::nullopt})
      .stride(2)
      .sparsity(0.5, SparsityKind::structured)
      .dropout(0.25)
      .dense(10)
      .build();
}

TEST(NetworkBuilder, MlpLayersShapesAndStats) {
  const auto net = mlp();
  EXPECT_EQ(net.name(), "mlp");
  EXPECT_EQ(names(net), (std::vector<std::string>{"in", "flatten1", "fc1", "bn1", "relu1", "act1", "fc2"}));
  EXPECT_EQ(net.shapes(), (std::vector<Shape>{{1, 28, 28}, {784, 1, 1}, {64, 1, 1}, {64, 1, 1}, {64, 1, 1},
                                              {64, 1, 1}, {10, 1, 1}}));
  EXPECT_EQ(net.layer("in").activation_quant, unsigned_bits(8));
  EXPECT_EQ(net.layer("fc1").weight_quant, (QuantSpec{4, true, false, std::nullopt}));
  EXPECT_FALSE(net.layer("fc1").bias);
  EXPECT_TRUE(net.layer("fc2").bias);
  EXPECT_EQ(net.layer("act1").activation_quant, (QuantSpec{4, false, false, std::nullopt}));
  for (const auto& layer : net.layers()) EXPECT_TRUE(layer.inputs.empty()) << layer.name;  // the previous layer
  const auto stats = net.stats();
  EXPECT_EQ(stats.layers[2].params, 784 * 64);
  EXPECT_EQ(stats.layers[3].params, 2 * 64);
  EXPECT_EQ(stats.layers[6].params, 64 * 10 + 10);
  EXPECT_EQ(stats.params, 784 * 64 + 2 * 64 + 64 * 10 + 10);
  EXPECT_EQ(stats.macs, 784 * 64 + 64 * 10);
  EXPECT_EQ(stats.weight_bits, (784 * 64 + 64 * 10) * 4);
}

TEST(NetworkBuilder, ResidualCnnLayersShapesAndStats) {
  const auto net = residual_cnn();
  EXPECT_EQ(names(net), (std::vector<std::string>{"in", "conv1", "bn1", "relu1", "conv2", "bn2", "add1", "relu2",
                                                  "pool1", "conv3", "dropout1", "fc1"}));
  EXPECT_EQ(net.layer("add1").inputs, (std::vector<std::string>{"bn2", "relu1"}));
  EXPECT_EQ(net.layer("conv1").padding, 1);
  EXPECT_EQ(net.layer("conv1").stride, 1);
  EXPECT_EQ(net.layer("pool1").stride, 2);  // the kernel
  EXPECT_EQ(net.layer("conv3").stride, 2);
  EXPECT_EQ(net.layer("conv3").sparsity, (Sparsity{0.5, SparsityKind::structured}));
  EXPECT_DOUBLE_EQ(net.layer("dropout1").rate, 0.25);
  const std::vector<Shape> shapes{{3, 8, 8}, {8, 8, 8}, {8, 8, 8}, {8, 8, 8}, {8, 8, 8}, {8, 8, 8},
                                  {8, 8, 8}, {8, 8, 8}, {8, 4, 4}, {4, 2, 2}, {4, 2, 2}, {10, 1, 1}};
  EXPECT_EQ(net.shapes(), shapes);
  const auto stats = net.stats();
  EXPECT_EQ(stats.layers[1].params, 8 * 3 * 9 + 8);
  EXPECT_EQ(stats.layers[1].macs, 8 * 3 * 9 * 8 * 8);
  EXPECT_EQ(stats.layers[4].macs, 8 * 8 * 9 * 8 * 8);
  EXPECT_EQ(stats.layers[9].params, 4 * 8 * 4 + 4);
  EXPECT_EQ(stats.layers[9].nonzero_params, 2 * 8 * 4 + 4);  // half the filters pruned
  EXPECT_EQ(stats.layers[9].macs, 4 * 8 * 4 * 2 * 2);
  EXPECT_EQ(stats.layers[11].params, 16 * 10 + 10);
  EXPECT_EQ(stats.params, (8 * 27 + 8) + (8 * 72 + 8) + (4 * 32 + 4) + (160 + 10) + 2 * 8 + 2 * 8);
  EXPECT_EQ(stats.macs, 8 * 27 * 64 + 8 * 72 * 64 + 4 * 32 * 4 + 160);
}

TEST(NetworkBuilder, BranchesWithFromAndAddOfTwoNamedLayers) {
  NetworkBuilder builder("proj");
  builder.input({16}).dense(16).quant(unsigned_bits(4));
  const auto skip_source = builder.last();
  builder.dense(8).quant(unsigned_bits(4));
  const auto main = builder.last();
  builder.from(skip_source).dense(8).named("proj").add(main, "proj").dense(3);
  const auto net = builder.build();
  EXPECT_EQ(skip_source, "act1");
  EXPECT_EQ(main, "act2");
  EXPECT_EQ(names(net), (std::vector<std::string>{"in", "fc1", "act1", "fc2", "act2", "proj", "add1", "fc4"}));  // the fourth dense
  EXPECT_EQ(net.layer("proj").inputs, (std::vector<std::string>{"act1"}));
  EXPECT_EQ(net.layer("add1").inputs, (std::vector<std::string>{"act2", "proj"}));
  EXPECT_TRUE(net.layer("fc4").inputs.empty());
  EXPECT_EQ(net.output_shape(), (Shape{3, 1, 1}));
  EXPECT_EQ(net.stats().params, (16 * 16 + 16) + (16 * 8 + 8) + (16 * 8 + 8) + (8 * 3 + 3));
  // add(skip) after from(): the main path is the from() layer.
  const auto net2 = NetworkBuilder("n").input({4}).dense(4).relu().from("fc1").add("relu1").dense(2).build();
  EXPECT_EQ(net2.layer("add1").inputs, (std::vector<std::string>{"fc1", "relu1"}));
}

TEST(NetworkBuilder, DefaultNamesSkipNamesAlreadyTaken) {
  const auto net = NetworkBuilder("n").input({4}).named("x").dense(4).named("fc2").dense(3).dense(2).build();
  EXPECT_EQ(names(net), (std::vector<std::string>{"x", "fc2", "fc3", "fc4"}));
}

TEST(NetworkBuilder, RoundTripsThroughNetworkFiles) {
  testing::TempDir dir;
  for (const auto& net : {mlp(), residual_cnn()}) {
    const auto path = dir / (net.name() + ".json");
    save_network(net, path);
    const auto loaded = load_network(path);
    EXPECT_EQ(loaded.name(), net.name());
    EXPECT_EQ(loaded.layers(), net.layers());
    EXPECT_EQ(format_network_json(loaded), format_network_json(net));
  }
  // The same network written by hand as JSON.
  const auto by_hand = parse_network_json(R"({"name": "mlp", "layers": [
    {"name": "in", "type": "input", "shape": [1, 28, 28], "bits": 8, "signed": false},
    {"name": "flatten1", "type": "flatten"},
    {"name": "fc1", "type": "dense", "units": 64, "bias": false, "weight_bits": 4},
    {"name": "bn1", "type": "batchnorm"},
    {"name": "relu1", "type": "relu"},
    {"name": "act1", "type": "quant", "bits": 4, "signed": false},
    {"name": "fc2", "type": "dense", "units": 10, "weight_bits": 4}]})",
                                          "mlp.json");
  EXPECT_EQ(by_hand.layers(), mlp().layers());
}

TEST(NetworkBuilder, MisuseIsAnInputErrorNamingTheCall) {
  expect_input_error([] { NetworkBuilder("n").dense(4); }, "network n: dense() before input()");
  expect_input_error([] { NetworkBuilder("n").input({4}).input({4}); }, "network n: input() must come first");
  expect_input_error([] { NetworkBuilder("n").input({4}).dense(4).relu().no_bias(); },
                     "network n: no_bias() applies to a dense or conv2d layer, not to layer relu1 (relu)");
  expect_input_error([] { NetworkBuilder("n").input({4}).dense(4).stride(2); },
                     "stride() applies to a conv2d or maxpool2d layer, not to layer fc1 (dense)");
  expect_input_error([] { NetworkBuilder("n").input({1, 4, 4}).maxpool2d(2).padding(1); },
                     "padding() applies to a conv2d layer, not to layer pool1 (maxpool2d)");
  expect_input_error([] { NetworkBuilder("n").input({4}).sparsity(0.5); },
                     "sparsity() applies to a dense or conv2d layer, not to layer in (input)");
  expect_input_error([] { NetworkBuilder("n").named("x"); }, "network n: named() before any layer");
  expect_input_error([] { NetworkBuilder("n").input({4}).dense(4).named("in"); },
                     "named(\"in\"): layer in already has that name");
  expect_input_error([] { NetworkBuilder("n").input({4}).from("fc9"); }, "from(\"fc9\"): no layer of that name");
  expect_input_error([] { NetworkBuilder("n").last(); }, "last() before any layer");
  expect_input_error([] { NetworkBuilder(""); }, "the network's name is empty");
  expect_input_error([] { NetworkBuilder("n").build(); }, "network n: build() of a network without layers");
  expect_input_error([] { NetworkBuilder("n").input({4}).dense(4).from("in").build(); },
                     "from(\"in\") is not followed by a layer");
}

TEST(NetworkBuilder, BuildReportsTheNetworksOwnChecks) {
  expect_input_error([] { NetworkBuilder("c").input({1, 4, 4}).conv2d(2, 5).build(); },
                     "network c: layer conv1: kernel 5 larger than input 4x4");
  expect_input_error([] { NetworkBuilder("a").input({4}).dense(4).dense(3).add("fc1").build(); },
                     "network a: layer add1: add of different shapes 3x1x1 (fc2) and 4x1x1 (fc1)");
  expect_input_error([] { NetworkBuilder("u").input({4}).dense(4).from("in").dense(2).build(); },
                     "network u: layer fc1: its output is used by no later layer");
  expect_input_error([] { NetworkBuilder("q").input({4}).quant(QuantSpec{}).build(); },
                     "network q: layer act1: a quant layer needs bits");
  expect_input_error([] { NetworkBuilder("b").input({4}).dense(4, signed_bits(17)).build(); },
                     "network b: layer fc1: weight bits 17 out of range");
  expect_input_error([] { NetworkBuilder("z").input({4}).dense(0).build(); },
                     "network z: layer fc1: units 0 must be at least 1");
  expect_input_error([] { NetworkBuilder("s").input({0, 1, 1}).build(); }, "network s: layer in: input shape");
  expect_input_error([] { NetworkBuilder("k").input({4}).add("nope").build(); },
                     "network k: layer add1: input 'nope' is not an earlier layer");
}

}  // namespace
}  // namespace codse::nn
