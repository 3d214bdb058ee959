// The trained model is the model the rest of codse sees: torch's fake-quantized forward pass
// equals the plain C++ reference forward pass, weights sit on the quantizer's levels, and pruning
// reaches each layer's target sparsity.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "nn/quant/quantizer.hpp"
#include "nn/quant/reference_forward.hpp"
#include "nn/train/pruning_schedule.hpp"
#include "nn/train/trainer.hpp"
#include "train_test_support.hpp"

namespace codse::nn {
namespace {

using testing::digits;
using testing::digits_mlp_w4a4;
using testing::network_from_layers;
using testing::quick_options;
using testing::samples;

/// Torch's logits against reference_forward(fake_quant) on the first `count` test inputs.
void expect_torch_equals_reference(const Network& network, const Weights& weights, std::size_t count = 8) {
  const auto& test = digits().test;
  const auto features = std::span<const float>(test.features()).first(count * test.sample_size());
  const auto logits = predict_logits(network, weights, features);
  const auto outputs = static_cast<std::size_t>(network.output_shape().size());
  ASSERT_EQ(logits.size(), count * outputs);
  const ReferenceForward reference(network, weights, Arithmetic::fake_quant);
  for (std::size_t i = 0; i < count; ++i) {
    const auto expected = reference.run(test.sample(i));
    for (std::size_t k = 0; k < outputs; ++k)
      EXPECT_NEAR(logits[i * outputs + k], expected[k], 1e-4) << "sample " << i << " output " << k;
  }
}

TEST(QuantizationAwareTraining, TorchForwardEqualsTheReferenceForward) {
  const auto& data = digits();
  const auto network = digits_mlp_w4a4();
  const auto result = train(network, samples(data.train), samples(data.validation), quick_options(2));
  expect_torch_equals_reference(network, result.weights);
}

TEST(QuantizationAwareTraining, ConvolutionsPoolingAndSkipsMatchTheReference) {
  const auto network = network_from_layers("digits_cnn_w4a4", R"(
    {"name": "in", "type": "input", "shape": [1, 8, 8], "bits": 5, "signed": false},
    {"name": "conv1", "type": "conv2d", "filters": 4, "kernel": 3, "padding": 1, "bias": false, "weight_bits": 4},
    {"name": "bn1", "type": "batchnorm"},
    {"name": "act1", "type": "quant", "bits": 4, "signed": false},
    {"name": "conv2", "type": "conv2d", "filters": 4, "kernel": 3, "padding": 1, "weight_bits": 3},
    {"name": "act2", "type": "quant", "bits": 4, "signed": false},
    {"name": "sum", "type": "add", "inputs": ["act2", "act1"]},
    {"name": "pool", "type": "maxpool2d", "kernel": 2},
    {"name": "flat", "type": "flatten"},
    {"name": "drop", "type": "dropout", "rate": 0.1},
    {"name": "fc", "type": "dense", "units": 10, "weight_bits": 4})");
  const auto& data = digits();
  const auto result = train(network, samples(data.train), samples(data.validation), quick_options(2));
  EXPECT_GT(result.validation_accuracy, 0.5);
  expect_torch_equals_reference(network, result.weights);
}

TEST(QuantizationAwareTraining, WeightsLieOnTheQuantizersLevels) {
  const auto& data = digits();
  const auto network = network_from_layers("digits_w2a2", R"(
    {"name": "in", "type": "input", "shape": [64], "bits": 5, "signed": false},
    {"name": "fc1", "type": "dense", "units": 16, "bias": false, "weight_bits": 2},
    {"name": "bn1", "type": "batchnorm"},
    {"name": "act1", "type": "quant", "bits": 2, "signed": false},
    {"name": "fc2", "type": "dense", "units": 10, "weight_bits": 2})");
  const auto result = train(network, samples(data.train), samples(data.validation), quick_options(3));
  for (const char* name : {"fc1", "fc2"}) {
    const auto& layer = network.layer(name);
    const auto& weights = result.weights.at(name);
    const int e = weight_scale_log2(layer, &weights);
    // The recorded scale is the one the quantizer fits to the final weights.
    EXPECT_EQ(e, choose_weight_scale_log2(masked_weights(weights), layer.weight_quant));
    // Signed 2 bits: levels -2..1, and training uses more than one of them.
    const auto levels = weight_levels(layer, weights, e);
    const std::set<int> distinct(levels.begin(), levels.end());
    EXPECT_GE(distinct.size(), 3u) << name;
    for (const int level : distinct) EXPECT_TRUE(level >= -2 && level <= 1) << name << " level " << level;
  }
  expect_torch_equals_reference(network, result.weights);
}

// Ternary weights at the fixed exponent 0 were all on level 0 from PyTorch's initialisation
// (|w| <= 1/8 here): the network computed a constant and stayed at 10% (chance).
TEST(QuantizationAwareTraining, TernaryWeightsUseAllThreeLevelsAndLearn) {
  const auto& data = digits();
  const auto network = network_from_layers("digits_ternary", R"(
    {"name": "in", "type": "input", "shape": [64], "bits": 5, "signed": false},
    {"name": "fc1", "type": "dense", "units": 32, "bias": false, "weight_bits": 2, "weight_ternary": true},
    {"name": "bn1", "type": "batchnorm"},
    {"name": "act1", "type": "quant", "bits": 2, "signed": false},
    {"name": "fc2", "type": "dense", "units": 10, "weight_bits": 2, "weight_ternary": true})");
  const auto result = train(network, samples(data.train), samples(data.validation), quick_options(4));
  EXPECT_GT(result.validation_accuracy, 0.8);
  for (const char* name : {"fc1", "fc2"}) {
    const auto& weights = result.weights.at(name);
    const int e = weight_scale_log2(network.layer(name), &weights);
    EXPECT_EQ(e, choose_weight_scale_log2(masked_weights(weights), network.layer(name).weight_quant));
    const auto levels = weight_levels(network.layer(name), weights, e);
    const auto zeros = std::count(levels.begin(), levels.end(), 0);
    EXPECT_EQ(std::set<int>(levels.begin(), levels.end()), (std::set<int>{-1, 0, 1})) << name;
    EXPECT_LT(static_cast<double>(zeros), 0.8 * static_cast<double>(levels.size())) << name;
  }
  expect_torch_equals_reference(network, result.weights);
}

// Signed 2-bit activations after batch norm (CNV w2a2's layers): calibrating the exponent to
// cover the largest activation (about 4 standard deviations) put nearly all of them on level 0;
// the fitted exponent keeps most of them off it.
TEST(QuantizationAwareTraining, TwoBitSignedActivationsAreFittedNotCoveredByTheirMaximum) {
  const auto& data = digits();
  const auto network = network_from_layers("digits_w2a2_signed", R"(
    {"name": "in", "type": "input", "shape": [64], "bits": 5, "signed": false},
    {"name": "fc1", "type": "dense", "units": 32, "bias": false, "weight_bits": 2, "weight_ternary": true},
    {"name": "bn1", "type": "batchnorm"},
    {"name": "act1", "type": "quant", "bits": 2, "signed": true},
    {"name": "fc2", "type": "dense", "units": 10, "weight_bits": 2, "weight_ternary": true})");
  const auto result = train(network, samples(data.train), samples(data.validation), quick_options(4));
  EXPECT_GT(result.validation_accuracy, 0.8);
  const ReferenceForward reference(network, result.weights, Arithmetic::fake_quant);
  const auto act1 = network.index_of("act1");
  std::size_t zeros = 0, values = 0;
  float largest_input = 0.0f;
  for (std::size_t i = 0; i < 100; ++i) {
    const auto outputs = reference.run_all(data.test.sample(i));
    for (const float v : outputs[act1]) zeros += v == 0.0f;
    for (const float v : outputs[act1 - 1]) largest_input = std::max(largest_input, std::fabs(v));
    values += outputs[act1].size();
  }
  // Measured: 18% of the levels are 0 (70% with the exponent that covers the calibrated maximum),
  // at e = 0 where covering these inputs' largest (5.0) takes e = 3.
  EXPECT_LT(static_cast<double>(zeros), 0.4 * static_cast<double>(values));
  EXPECT_LT(activation_scale_log2(network.layer("act1"), result.weights),
            choose_scale_log2(largest_input, network.layer("act1").activation_quant));
  expect_torch_equals_reference(network, result.weights);
}

TEST(QuantizationAwareTraining, BinaryNetworksKeepLatentWeightsInUnitRange) {
  const auto& data = digits();
  const auto network = network_from_layers("digits_w1a1", R"(
    {"name": "in", "type": "input", "shape": [64], "bits": 1, "signed": false, "scale_log2": 0},
    {"name": "fc1", "type": "dense", "units": 64, "bias": false, "weight_bits": 1},
    {"name": "bn1", "type": "batchnorm"},
    {"name": "act1", "type": "quant", "bits": 1, "signed": true},
    {"name": "fc2", "type": "dense", "units": 10, "bias": false, "weight_bits": 1},
    {"name": "bn2", "type": "batchnorm"})");
  auto options = quick_options(4);
  options.learning_rate = 0.02;
  const auto result = train(network, samples(data.train), samples(data.validation), options);
  EXPECT_GT(result.validation_accuracy, 0.7);
  for (const char* name : {"fc1", "fc2"}) {
    for (const float w : result.weights.at(name).weight.data) {
      EXPECT_LE(std::fabs(w), 1.0f);
    }
  }
  expect_torch_equals_reference(network, result.weights);
}

double zero_fraction(const Tensor& mask) {
  std::size_t zeros = 0;
  for (const float m : mask.data) zeros += m == 0.0f;
  return static_cast<double>(zeros) / static_cast<double>(mask.data.size());
}

TEST(Pruning, ReachesEachLayersTargetSparsity) {
  const auto network = network_from_layers("digits_pruned", R"(
    {"name": "in", "type": "input", "shape": [64], "bits": 5, "signed": false},
    {"name": "fc1", "type": "dense", "units": 32, "weight_bits": 4,
     "sparsity": {"target": 0.8, "kind": "unstructured"}},
    {"name": "act1", "type": "quant", "bits": 4, "signed": false},
    {"name": "fc2", "type": "dense", "units": 16, "weight_bits": 4, "sparsity": {"target": 0.25, "kind": "structured"}},
    {"name": "act2", "type": "quant", "bits": 4, "signed": false},
    {"name": "fc3", "type": "dense", "units": 10, "weight_bits": 4})");
  const auto& data = digits();
  std::vector<double> sparsity_per_epoch;
  const auto result = train(network, samples(data.train), samples(data.validation), quick_options(6), nullptr,
                            [&](const EpochMetrics& m) { sparsity_per_epoch.push_back(m.sparsity); });
  // Gradual: sparsity grows over the first half of training, then holds.
  ASSERT_EQ(sparsity_per_epoch.size(), 6u);
  EXPECT_GT(sparsity_per_epoch[0], 0.0);
  EXPECT_LT(sparsity_per_epoch[0], sparsity_per_epoch[2]);
  EXPECT_EQ(sparsity_per_epoch[3], sparsity_per_epoch[5]);

  const auto& fc1 = result.weights.at("fc1");
  EXPECT_EQ(zero_fraction(fc1.mask), std::floor(0.8 * 32 * 64) / (32 * 64));
  for (std::size_t i = 0; i < fc1.mask.data.size(); ++i) {
    if (fc1.mask.data[i] == 0.0f) {
      EXPECT_EQ(fc1.weight.data[i], 0.0f);
    }
  }

  // Structured: 4 of 16 units lose every weight and their bias.
  const auto& fc2 = result.weights.at("fc2");
  int pruned_units = 0;
  for (int unit = 0; unit < 16; ++unit) {
    int zeros = 0;
    for (int k = 0; k < 32; ++k) zeros += fc2.mask.data[static_cast<std::size_t>(unit * 32 + k)] == 0.0f;
    EXPECT_TRUE(zeros == 0 || zeros == 32) << "unit " << unit << " partly pruned";
    if (zeros == 32) {
      ++pruned_units;
      EXPECT_EQ(fc2.bias.data[static_cast<std::size_t>(unit)], 0.0f);
    }
  }
  EXPECT_EQ(pruned_units, 4);
  EXPECT_FALSE(result.weights.at("fc3").mask.data.size());
  EXPECT_GT(result.validation_accuracy, 0.85);
  expect_torch_equals_reference(network, result.weights);
}

TEST(Pruning, FollowsZhuAndGuptasCubicSchedule) {
  const PruningSchedule schedule(1000, 0.1, 0.5, 8);
  EXPECT_EQ(schedule.progress_at(0), 0.0);
  EXPECT_EQ(schedule.progress_at(100), 0.0);
  EXPECT_DOUBLE_EQ(schedule.progress_at(300), 1.0 - std::pow(0.5, 3));
  EXPECT_EQ(schedule.progress_at(500), 1.0);
  EXPECT_EQ(schedule.progress_at(900), 1.0);
  EXPECT_TRUE(schedule.updates_at(100));
  EXPECT_TRUE(schedule.updates_at(150));
  EXPECT_FALSE(schedule.updates_at(151));
  EXPECT_TRUE(schedule.updates_at(500));
  EXPECT_FALSE(schedule.updates_at(550));
  EXPECT_EQ(schedule.end_step(), 500);
  EXPECT_DOUBLE_EQ(scheduled_sparsity(0.2, 0.6, 0.5), 0.4);
}

TEST(Convergence, IsTheFirstEpochWithinHalfAPointOfTheBest) {
  std::vector<EpochMetrics> history;
  const double accuracies[] = {0.80, 0.95, 0.962, 0.966, 0.97, 0.968};
  for (int i = 0; i < 6; ++i) {
    EpochMetrics m;
    m.epoch = i + 1;
    m.validation_accuracy = accuracies[i];
    m.elapsed_seconds = 2.0 * (i + 1);
    history.push_back(m);
  }
  const auto convergence = time_to_convergence(history);
  EXPECT_EQ(convergence.epochs, 4);  // 0.966 >= 0.97 - 0.005
  EXPECT_EQ(convergence.seconds, 8.0);
  EXPECT_EQ(convergence.best_validation_accuracy, 0.97);
  EXPECT_EQ(time_to_convergence({}).epochs, 0);
}

}  // namespace
}  // namespace codse::nn
