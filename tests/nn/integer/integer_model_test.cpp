#include "nn/integer/integer_model.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "core/error.hpp"
#include "nn/integer/integer_export.hpp"
#include "nn/integer/integer_test_support.hpp"
#include "nn/network_builders.hpp"
#include "nn/ir/network_io.hpp"
#include "support/temp_dir.hpp"

namespace codse::nn {
namespace {

using testing::add;
using testing::bits;
using testing::conv;
using testing::dense;
using testing::input;
using testing::make_layer;
using testing::maxpool;
using testing::quant;

Layer batchnorm(std::string name) { return make_layer(std::move(name), LayerKind::batchnorm); }

Layer no_bias(Layer layer) {
  layer.bias = false;
  return layer;
}

QuantSpec unsigned_bits(int count, std::optional<int> scale = std::nullopt) {
  QuantSpec q = bits(count, false);
  q.scale_log2 = scale;
  return q;
}

// Exports, compares with fake quantization on fresh inputs and reports what it measured.
testing::Agreement check_network(const Network& network, bool negative_gamma, int samples = 300,
                                 int calibration_samples = 64) {
  const auto calibration = testing::random_inputs(network, calibration_samples, 1);
  const Weights weights = testing::calibrated_weights(network, calibration, 7, negative_gamma);
  const IntegerModel model = export_integer_model(network, weights);
  const auto inputs = testing::random_inputs(network, samples, 2);
  const testing::Agreement a = testing::compare_with_fake_quant(model, network, weights, inputs);
  EXPECT_EQ(a.off_boundary_mismatches, 0);
  EXPECT_LE(a.boundary_samples, samples / 100) << "too many samples at a rounding boundary";
  EXPECT_GE(a.same_prediction, a.samples - a.boundary_samples);
  EXPECT_LT(a.worst_logit_error, 1e-5);
  EXPECT_GT(a.levels_compared, 0);
  EXPECT_GE(a.fewest_distinct_levels, 2u) << "a quant layer saturated: the comparison would be weak";
  std::cout << "[ measured ] " << network.name() << ": " << a.same_prediction << "/" << a.samples
            << " same predictions, " << a.boundary_samples << " samples at a boundary, " << a.levels_compared
            << " levels compared (each layer used at least " << a.fewest_distinct_levels
            << " levels), worst relative logit error " << a.worst_logit_error << "\n";
  return a;
}

std::size_t count_ops(const IntegerModel& model, IntegerOpKind kind) {
  std::size_t n = 0;
  for (const IntegerOp& op : model.ops()) n += op.kind == kind ? 1 : 0;
  return n;
}

TEST(IntegerModel, BinarySfcWithBatchnormMatchesFakeQuant) {
  const Network net("sfc_small",
                    {input({64, 1, 1}, unsigned_bits(1, 0)), no_bias(dense("fc0", 32, bits(1))),
                     batchnorm("bn0"), quant("act0", 1, true), no_bias(dense("fc1", 32, bits(1))),
                     batchnorm("bn1"), quant("act1", 1, true), no_bias(dense("fc2", 10, bits(1)))});
  check_network(net, true);
  const IntegerModel model =
      export_integer_model(net, testing::calibrated_weights(net, testing::random_inputs(net, 8, 1), 3, true));
  for (const IntegerOp& op : model.ops()) {
    if (op.kind != IntegerOpKind::requantize) continue;
    EXPECT_EQ(op.requant.levels, (std::vector<int>{-1, 1})) << op.name;
    EXPECT_EQ(op.requant.thresholds.size(), 32u) << "one threshold per channel";
    EXPECT_FALSE(op.requant.has_shift);
    EXPECT_NE(std::count(op.requant.sign.begin(), op.requant.sign.end(), -1), 0) << "negative gamma flips";
  }
  // 32 inputs of +-1 times +-1 weights: |acc| <= 32, 7 bits.
  EXPECT_EQ(model.ops()[3].kind, IntegerOpKind::dense);
  EXPECT_EQ(model.ops()[3].bits, 7);
}

TEST(IntegerModel, TwoBitAndTernaryMatchFakeQuant) {
  Layer fc2 = dense("fc2", 16, QuantSpec{2, true, true, std::nullopt});
  const Network net("mlp_w2a2", {input({64, 1, 1}, unsigned_bits(8)), no_bias(dense("fc1", 24, bits(2))),
                                 batchnorm("bn1"), quant("act1", 2, false), fc2, batchnorm("bn2"),
                                 quant("act2", 2, true), dense("fc3", 10, bits(2))});
  check_network(net, true);
}

TEST(IntegerModel, FourBitWithBatchnormMatchesFakeQuant) {
  const Network net("mlp_w4a4",
                    {input({1, 8, 8}, unsigned_bits(8)), no_bias(dense("fc1", 48, bits(4))), batchnorm("bn1"),
                     quant("act1", 4, false), no_bias(dense("fc2", 32, bits(4))), batchnorm("bn2"),
                     quant("act2", 4, false), dense("fc3", 10, bits(4))});
  const testing::Agreement a = check_network(net, true);
  EXPECT_EQ(a.samples, 300);
}

TEST(IntegerModel, PowerOfTwoScalesRequantizeByShiftAsByThresholds) {
  const Network net("mlp_shift",
                    {input({40, 1, 1}, unsigned_bits(8)), dense("fc1", 32, bits(4)), quant("act1", 4, false),
                     dense("fc2", 24, bits(4)), make_layer("relu2", LayerKind::relu), quant("act2", 4, true),
                     dense("fc3", 10, bits(4))});
  check_network(net, false);
  const Weights weights = testing::calibrated_weights(net, testing::random_inputs(net, 64, 1), 7, false);
  IntegerModel model = export_integer_model(net, weights);
  ASSERT_EQ(count_ops(model, IntegerOpKind::requantize), 2u);
  for (const IntegerOp& op : model.ops()) {
    if (op.kind != IntegerOpKind::requantize) continue;
    EXPECT_TRUE(op.requant.has_shift) << op.name;
    EXPECT_TRUE(op.requant.has_thresholds()) << op.name;
    if (op.name == "act2") {
      EXPECT_EQ(op.requant.low, 0) << "the relu clamps the signed levels at 0";
    }
  }
  // The two forms give the same levels for every op on every input.
  IntegerModel by_thresholds = model;
  by_thresholds.set_requantization_preference(RequantizationPreference::thresholds);
  for (const auto& x : testing::random_inputs(net, 200, 5)) {
    const auto levels = model.quantize_input(x);
    ASSERT_EQ(model.infer_all(levels), by_thresholds.infer_all(levels));
  }
  // The last layer has a bias: its offsets are exact in units of the output exponent.
  EXPECT_EQ(model.output().kind, IntegerOpKind::output_affine);
  EXPECT_LT(model.output_scale_log2(), model.ops()[model.output().inputs[0]].scale_log2);
}

Layer quantized_conv(std::string name, int filters, int kernel, int stride, int padding, int weight_bits) {
  Layer layer = no_bias(conv(std::move(name), filters, kernel, stride, padding));
  layer.weight_quant = bits(weight_bits);
  return layer;
}

TEST(IntegerModel, SmallCnnWithMaxPoolMatchesFakeQuant) {
  const Network net("cnn_small", {input({2, 8, 8}, unsigned_bits(8)), quantized_conv("conv1", 4, 3, 1, 1, 4),
                                  batchnorm("bn1"), maxpool("pool1", 2), quant("act1", 4, false),
                                  quantized_conv("conv2", 6, 3, 1, 1, 4), maxpool("pool2", 2),
                                  batchnorm("bn2"), quant("act2", 4, false), maxpool("pool3", 2),
                                  make_layer("flat", LayerKind::flatten), dense("fc", 10, bits(4))});
  check_network(net, true, 200);
  const Weights weights = testing::calibrated_weights(net, testing::random_inputs(net, 16, 1), 7, true);
  const IntegerModel model = export_integer_model(net, weights);
  // pool1, after a batchnorm with negative scales and before act1, runs on act1's levels; pool2,
  // before such a batchnorm, runs on conv2's accumulators; pool3 pools act2's levels as written.
  std::vector<std::string> pools;
  for (const IntegerOp& op : model.ops()) {
    if (op.kind == IntegerOpKind::maxpool2d) pools.push_back(op.name + "<-" + model.ops()[op.inputs[0]].name);
  }
  EXPECT_EQ(pools, (std::vector<std::string>{"act1<-act1", "pool2<-conv2", "pool3<-act2"}));
}

TEST(IntegerModel, StridedConvolutionMatchesFakeQuant) {
  Layer c2 = conv("conv2", 4, 2, 1, 0);
  c2.weight_quant = bits(4);
  const Network net("cnn_strided",
                    {input({1, 9, 9}, unsigned_bits(6)), quantized_conv("conv1", 3, 3, 2, 1, 3),
                     batchnorm("bn1"), quant("act1", 3, false), c2, batchnorm("bn2")});
  check_network(net, true, 150);
}

TEST(IntegerModel, SkipConnectionAlignsExponentsByShifts) {
  const Network net("resmlp", {input({32, 1, 1}, unsigned_bits(8)), no_bias(dense("fc1", 16, bits(4))),
                               batchnorm("bn1"), quant("act1", 4, false), no_bias(dense("fc2", 16, bits(4))),
                               batchnorm("bn2"), quant("act2", 4, false), add("res", "act2", "act1"),
                               quant("act_res", 4, false), dense("fc3", 10, bits(4))});
  std::vector<Layer> layers = net.layers();
  layers[6].activation_quant.scale_log2 = -3;  // act1 and act2 at different exponents
  layers[3].activation_quant.scale_log2 = -2;
  const Network skip("resmlp", layers);
  check_network(skip, true);
  const IntegerModel model = export_integer_model(
      skip, testing::calibrated_weights(skip, testing::random_inputs(skip, 16, 1), 7, true));
  const IntegerOp* sum = nullptr;
  for (const IntegerOp& op : model.ops()) sum = op.kind == IntegerOpKind::add ? &op : sum;
  ASSERT_NE(sum, nullptr);
  EXPECT_EQ(sum->scale_log2, -3);
  EXPECT_EQ(sum->shifts, (std::vector<int>{0, 1}));
  EXPECT_EQ(sum->min, 0);
  EXPECT_EQ(sum->max, 15 + 15 * 2);
}

TEST(IntegerModel, DenseCanReadASumDirectly) {
  const Network net(
      "resmlp_direct",
      {input({32, 1, 1}, unsigned_bits(8)), no_bias(dense("fc1", 16, bits(4))), batchnorm("bn1"),
       quant("act1", 4, false), no_bias(dense("fc2", 16, bits(4))), batchnorm("bn2"), quant("act2", 4, false),
       add("res", "act2", "act1"), dense("fc3", 10, bits(4))});
  check_network(net, false);
}

TEST(IntegerModel, AccumulatorBoundAndThresholdsByHand) {
  // x in 0..3 (2-bit unsigned, exponent 0); weights 2-bit signed (-2..1, exponent 0).
  const Network net("hand", {input({3, 1, 1}, unsigned_bits(2, 0)), dense("fc", 2, bits(2)),
                             quant("act", 2, false), dense("out", 1, bits(2))});
  Weights w;
  w.layers["fc"].weight = {{2, 3}, {1, -2, 1, -1, -1, -1}};
  w.layers["fc"].weight_scale_log2 = 0;
  w.layers["fc"].bias = {{2}, {0.25f, 4.0f}};
  w.layers["act"].activation_scale_log2 = 1;  // levels 0..3 stand for 0, 2, 4, 6
  w.layers["out"].weight = {{1, 2}, {1, 1}};
  w.layers["out"].weight_scale_log2 = 0;
  const IntegerModel model = export_integer_model(net, w);
  const IntegerOp& fc = model.ops()[1];
  // row 0: 1*[0,3] - 2*[0,3] + 1*[0,3] = [-6, 6]; row 1: [-9, 0].
  EXPECT_EQ(fc.min, -9);
  EXPECT_EQ(fc.max, 6);
  EXPECT_EQ(fc.bits, 5);
  const IntegerOp& act = model.ops()[2];
  ASSERT_EQ(act.kind, IntegerOpKind::requantize);
  // level >= k where acc + bias >= (k - 0.5) * 2: channel 0 acc >= 0.75, 2.75, 4.75 -> 1, 3, 5;
  // channel 1: acc >= -3, -1, 1.
  EXPECT_EQ(act.requant.thresholds, (std::vector<std::int64_t>{1, 3, 5, -3, -1, 1}));
  EXPECT_EQ(act.requant.sign, (std::vector<std::int8_t>{1, 1}));
  // Shift form: scale 2^0 into exponent 1: right shift 1, offsets floor((bias / 2 + 0.5) * 2).
  ASSERT_TRUE(act.requant.has_shift);
  EXPECT_EQ(act.requant.shift, 1);
  EXPECT_EQ(act.requant.offsets, (std::vector<std::int64_t>{1, 5}));
  // x = (3, 0, 1): acc 4, -4; levels 2 (4.25 / 2 = 2.1), 0 (0 / 2).
  const std::vector<std::int32_t> levels{3, 0, 1};
  const auto all = model.infer_all(levels);
  EXPECT_EQ(all[1], (std::vector<std::int64_t>{4, -4}));
  EXPECT_EQ(all[2], (std::vector<std::int64_t>{2, 0}));
  EXPECT_EQ(model.infer(levels), (std::vector<std::int64_t>{2}));
  // Without bias or batchnorm the output is the last accumulator itself.
  EXPECT_EQ(model.output().kind, IntegerOpKind::dense);
  EXPECT_EQ(model.output_scale_log2(), 1);
}

TEST(IntegerModel, PrunedWeightsStayZero) {
  const Network net("pruned", {input({4, 1, 1}, unsigned_bits(1, 0)), no_bias(dense("fc", 2, bits(1)))});
  Weights w;
  w.layers["fc"].weight = {{2, 4}, {0.5f, -0.5f, 0.1f, -0.2f, 0.3f, 0.3f, -0.3f, 0.3f}};
  w.layers["fc"].mask = {{2, 4}, {1, 0, 1, 0, 1, 1, 1, 1}};
  const IntegerModel model = export_integer_model(net, w);
  EXPECT_EQ(model.ops()[1].weights, (std::vector<std::int32_t>{1, 0, 1, 0, 1, 1, -1, 1}));
  EXPECT_EQ(model.ops()[1].max, 3);  // row 1: 1 + 1 + 0 + 1
  EXPECT_EQ(model.infer(std::vector<std::int32_t>{1, 1, 1, 1}), (std::vector<std::int64_t>{2, 2}));
}

TEST(IntegerModel, UnsupportedStructureNamesTheLayer) {
  const auto message = [](const Network& net, const Weights& w) -> std::string {
    try {
      export_integer_model(net, w);
    } catch (const InputError& error) {
      return error.what();
    }
    return "no error";
  };
  const Network float_input("f", {input({4, 1, 1}), dense("fc", 2, bits(4))});
  EXPECT_NE(message(float_input, random_weights(float_input, 1)).find("layer in:"), std::string::npos);
  const Network float_weights("f", {input({4, 1, 1}, unsigned_bits(8, -8)), dense("fc", 2)});
  EXPECT_NE(
      message(float_weights, random_weights(float_weights, 1)).find("layer fc: weights are not quantized"),
      std::string::npos);
  const Network unquantized_hidden("f", {input({4, 1, 1}, unsigned_bits(8, -8)), dense("fc1", 3, bits(4)),
                                         batchnorm("bn"), dense("fc2", 2, bits(4))});
  EXPECT_NE(
      message(unquantized_hidden, random_weights(unquantized_hidden, 1)).find("layer fc2: reads layer bn"),
      std::string::npos);
  const Network relu_out("f", {input({4, 1, 1}, unsigned_bits(8, -8)), dense("fc1", 3, bits(4)),
                               make_layer("r", LayerKind::relu)});
  EXPECT_NE(message(relu_out, random_weights(relu_out, 1)).find("layer r:"), std::string::npos);
}

TEST(IntegerModel, SavedFileLoadsToTheSameModel) {
  const Network net("cnn_file",
                    {input({1, 6, 6}, unsigned_bits(8)), no_bias(conv("conv1", 3, 3, 1, 1)), batchnorm("bn1"),
                     quant("act1", 2, false), maxpool("pool1", 2), dense("fc", 4, bits(3))});
  std::vector<Layer> layers = net.layers();
  layers[1].weight_quant = bits(4);
  const Network quantized("cnn_file", layers);
  const Weights weights =
      testing::calibrated_weights(quantized, testing::random_inputs(quantized, 16, 1), 9, true);
  const IntegerModel model = export_integer_model(quantized, weights);
  codse::testing::TempDir dir;
  const std::string path = (dir / "model.json").string();
  model.save(path);
  const IntegerModel loaded = IntegerModel::load(path);
  ASSERT_EQ(loaded.ops().size(), model.ops().size());
  for (const auto& x : testing::random_inputs(quantized, 50, 4)) {
    const auto levels = model.quantize_input(x);
    ASSERT_EQ(loaded.quantize_input(x), levels);
    ASSERT_EQ(loaded.infer_all(levels), model.infer_all(levels));
  }
  // A second save writes the same bytes.
  loaded.save((dir / "again.json").string());
  const auto read = [](const std::string& p) {
    std::ifstream in(p);
    return std::string{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  };
  EXPECT_EQ(read(path), read((dir / "again.json").string()));
}

TEST(IntegerModel, TruncatedOrInconsistentFilesNameTheFileAndField) {
  const Network net("mlp_file", {input({8, 1, 1}, unsigned_bits(4)), no_bias(dense("fc1", 6, bits(2))),
                                 batchnorm("bn1"), quant("act1", 2, false), dense("fc2", 3, bits(2))});
  const Weights weights = testing::calibrated_weights(net, testing::random_inputs(net, 16, 1), 9, false);
  codse::testing::TempDir dir;
  const std::string path = (dir / "model.json").string();
  export_integer_model(net, weights).save(path);
  std::ifstream in(path);
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const auto error_of = [&](const std::string& content) -> std::string {
    const std::string bad = (dir / "bad.json").string();
    std::ofstream(bad, std::ios::trunc) << content;
    try {
      IntegerModel::load(bad);
    } catch (const InputError& error) {
      return error.what();
    }
    return "no error";
  };
  const std::string truncated = error_of(text.substr(0, text.size() / 2));
  EXPECT_NE(truncated.find("integer model file " + (dir / "bad.json").string()), std::string::npos)
      << truncated;
  EXPECT_NE(truncated.find("not valid JSON"), std::string::npos) << truncated;

  nlohmann::json j = nlohmann::json::parse(text);
  nlohmann::json missing = j;
  missing["ops"][1].erase("weights");
  EXPECT_NE(error_of(missing.dump()).find("ops[1].weights: missing"), std::string::npos)
      << error_of(missing.dump());

  nlohmann::json short_weights = j;
  short_weights["ops"][1]["weights"].erase(0);
  EXPECT_NE(error_of(short_weights.dump()).find("op 1 (fc1, dense): weights has 47 values, expected 48"),
            std::string::npos)
      << error_of(short_weights.dump());

  nlohmann::json wrong_bits = j;
  wrong_bits["ops"][1]["bits"] = 3;
  EXPECT_NE(error_of(wrong_bits.dump()).find("op 1 (fc1, dense): bits"), std::string::npos)
      << error_of(wrong_bits.dump());

  nlohmann::json wrong_type = j;
  wrong_type["ops"][2]["requant"]["levels"] = "0123";
  EXPECT_NE(error_of(wrong_type.dump()).find("ops[2].requant.levels: has the wrong type"), std::string::npos)
      << error_of(wrong_type.dump());

  nlohmann::json unsorted = j;
  unsorted["ops"][2]["requant"]["thresholds"][0] = {5, 1, 2};
  EXPECT_NE(error_of(unsorted.dump()).find("thresholds of channel 0 must not decrease"), std::string::npos)
      << error_of(unsorted.dump());

  nlohmann::json forward_input = j;
  forward_input["ops"][1]["inputs"] = {3};
  EXPECT_NE(error_of(forward_input.dump()).find("op 1 (fc1, dense): inputs refers to op 3"),
            std::string::npos)
      << error_of(forward_input.dump());
}

TEST(IntegerModel, RejectsInputLevelsOutOfRangeOrSize) {
  const Network net("tiny", {input({2, 1, 1}, unsigned_bits(2, 0)), dense("fc", 1, bits(2))});
  Weights w;
  w.layers["fc"].weight = {{1, 2}, {1, 1}};
  const IntegerModel model = export_integer_model(net, w);
  EXPECT_THROW(model.infer(std::vector<std::int32_t>{1, 4}), InputError);
  EXPECT_THROW(model.infer(std::vector<std::int32_t>{1}), InputError);
  EXPECT_EQ(model.quantize_input(std::vector<float>{0.4f, 9.0f}), (std::vector<std::int32_t>{0, 3}));
}

TEST(IntegerModel, ExampleNetworksExportAndMatchFakeQuant) {
  for (const char* name : {"digits_mlp_w2a2", "digits_mlp_w4a4", "sfc_w1a1", "mnist_resmlp_w4a4"}) {
    const Network network =
        load_network(std::string(CODSE_SOURCE_DIR) + "/examples/networks/" + name + ".json");
    check_network(network, true, 30, 16);
  }
}

}  // namespace
}  // namespace codse::nn
