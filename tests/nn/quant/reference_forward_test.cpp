#include "nn/quant/reference_forward.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "core/error.hpp"

namespace codse::nn {
namespace {

Layer input_layer(Shape shape, QuantSpec quant = {}) {
  Layer l;
  l.name = "in";
  l.kind = LayerKind::input;
  l.input_shape = shape;
  l.activation_quant = quant;
  return l;
}

Layer dense_layer(std::string name, int units, QuantSpec quant = {}) {
  Layer l;
  l.name = std::move(name);
  l.kind = LayerKind::dense;
  l.units = units;
  l.weight_quant = quant;
  return l;
}

Layer conv_layer(std::string name, int units, int kernel, int stride, int padding) {
  Layer l;
  l.name = std::move(name);
  l.kind = LayerKind::conv2d;
  l.units = units;
  l.kernel = kernel;
  l.stride = stride;
  l.padding = padding;
  return l;
}

Layer simple_layer(std::string name, LayerKind kind) {
  Layer l;
  l.name = std::move(name);
  l.kind = kind;
  return l;
}

QuantSpec quant(int bits, bool is_signed, std::optional<int> scale = std::nullopt) {
  QuantSpec q;
  q.bits = bits;
  q.is_signed = is_signed;
  q.scale_log2 = scale;
  return q;
}

Tensor tensor(std::vector<std::int64_t> shape, std::vector<float> data) {
  return {std::move(shape), std::move(data)};
}

TEST(ReferenceForward, DenseReluByHand) {
  const Network net("t", {input_layer({3, 1, 1}), dense_layer("fc", 2), simple_layer("r", LayerKind::relu)});
  Weights w;
  w.layers["fc"].weight = tensor({2, 3}, {1, 2, 3, -1, -1, -1});
  w.layers["fc"].bias = tensor({2}, {0.5f, 0.25f});
  const std::vector<float> x{1, 2, 3};
  const auto all = reference_forward_all(net, w, x, Arithmetic::float32);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[1], (std::vector<float>{14.5f, -5.75f}));
  EXPECT_EQ(all[2], (std::vector<float>{14.5f, 0.0f}));
  EXPECT_EQ(reference_forward(net, w, x, Arithmetic::float32), all[2]);
}

TEST(ReferenceForward, MasksApplyInBothModes) {
  const Network net("t", {input_layer({2, 1, 1}), dense_layer("fc", 1)});
  Weights w;
  w.layers["fc"].weight = tensor({1, 2}, {3, 5});
  w.layers["fc"].mask = tensor({1, 2}, {1, 0});
  const std::vector<float> x{1, 1};
  EXPECT_EQ(reference_forward(net, w, x, Arithmetic::float32), (std::vector<float>{3}));
  EXPECT_EQ(reference_forward(net, w, x, Arithmetic::fake_quant), (std::vector<float>{3}));
}

TEST(ReferenceForward, ConvolutionWithPaddingAndStrideByHand) {
  // 1x3x3 input 1..9, one 2x2 filter of ones, padding 1, stride 2: output 2x2 windows at
  // (-1,-1), (-1,1), (1,-1), (1,1).
  const Network net("t", {input_layer({1, 3, 3}), conv_layer("c", 1, 2, 2, 1)});
  ASSERT_EQ(net.shapes()[1], (Shape{1, 2, 2}));
  Weights w;
  w.layers["c"].weight = tensor({1, 1, 2, 2}, {1, 1, 1, 1});
  w.layers["c"].bias = tensor({1}, {10});
  const std::vector<float> x{1, 2, 3, 4, 5, 6, 7, 8, 9};
  EXPECT_EQ(reference_forward(net, w, x, Arithmetic::float32), (std::vector<float>{11, 15, 21, 38}));
}

TEST(ReferenceForward, ConvolutionMixesChannelsInTorchLayout) {
  // 2x2x2 input, 2 filters of 1x1: out[o] = sum_c w[o, c] * x[c].
  const Network net("t", {input_layer({2, 2, 2}), conv_layer("c", 2, 1, 1, 0)});
  Weights w;
  w.layers["c"].weight = tensor({2, 2, 1, 1}, {1, 10, -1, 0});
  const std::vector<float> x{1, 2, 3, 4, 5, 6, 7, 8};
  EXPECT_EQ(reference_forward(net, w, x, Arithmetic::float32),
            (std::vector<float>{51, 62, 73, 84, -1, -2, -3, -4}));
}

TEST(ReferenceForward, MaxPoolFlattenIsChannelMajor) {
  Layer pool = simple_layer("p", LayerKind::maxpool2d);
  pool.kernel = 2;
  pool.stride = 2;
  const Network net("t", {input_layer({2, 2, 4}), pool, simple_layer("f", LayerKind::flatten)});
  ASSERT_EQ(net.shapes()[1], (Shape{2, 1, 2}));
  const std::vector<float> x{1, 2,  3,  4,  5,  6,  7,  -8,  // channel 0
                             0, -1, -2, -3, -4, -5, -6, -7};
  const auto all = reference_forward_all(net, Weights{}, x, Arithmetic::float32);
  EXPECT_EQ(all[1], (std::vector<float>{6, 7, 0, -2}));
  EXPECT_EQ(all[2], all[1]);
}

TEST(ReferenceForward, BatchNormUsesRunningStatistics) {
  const Network net("t", {input_layer({2, 1, 2}), simple_layer("bn", LayerKind::batchnorm),
                          simple_layer("d", LayerKind::dropout)});
  Weights w;
  LayerWeights& bn = w.layers["bn"];
  bn.gamma = tensor({2}, {2, -1});
  bn.beta = tensor({2}, {1, 0});
  bn.running_mean = tensor({2}, {1, 3});
  bn.running_var = tensor({2}, {4, 1});
  bn.eps = 0.0f;
  const std::vector<float> x{1, 3, 3, 5};
  // channel 0: 2 * (x - 1) / 2 + 1; channel 1: -(x - 3) / 1.
  EXPECT_EQ(reference_forward(net, w, x, Arithmetic::float32), (std::vector<float>{1, 3, 0, -2}));
}

TEST(ReferenceForward, FakeQuantQuantizesInputWeightsAndActivations) {
  Layer act = simple_layer("act", LayerKind::quant);
  act.activation_quant = quant(2, false, -1);  // levels 0..3, step 0.5
  const Network net("t",
                    {input_layer({2, 1, 1}, quant(4, false, -2)), dense_layer("fc", 2, quant(3, true)), act});
  Weights w;
  w.layers["fc"].weight = tensor({2, 2}, {0.3f, -0.9f, 0.6f, 0.1f});
  w.layers["fc"].weight_scale_log2 = -2;  // levels -4..3, step 0.25
  const std::vector<float> x{0.4f, 1.1f};
  const auto all = reference_forward_all(net, w, x, Arithmetic::fake_quant);
  // input: 0.4 -> 2 * 0.25 = 0.5 (1.6 rounds to 2); 1.1 -> 4 * 0.25 = 1.0 (4.4 -> 4)
  EXPECT_EQ(all[0], (std::vector<float>{0.5f, 1.0f}));
  // weights: 0.3 -> 0.25, -0.9 -> -1.0 (clamped at -4), 0.6 -> 0.5, 0.1 -> 0.0
  // fc: 0.125 - 1 = -0.875; 0.25 + 0 = 0.25
  EXPECT_EQ(all[1], (std::vector<float>{-0.875f, 0.25f}));
  // act: unsigned, step 0.5: -0.875 -> 0; 0.25 -> floor(0.5 + 0.5) = 1 -> 0.5
  EXPECT_EQ(all[2], (std::vector<float>{0.0f, 0.5f}));
  // float32 ignores the quantization but an unsigned quant still clamps at zero
  const auto f = reference_forward_all(net, w, x, Arithmetic::float32);
  EXPECT_FLOAT_EQ(f[1][0], 0.4f * 0.3f - 1.1f * 0.9f);
  EXPECT_EQ(f[2][0], 0.0f);
  EXPECT_FLOAT_EQ(f[2][1], 0.4f * 0.6f + 1.1f * 0.1f);
}

TEST(ReferenceForward, AddSumsTwoBranches) {
  Layer add = simple_layer("sum", LayerKind::add);
  add.inputs = {"fc", "in"};
  const Network net("t", {input_layer({2, 1, 1}), dense_layer("fc", 2), add});
  Weights w;
  w.layers["fc"].weight = tensor({2, 2}, {0, 1, 1, 0});
  EXPECT_EQ(reference_forward(net, w, std::vector<float>{3, 4}, Arithmetic::float32),
            (std::vector<float>{7, 7}));
}

TEST(ReferenceForward, WrongWeightsOrInputNameTheProblem) {
  const Network net("t", {input_layer({3, 1, 1}), dense_layer("fc7", 2)});
  Weights w;
  w.layers["fc7"].weight = tensor({3, 2}, {1, 2, 3, 4, 5, 6});
  try {
    ReferenceForward(net, w, Arithmetic::float32);
    FAIL();
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("layer fc7: weight has shape [3, 2], expected [2, 3]"),
              std::string::npos)
        << error.what();
  }
  EXPECT_THROW(ReferenceForward(net, Weights{}, Arithmetic::float32), InputError);
  w.layers["fc7"].weight.shape = {2, 3};
  const ReferenceForward forward(net, w, Arithmetic::float32);
  EXPECT_THROW(forward.run(std::vector<float>{1, 2}), InputError);
}

TEST(ReferenceForward, UnknownActivationScaleIsAnInputErrorOnlyInFakeQuant) {
  const Network net("t", {input_layer({2, 1, 1}, quant(8, false))});
  EXPECT_NO_THROW(ReferenceForward(net, Weights{}, Arithmetic::float32));
  EXPECT_THROW(ReferenceForward(net, Weights{}, Arithmetic::fake_quant), InputError);
}

}  // namespace
}  // namespace codse::nn
