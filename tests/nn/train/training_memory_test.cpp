// Issue 17, defect 15: training a network far too large for the machine is refused before any
// allocation, with the sizes in the message (it was a 40 GB libtorch allocation and a stack trace).

#include "nn/train/training_memory.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/error.hpp"
#include "nn/train/trainer.hpp"
#include "train_test_support.hpp"

namespace codse::nn {
namespace {

using testing::network_from_layers;

TEST(TrainingMemory, CountsParametersActivationsAndSamples) {
  const Network net = network_from_layers("mlp", R"(
    {"name": "in", "type": "input", "shape": [64]},
    {"name": "fc1", "type": "dense", "units": 16},
    {"name": "fc2", "type": "dense", "units": 10})");
  TrainOptions options;
  options.batch_size = 32;
  // params (64 * 16 + 16) + (16 * 10 + 10) = 1210; activations 64 + 16 + 10 = 90 per sample.
  const double expected = 4.0 * (6.0 * 1210 + 3.0 * 90 * 32 + 64.0 * 1000);
  EXPECT_EQ(training_memory_bytes(net, options, 1000), static_cast<std::uint64_t>(expected));
  // The batch never counts more samples than there are.
  EXPECT_EQ(training_memory_bytes(net, options, 10), static_cast<std::uint64_t>(4.0 * (6.0 * 1210 + 3.0 * 90 * 10 + 640)));
}

TEST(TrainingMemory, TrainRefusesANetworkLargerThanTheMachineBeforeAllocating) {
  // 2^20 x 2^20 weights: 1.1e12 parameters, 26 TB to train.
  const Network huge = network_from_layers("huge", R"(
    {"name": "in", "type": "input", "shape": [64]},
    {"name": "fc1", "type": "dense", "units": 1048576},
    {"name": "fc2", "type": "dense", "units": 1048576},
    {"name": "fc3", "type": "dense", "units": 10})");
  std::vector<float> features(2 * 64, 0.5f);
  std::vector<int> labels{0, 1};
  const LabeledSamples samples{features, labels};
  try {
    train(huge, samples, samples, TrainOptions{});
    FAIL() << "no InputError";
  } catch (const InputError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("training network huge needs at least 26."), std::string::npos) << message;
    EXPECT_NE(message.find("TB of memory"), std::string::npos) << message;
    EXPECT_NE(message.find("but this process may use"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace codse::nn
