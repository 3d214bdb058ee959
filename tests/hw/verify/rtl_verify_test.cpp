// RTL generation and bit-exact Verilator verification on tiny networks: an MLP (digits 64-16-10 at
// 2 bits) and a CNN with a residual add and a max pool, with random weights and random inputs.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <random>
#include <string_view>

#include "core/error.hpp"
#include "hw/estimate/estimator.hpp"
#include "hw/rtl/rtl_design.hpp"
#include "hw/rtl/rtl_plan.hpp"
#include "hw/verify/verilator_harness.hpp"
#include "hw/hw_test_support.hpp"
#include "nn/integer/integer_export.hpp"
#include "nn/ir/network_builder.hpp"
#include "nn/quant/random_weights.hpp"
#include "support/temp_dir.hpp"

namespace codse::hw {
namespace {

std::vector<std::vector<std::int32_t>> random_inputs(const nn::IntegerModel& model, int count, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<std::int64_t> level(model.input().min, model.input().max);
  std::vector<std::vector<std::int32_t>> inputs(static_cast<std::size_t>(count));
  for (auto& input : inputs)
    for (std::int64_t i = 0; i < model.input().shape.size(); ++i) input.push_back(static_cast<std::int32_t>(level(rng)));
  return inputs;
}

/// No mismatch between the RTL and the integer model; the first ones are reported when there are.
void expect_bit_exact(const VerifyResult& result) {
  for (const Mismatch& m : result.first_mismatches)
    ADD_FAILURE() << m.layer << " inference " << m.inference << " index " << m.index << ": " << m.actual << " != " << m.expected;
  EXPECT_EQ(result.mismatches, 0);
}

/// Every layer module of the design instantiates its unit with each of these parameter settings.
void expect_every_layer_sets(const RtlDesign& design, std::initializer_list<std::string_view> settings) {
  for (const auto& layer : design.layers) {
    std::ifstream in(layer.files.back());
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (const auto setting : settings) EXPECT_NE(text.find(setting), std::string::npos) << layer.layer << ": " << setting;
  }
}

/// The 2-bit digits MLP with random weights, fc1 at PE 4 / SIMD 8 and fc2 at PE 2 / SIMD 4, its
/// RTL written under dir/rtl.
struct DigitsRtl {
  nn::Network network = testing::example_network("digits_mlp_w2a2");
  nn::IntegerModel model = nn::export_integer_model(network, nn::random_weights(network, 7));
  Mapping mapping = testing::folded({{"fc1", 4, 8}, {"fc2", 2, 4}});
  RtlDesign design;
  explicit DigitsRtl(const std::filesystem::path& dir) : design(write_rtl(network, model, mapping, dir / "rtl")) {}
};

TEST(RtlVerify, DigitsMlpIsBitExactAndMatchesTheEstimatedInterval) {
  codse::testing::TempDir dir;
  const DigitsRtl digits(dir.path());
  const auto& [network, model, mapping, design] = digits;
  EXPECT_EQ(design.top, "digits_mlp_w2a2");
  ASSERT_EQ(design.layers.size(), 2u);
  EXPECT_EQ(design.layers[0].layer, "fc1");
  // fc2's output affine (a per-tensor power-of-two scale and a bias) multiplies by one power of
  // two: a shift, so no multiplier for synthesis to put in DSP blocks.
  std::ifstream fc2_file(dir.path() / "rtl" / "digits_mlp_w2a2_fc2.v");
  const std::string fc2((std::istreambuf_iterator<char>(fc2_file)), std::istreambuf_iterator<char>());
  ASSERT_NE(fc2.find("codse_affine"), std::string::npos) << fc2;
  EXPECT_EQ(fc2.find(".M_SHIFT(-1)"), std::string::npos) << fc2;
  EXPECT_NE(fc2.find(".M_SHIFT("), std::string::npos) << fc2;

  const VerifyResult result = verify_rtl(design, model, random_inputs(model, 300, 1), {});
  expect_bit_exact(result);
  EXPECT_EQ(result.values_compared, 300 * 10 + result.probed_inferences * 16);
  const Estimate estimate = hw::estimate(network, mapping, testing::builtin_device("XC7Z020"));
  // fc1: (16/4)(64/8) = 32 cycles, fc2: (10/2)(16/4) = 20: the interval is fc1's.
  EXPECT_EQ(estimate.ii_cycles, 32);
  EXPECT_DOUBLE_EQ(result.ii_cycles, 32.0);
  EXPECT_EQ(result.ii_min_cycles, 32);
  EXPECT_EQ(result.ii_max_cycles, 32);
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> lines_of(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(RtlVerify, MlpWithALayerInUramLoadsItsWeightsAndIsBitExact) {
  // fc1 in UltraRAM / SPRAM: its weights come in through the top level's load port (PE 8 x SIMD 8
  // x 2 bits = 128-bit beats, NF x SF = 2 x 8 = 16 of them) before the first input; fc2 stays in
  // block RAM. The same network all in block RAM is bit exact too, with the same latency and
  // interval: loading is start-up, outside both.
  codse::testing::TempDir dir;
  const nn::Network network = testing::example_network("digits_mlp_w2a2");
  const nn::IntegerModel model = nn::export_integer_model(network, nn::random_weights(network, 7));
  const Mapping bram = testing::folded({{"fc1", 8, 8}, {"fc2", 2, 4}});
  Mapping uram = bram;
  uram.layers.at(0).storage = WeightStorage::uram;
  const RtlDesign loaded = write_rtl(network, model, uram, dir.path() / "uram");
  const RtlDesign rom = write_rtl(network, model, bram, dir.path() / "bram");
  EXPECT_TRUE(rom.loads.empty());
  ASSERT_EQ(loaded.loads.size(), 1u);
  const RtlDesign::WeightLoad& load = loaded.loads[0];
  EXPECT_EQ(load.layer, "fc1");
  EXPECT_EQ(load.port, "fc1_wload");
  EXPECT_EQ(load.width, 128);
  EXPECT_EQ(load.beats, 16);
  EXPECT_NE(read_file(loaded.dir / "digits_mlp_w2a2.v").find("input wire [127:0] fc1_wload_data"), std::string::npos);
  EXPECT_NE(read_file(loaded.layers[0].files.back()).find(".WEIGHT_STYLE(3)"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(loaded.dir / "digits_mlp_w2a2_fc1_weights_p000.mem"));
  // Beat a is line a of every PE's ROM file, PE 0 in the low bits (16-bit words: 4 hex digits).
  const std::vector<std::string> beats = lines_of(load.file);
  ASSERT_EQ(beats.size(), 16u);
  for (int p = 0; p < 8; ++p) {
    const auto words = lines_of(rom.dir / fmt::format("digits_mlp_w2a2_fc1_weights_p{:03}.mem", p));
    ASSERT_EQ(words.size(), 16u);
    for (std::size_t a = 0; a < 16; ++a) EXPECT_EQ(beats[a].substr(static_cast<std::size_t>(4 * (7 - p)), 4), words[a]);
  }

  const auto inputs = random_inputs(model, 100, 3);
  const VerifyResult from_uram = verify_rtl(loaded, model, inputs, {});
  const VerifyResult from_bram = verify_rtl(rom, model, inputs, {});
  expect_bit_exact(from_uram);
  expect_bit_exact(from_bram);
  EXPECT_EQ(from_uram.values_compared, from_bram.values_compared);
  EXPECT_EQ(from_uram.load_cycles, 16);  // a beat per cycle
  EXPECT_EQ(from_bram.load_cycles, 0);
  EXPECT_EQ(from_uram.latency_cycles, from_bram.latency_cycles);
  // fc1: (16/8)(64/8) = 16 cycles, fc2: (10/2)(16/4) = 20: the interval is fc2's.
  EXPECT_DOUBLE_EQ(from_uram.ii_cycles, 20.0);
  EXPECT_DOUBLE_EQ(from_bram.ii_cycles, 20.0);
}

TEST(RtlVerify, SwitchingActivityOfZeroInputsIsBelowThatOfRandomInputs) {
  // Verilator's toggle counts of the matrix-vector registers: with all-zero inputs the input
  // words and the accumulators never change (no bias in codse_mvau), only the weight-memory read
  // data does; random inputs switch all three. Both runs are bit exact.
  codse::testing::TempDir dir;
  const DigitsRtl digits(dir.path());
  const auto& [network, model, mapping, design] = digits;
  VerifyOptions options;
  options.measure_activity = true;
  const VerifyResult random = verify_rtl(design, model, random_inputs(model, 50, 2), options);
  const std::vector<std::vector<std::int32_t>> zeros(
      50, std::vector<std::int32_t>(static_cast<std::size_t>(model.input().shape.size()), 0));
  ASSERT_EQ(model.input().min, 0);
  const VerifyResult zero = verify_rtl(design, model, zeros, options);
  EXPECT_EQ(random.mismatches, 0);
  EXPECT_EQ(zero.mismatches, 0);
  ASSERT_TRUE(random.activity.measured);
  ASSERT_TRUE(zero.activity.measured);
  // w_r: fc1 4 x 8 x 2 bits, fc2 2 x 4 x 2; x_r: 8 x 5, 4 x 2; acc: 4 x acc1 + 2 x acc2 bits.
  EXPECT_GT(random.activity.bits, 64 + 16 + 40 + 8);
  EXPECT_EQ(zero.activity.inputs, 0.0);
  EXPECT_EQ(zero.activity.accumulators, 0.0);
  EXPECT_GT(zero.activity.weights, 0.05);
  EXPECT_GT(random.activity.inputs, 0.1);
  EXPECT_GT(random.activity.accumulators, 0.05);
  EXPECT_LT(random.activity.overall, 1.0);
  EXPECT_LT(zero.activity.overall, random.activity.overall);
  // The estimate's dynamic power scales with the toggle rate it is given.
  Mapping at_zero = mapping, at_random = mapping;
  at_zero.toggle_rate = zero.activity.overall;
  at_random.toggle_rate = random.activity.overall;
  const auto& device = testing::builtin_device("XC7Z020");
  EXPECT_LT(hw::estimate(network, at_zero, device).power_dynamic_w, hw::estimate(network, at_random, device).power_dynamic_w);
}

TEST(RtlVerify, BinarizedMlpUsesXnorPopcountAndIsBitExact) {
  // Bipolar weights and activations: the matrix-vector units take the XNOR-popcount datapath
  // with one bit per weight; the last layer's accumulators leave the unit as they are.
  // in, fc1, bn1, act1, fc2
  const nn::Network network = nn::NetworkBuilder("bnn")
                                  .input({24}, nn::signed_bits(1))
                                  .dense(8, nn::signed_bits(1))
                                  .batchnorm()
                                  .quant(nn::signed_bits(1))
                                  .dense(6, nn::signed_bits(1))
                                  .no_bias()
                                  .build();
  const nn::IntegerModel model = nn::export_integer_model(network, nn::random_weights(network, 5));
  const Mapping mapping = testing::folded({{"fc1", 2, 6}, {"fc2", 3, 4}});
  codse::testing::TempDir dir;
  const RtlDesign design = write_rtl(network, model, mapping, dir.path() / "rtl");
  expect_every_layer_sets(design, {".XNOR(1)", ".W_BITS(1)"});
  std::mt19937 rng(4);
  std::vector<std::vector<std::int32_t>> inputs(200);
  for (auto& input : inputs)
    for (int i = 0; i < 24; ++i) input.push_back(rng() % 2 == 0 ? -1 : 1);
  const VerifyResult result = verify_rtl(design, model, inputs, {});
  expect_bit_exact(result);
  EXPECT_EQ(result.values_compared, 200 * 6 + result.probed_inferences * 8);
}

TEST(RtlVerify, BipolarWeightsWithWideInputsAddOrSubtractAndAreBitExact) {
  // Bipolar weights times 8-bit unsigned inputs (fc1, as CNV's first layer) and 3-bit signed
  // inputs (fc2): one bit per
  // weight and an add or subtract per term (BIPOLAR_W), never a multiplier, even with the
  // mapping's multipliers in DSPs; the estimate counts no DSP for them either.
  // in, fc1, bn1, act1, fc2
  const nn::Network network = nn::NetworkBuilder("bipolar_w_a8")
                                  .input({24}, nn::unsigned_bits(8))
                                  .dense(8, nn::signed_bits(1))
                                  .batchnorm()
                                  .quant(nn::signed_bits(3))
                                  .dense(6, nn::signed_bits(1))
                                  .no_bias()
                                  .build();
  const nn::IntegerModel model = nn::export_integer_model(network, nn::random_weights(network, 5));
  const Mapping mapping =
      testing::folded({{"fc1", 2, 6}, {"fc2", 3, 4}}, 100.0, WeightStorage::bram, MultiplierStyle::dsp);
  codse::testing::TempDir dir;
  const RtlDesign design = write_rtl(network, model, mapping, dir.path() / "rtl");
  expect_every_layer_sets(design, {".BIPOLAR_W(1)", ".XNOR(0)", ".W_BITS(1)"});
  const VerifyResult result = verify_rtl(design, model, random_inputs(model, 200, 6), {});
  expect_bit_exact(result);
  EXPECT_GT(result.values_compared, 200 * 6);

  const auto& device = testing::builtin_device("XC7Z020");
  const auto estimate = hw::estimate(network, mapping, device);
  EXPECT_EQ(estimate.total.dsp, 0);
  // The same layer with 2-bit weights multiplies, in DSPs (a 2 x 9-bit product is one DSP48E1 on
  // xc7 as Yosys maps it: both operands 2 bits or more, the product 9 or more).
  const nn::Network two_bit = nn::NetworkBuilder("w2_a8")
                                  .input({24}, nn::unsigned_bits(8))
                                  .dense(8, nn::signed_bits(2))
                                  .batchnorm()
                                  .quant(nn::signed_bits(3))
                                  .dense(6, nn::signed_bits(2))
                                  .no_bias()
                                  .build();
  EXPECT_EQ(hw::estimate(two_bit, mapping, device).layers.at(0).resources.dsp, 2 * 6);
}

TEST(RtlVerify, BipolarWeightsOnBinaryPixelsCountTheSelectedInputsAndAreBitExact) {
  // LFC's first layer: bipolar weights times unsigned 1-bit pixels. A PE counts the pixels its +1
  // weights select, doubles the count and subtracts the pixels' shared count.
  const nn::Network network = nn::NetworkBuilder("bipolar_w_a1")
                                  .input({28}, nn::unsigned_bits(1))
                                  .dense(8, nn::signed_bits(1))
                                  .batchnorm()
                                  .quant(nn::signed_bits(1))
                                  .dense(4, nn::signed_bits(1))
                                  .no_bias()
                                  .build();
  const nn::IntegerModel model = nn::export_integer_model(network, nn::random_weights(network, 8));
  const Mapping mapping = testing::folded({{"fc1", 4, 7}, {"fc2", 2, 4}}, 100.0, WeightStorage::lutram);
  codse::testing::TempDir dir;
  const RtlDesign design = write_rtl(network, model, mapping, dir.path() / "rtl");
  expect_every_layer_sets(design, {".BIPOLAR_W(1)", ".W_BITS(1)"});
  const VerifyResult result = verify_rtl(design, model, random_inputs(model, 200, 9), {});
  expect_bit_exact(result);
  EXPECT_GT(result.values_compared, 200 * 4);
}

TEST(RtlVerify, ResidualCnnWithPoolIsBitExact) {
  // in, conv1, bn1, act1, conv2, bn2, act2, res = act2 + act1, act3, pool, fc
  const nn::Network network = nn::NetworkBuilder("tiny_res_cnn")
                                  .input({2, 6, 6}, nn::unsigned_bits(4))
                                  .conv2d(4, 3, nn::signed_bits(2))
                                  .padding(1)
                                  .batchnorm()
                                  .quant(nn::unsigned_bits(2))
                                  .conv2d(4, 3, nn::signed_bits(2))
                                  .padding(1)
                                  .batchnorm()
                                  .quant(nn::unsigned_bits(2))
                                  .add("act1")
                                  .named("res")
                                  .quant(nn::unsigned_bits(3))
                                  .maxpool2d(2)
                                  .named("pool")
                                  .dense(6, nn::signed_bits(2))
                                  .named("fc")
                                  .build();
  const nn::IntegerModel model = nn::export_integer_model(network, nn::random_weights(network, 3));
  // Weights in LUT ROMs and multipliers left to synthesis (the w * x form of codse_mvau); the
  // digits test above covers block RAM and shift-and-add multipliers.
  const Mapping mapping = testing::folded({{"conv1", 2, 1}, {"conv2", 1, 2}, {"fc", 3, 4}}, 100.0,
                                          WeightStorage::logic, MultiplierStyle::automatic);
  codse::testing::TempDir dir;
  const RtlDesign design = write_rtl(network, model, mapping, dir.path() / "rtl");
  const VerifyResult result = verify_rtl(design, model, random_inputs(model, 200, 2), {});
  expect_bit_exact(result);
  EXPECT_EQ(result.probed_inferences, 200);
  // conv2 (PE 1, SIMD 2) folds its 4 x 9 columns two at a time (SF 18) for 4 outputs one at a time
  // (NF 4) on 36 pixels: 2592 cycles, the slowest unit; its sliding window (FINN's formula) is faster.
  const Estimate estimate = hw::estimate(network, mapping, testing::builtin_device("XC7Z020"));
  EXPECT_EQ(estimate.ii_cycles, 2592);
  EXPECT_DOUBLE_EQ(result.ii_cycles, 2592.0);
}

TEST(RtlVerify, PeNotDividingTheOutputsIsAnInputError) {
  const nn::Network network = testing::example_network("digits_mlp_w2a2");
  const nn::IntegerModel model = nn::export_integer_model(network, nn::random_weights(network, 7));
  codse::testing::TempDir dir;
  EXPECT_THROW(write_rtl(network, model, testing::folded({{"fc1", 3, 8}, {"fc2", 2, 4}}), dir.path()), InputError);
}

}  // namespace
}  // namespace codse::hw
