#include "nn/ir/network.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/error.hpp"
#include "nn/network_builders.hpp"

namespace codse::nn {
namespace {

using namespace codse::nn::testing;

template <typename Fn>
void expect_input_error(Fn fn, const std::string& part) {
  try {
    fn();
    ADD_FAILURE() << "no InputError, expected one containing: " << part;
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find(part), std::string::npos) << error.what();
  }
}

void expect_invalid(std::vector<Layer> layers, const std::string& part) {
  expect_input_error([&] { Network("net", std::move(layers)); }, part);
}

TEST(LayerKind, NamesRoundTrip) {
  for (auto kind :
       {LayerKind::input, LayerKind::dense, LayerKind::conv2d, LayerKind::maxpool2d, LayerKind::batchnorm,
        LayerKind::relu, LayerKind::quant, LayerKind::add, LayerKind::flatten, LayerKind::dropout})
    EXPECT_EQ(layer_kind_from_string(to_string(kind)), kind);
  EXPECT_STREQ(to_string(LayerKind::conv2d), "conv2d");
  EXPECT_FALSE(layer_kind_from_string("Dense").has_value());
  EXPECT_FALSE(layer_kind_from_string("lstm").has_value());
}

TEST(Network, InfersConvPoolAndDenseShapes) {
  Network net("shapes",
              {input({3, 11, 11}), conv("c1", 6, 5, 2, 1), make_layer("r1", LayerKind::relu),
               maxpool("p1", 2), conv("c2", 4, 2), make_layer("flat", LayerKind::flatten), dense("fc", 7)});
  // (11 + 2 - 5) / 2 + 1 = 5; pool 2 -> 2 (floor); conv k2 -> 1.
  EXPECT_EQ(net.shapes()[1], (Shape{6, 5, 5}));
  EXPECT_EQ(net.shapes()[3], (Shape{6, 2, 2}));
  EXPECT_EQ(net.shapes()[4], (Shape{4, 1, 1}));
  EXPECT_EQ(net.shapes()[5], (Shape{4, 1, 1}));
  EXPECT_EQ(net.output_shape(), (Shape{7, 1, 1}));
  EXPECT_EQ(net.input_shape(), (Shape{3, 11, 11}));
  EXPECT_EQ(net.index_of("p1"), 3u);
  EXPECT_EQ(net.layer("c2").units, 4);
  EXPECT_EQ(net.input_indices(4), (std::vector<std::size_t>{3}));
  expect_input_error([&] { net.layer("nope"); }, "no layer named 'nope'");
}

// Issue 17, defect 15: sizes past 32 bits were cut (a 2^31-element input became a negative
// flatten width and "pe, simd and reuse must be at least 1" downstream); now refused on load.
TEST(Network, RefusesTensorsOverTwoToThe31Elements) {
  expect_invalid({input({3, 30000, 30000}), dense("fc", 4)}, "layer in: its output has 2700000000 elements");
  expect_invalid({input({16000000, 16000000, 16000000}), dense("fc", 4)}, "more than the 2^31 - 1");
  expect_invalid({input({3, 16000, 16000}), conv("c", 64, 3), dense("fc", 2)},
                 "layer c: its output has 16379904256 elements");
  // Just under the limit is a network (2^31 - 1 would be, too: 46340^2 < 2^31).
  EXPECT_NO_THROW(Network("edge", {input({1, 46340, 46340}), make_layer("flat", LayerKind::flatten), dense("fc", 2)}));
}

TEST(Network, RefusesLayersOverTwoToThe40WeightsOrTwoToThe52Macs) {
  expect_invalid({input({2000000, 1, 1}), dense("fc", 1000000)}, "layer fc: 2000000000000 weights");
  // 2^16 x 16 x 16 inputs, 64 filters of 16 x 16 padded to a 4,097 x 4,097 output: 2^30 weights,
  // 2^30 outputs, 1.8e16 MACs.
  expect_invalid({input({65536, 16, 16}), conv("c", 64, 16, 1, 2048), dense("fc", 2)},
                 "multiply-accumulates per inference");
}

TEST(Network, DenseFlattensImplicitly) {
  Network net("implicit", {input({2, 3, 3}), dense("fc", 5)});
  EXPECT_EQ(net.stats().layers[1].params, 2 * 3 * 3 * 5 + 5);
}

TEST(Network, MaxpoolStrideAndOverlap) {
  Layer pool = maxpool("p", 3);
  pool.stride = 2;
  Network net("pool", {input({1, 7, 7}), pool, dense("fc", 2)});
  EXPECT_EQ(net.shapes()[1], (Shape{1, 3, 3}));  // (7 - 3) / 2 + 1
}

TEST(Network, AddRequiresEqualShapes) {
  Network good("res", {input({8, 1, 1}), dense("a", 8), make_layer("r", LayerKind::relu),
                       add("sum", "r", "in"), dense("out", 2)});
  EXPECT_EQ(good.input_indices(3), (std::vector<std::size_t>{2, 0}));
  expect_invalid({input({8, 1, 1}), dense("a", 6), add("sum", "a", "in"), dense("out", 2)},
                 "layer sum: add of different shapes 6x1x1 (a) and 8x1x1 (in)");
}

TEST(Network, ValidationNamesTheLayer) {
  expect_invalid({input({1, 4, 4}), conv("conv2", 2, 5), dense("fc", 2)},
                 "layer conv2: kernel 5 larger than input 4x4");
  expect_invalid({input({1, 2, 2}), conv("c", 2, 5, 1, 1), dense("fc", 2)},
                 "layer c: kernel 5 larger than input 2x2 padded by 1");
  expect_invalid({input({1, 3, 3}), maxpool("pool", 4), dense("fc", 2)},
                 "layer pool: kernel 4 larger than input 3x3");
  expect_invalid({dense("fc", 2)}, "layer fc: the first layer must be an input layer");
  Layer second_input = input({4});
  second_input.name = "in2";
  expect_invalid({input({4}), dense("fc", 2), second_input},
                 "layer in2: the input layer must be the first layer");
  expect_invalid({input({4}), dense("fc", 2), dense("fc", 2)}, "layer fc: the name is used twice");
  expect_invalid({input({4}), dense("bad name", 2)}, "'bad name'");

  Layer forward = dense("fc1", 2);
  forward.inputs = {"fc2"};
  expect_invalid({input({4}), forward, dense("fc2", 2)}, "layer fc1: input 'fc2' is not an earlier layer");
  Layer skip_fc2 = dense("fc3", 2);
  skip_fc2.inputs = {"fc1"};
  expect_invalid({input({4}), dense("fc1", 3), dense("fc2", 2), skip_fc2},
                 "layer fc2: its output is used by no");

  expect_invalid({input({4}), dense("fc", 2, bits(17))}, "layer fc: weight bits 17 out of range");
  expect_invalid({input({4}, bits(-1)), dense("fc", 2)}, "layer in: activation bits -1 out of range");
  expect_invalid({input({4}), quant("q", 0, false), dense("fc", 2)}, "layer q: a quant layer needs bits");
  QuantSpec ternary_unsigned{2, false, true, std::nullopt};
  expect_invalid({input({4}), dense("fc", 2, ternary_unsigned)}, "ternary needs 2 signed bits");

  Layer sparse = dense("fc", 2);
  sparse.sparsity.target = 1.0;
  expect_invalid({input({4}), sparse}, "layer fc: sparsity target 1 must be in [0, 1)");
  Layer drop = make_layer("drop", LayerKind::dropout);
  drop.rate = 1.0;
  expect_invalid({input({4}), drop, dense("fc", 2)}, "layer drop: dropout rate 1 must be in [0, 1)");
  expect_invalid({input({0, 1, 1}), dense("fc", 2)}, "layer in: input shape 0x1x1 must be positive");
  expect_invalid({input({4}), dense("fc", 0)}, "layer fc: units 0 must be at least 1");

  Layer stray = make_layer("act", LayerKind::relu);
  stray.units = 3;
  expect_invalid({input({4}), stray, dense("fc", 2)}, "layer act: 'units' does not apply to a relu layer");
  Layer two_inputs = dense("fc", 2);
  two_inputs.inputs = {"in", "in"};
  expect_invalid({input({4}), two_inputs}, "layer fc: a dense layer takes one input (has 2)");
  Layer one_input_add = make_layer("sum", LayerKind::add);
  one_input_add.inputs = {"in"};
  expect_invalid({input({4}), one_input_add, dense("fc", 2)},
                 "layer sum: add takes exactly 2 inputs (has 1)");
}

TEST(Network, OutputQuantFollowsQuantAndInputLayers) {
  Network net(
      "q", {input({1, 4, 4}, bits(8, false)), maxpool("p0", 2), conv("c", 2, 1),
            make_layer("bn", LayerKind::batchnorm), quant("q", 3, false), maxpool("p1", 2),
            make_layer("flat", LayerKind::flatten), make_layer("drop", LayerKind::dropout), dense("fc", 2)});
  EXPECT_EQ(net.output_quant(1), bits(8, false));
  EXPECT_TRUE(net.output_quant(2).is_float());
  EXPECT_TRUE(net.output_quant(3).is_float());
  EXPECT_EQ(net.output_quant(4), bits(3, false));
  EXPECT_EQ(net.output_quant(7), bits(3, false));
  EXPECT_TRUE(net.output_quant(8).is_float());
}

// Every number below is worked out by hand in the comments.
TEST(Network, StatsCountParamsSparsityMacsBitsAndBuffers) {
  Layer c1 = conv("c1", 4, 3, 1, 1);
  c1.weight_quant = bits(4);
  c1.sparsity = {0.5, SparsityKind::unstructured};
  Layer fc = dense("fc", 10);
  fc.sparsity = {0.3, SparsityKind::structured};
  Network net("stats", {input({3, 8, 8}, bits(8, false)), c1, make_layer("bn", LayerKind::batchnorm),
                        quant("q", 4, false), maxpool("p", 2), fc});
  const auto stats = net.stats();
  ASSERT_EQ(stats.layers.size(), 6u);
  // conv: 4*3*9 = 108 weights + 4 biases; half the weights pruned: 54 + 4; 108 * 8*8 MACs.
  EXPECT_EQ(stats.layers[1].params, 112);
  EXPECT_EQ(stats.layers[1].nonzero_params, 58);
  EXPECT_EQ(stats.layers[1].macs, 6912);
  EXPECT_EQ(stats.layers[1].weight_bits, 54 * 4);
  EXPECT_EQ(stats.layers[1].activation_bits, 4 * 8 * 8 * 32);
  EXPECT_EQ(stats.layers[1].input, (Shape{3, 8, 8}));
  EXPECT_EQ(stats.layers[2].params, 8);  // batchnorm: 2 per channel
  EXPECT_EQ(stats.layers[3].activation_bits, 4 * 8 * 8 * 4);
  EXPECT_EQ(stats.layers[4].activation_bits, 4 * 4 * 4 * 4);
  // dense: 64*10 weights + 10 biases; structured 0.3 prunes 3 whole units (3*64 weights), float.
  EXPECT_EQ(stats.layers[5].params, 650);
  EXPECT_EQ(stats.layers[5].nonzero_params, 448 + 10);
  EXPECT_EQ(stats.layers[5].macs, 640);
  EXPECT_EQ(stats.layers[5].weight_bits, 448 * 32);
  EXPECT_EQ(stats.params, 112 + 8 + 650);
  EXPECT_EQ(stats.nonzero_params, 58 + 8 + 458);
  EXPECT_EQ(stats.macs, 6912 + 640);
  EXPECT_EQ(stats.weight_bits, 216 + 14336);
  // The conv's 32-bit output (8192 bits) and the batchnorm's are fused into the quant layer; the
  // largest stored buffer is the 8-bit input, 192 * 8.
  EXPECT_EQ(stats.max_activation_bits, 1536);
}

}  // namespace
}  // namespace codse::nn
