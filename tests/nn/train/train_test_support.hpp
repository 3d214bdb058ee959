#pragma once
// Shared pieces of the training tests: the sklearn digits (1,797 8x8 images, small enough to train
// on in well under a second) split once, and networks written as JSON as a user would.

#include <string>

#include "nn/data/dataset_loader.hpp"
#include "nn/ir/network_io.hpp"
#include "nn/train/trainer.hpp"

namespace codse::nn::testing {

inline const std::string digits_csv = std::string(CODSE_SHARED_DATA_DIR) + "/sklearn-digits/digits.csv.gz";

/// Train / validation / test of the digits (seed 0), features scaled to [0, 1].
inline const DatasetSplits& digits() {
  static const DatasetSplits splits = load_dataset("csv:" + digits_csv, DatasetOptions{});
  return splits;
}

inline LabeledSamples samples(const Dataset& data) { return {data.features(), data.labels()}; }

/// A network from the "layers" part of a network file.
inline Network network_from_layers(const std::string& name, const std::string& layers_json) {
  return parse_network_json(R"({"name": ")" + name + R"(", "layers": [)" + layers_json + "]}", name + ".json");
}

/// 64-16-10 with 4-bit weights and activations, as examples/networks/digits_mlp_w4a4.json but
/// smaller.
inline Network digits_mlp_w4a4(const std::string& extra_fc1 = "") {
  return network_from_layers("digits_64_16_10_w4a4", R"(
    {"name": "in", "type": "input", "shape": [64], "bits": 5, "signed": false},
    {"name": "fc1", "type": "dense", "units": 16, "bias": false, "weight_bits": 4)" + extra_fc1 + R"(},
    {"name": "bn1", "type": "batchnorm"},
    {"name": "act1", "type": "quant", "bits": 4, "signed": false},
    {"name": "fc2", "type": "dense", "units": 10, "weight_bits": 4})");
}

inline TrainOptions quick_options(int epochs = 3) {
  TrainOptions options;
  options.epochs = epochs;
  options.batch_size = 32;
  options.learning_rate = 1e-2;
  options.seed = 7;
  return options;
}

}  // namespace codse::nn::testing
