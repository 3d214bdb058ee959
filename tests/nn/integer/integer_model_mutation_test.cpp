// Property test of the integer model reader (issue 17): mutated models exported from example
// networks either load into a model that runs (and is matched against its network) or are refused
// with an InputError. See support/parser_mutation.hpp.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "nn/integer/integer_export.hpp"
#include "nn/integer/integer_model.hpp"
#include "nn/ir/network_io.hpp"
#include "nn/quant/random_weights.hpp"
#include "support/parser_mutation.hpp"
#include "support/temp_dir.hpp"

namespace codse::nn {
namespace {

namespace fs = std::filesystem;
using codse::testing::check_mutants;
using codse::testing::mutation_count;

std::vector<std::pair<std::string, std::string>> small_networks() {
  return {
      {"mlp_w2a2", R"({"name": "in", "type": "input", "shape": [12], "bits": 8, "signed": false},
                      {"name": "fc1", "type": "dense", "units": 6, "bias": false, "weight_bits": 2},
                      {"name": "bn1", "type": "batchnorm"},
                      {"name": "act1", "type": "quant", "bits": 2, "signed": false},
                      {"name": "fc2", "type": "dense", "units": 3, "weight_bits": 2})"},
      {"resmlp_w4a4", R"({"name": "in", "type": "input", "shape": [8], "bits": 8, "signed": false},
                         {"name": "fc1", "type": "dense", "units": 6, "bias": false, "weight_bits": 4},
                         {"name": "bn1", "type": "batchnorm"},
                         {"name": "act1", "type": "quant", "bits": 4, "signed": false},
                         {"name": "fc2", "type": "dense", "units": 6, "bias": false, "weight_bits": 4},
                         {"name": "bn2", "type": "batchnorm"},
                         {"name": "act2", "type": "quant", "bits": 4, "signed": false},
                         {"name": "res", "type": "add", "inputs": ["act2", "act1"]},
                         {"name": "fc3", "type": "dense", "units": 3, "weight_bits": 4})"},
      {"cnn_w4a4", R"({"name": "in", "type": "input", "shape": [1, 6, 6], "bits": 8, "signed": false},
                      {"name": "conv1", "type": "conv2d", "filters": 2, "kernel": 3, "padding": 1, "bias": false, "weight_bits": 4},
                      {"name": "bn1", "type": "batchnorm"},
                      {"name": "act1", "type": "quant", "bits": 4, "signed": false},
                      {"name": "pool1", "type": "maxpool2d", "kernel": 2},
                      {"name": "flat", "type": "flatten"},
                      {"name": "fc1", "type": "dense", "units": 3, "weight_bits": 4})"},
      {"mlp_w1a1", R"({"name": "in", "type": "input", "shape": [16], "bits": 1, "signed": false, "scale_log2": 0},
                      {"name": "fc0", "type": "dense", "units": 8, "bias": false, "weight_bits": 1},
                      {"name": "bn0", "type": "batchnorm"},
                      {"name": "act0", "type": "quant", "bits": 1, "signed": true},
                      {"name": "fc1", "type": "dense", "units": 4, "bias": false, "weight_bits": 1},
                      {"name": "bn1", "type": "batchnorm"})"},
  };
}

TEST(IntegerModelMutation, IsLoadedAndRunOrRefusedWithAMessage) {
  const codse::testing::TempDir dir;
  const int count = mutation_count(1000);
  std::uint64_t seed = 4001;
  codse::testing::MutationTally all;
  // Small networks with every op the model has: dense, conv2d, maxpool, batchnorm folded into
  // thresholds or shifts, a skip add, binary weights and activations (small, so a mutant is parsed
  // in microseconds and thousands run in CI).
  for (const auto& [name, layers] : small_networks()) {
    const Network network = parse_network_json(R"({"name": ")" + name + R"(", "layers": [)" + layers + "]}", name);
    const fs::path valid = dir / (name + ".json");
    export_integer_model(network, random_weights(network, seed)).save(valid.string());
    const std::string text = codse::testing::read_text_file(valid);
    const std::vector<std::int32_t> zeros(static_cast<std::size_t>(network.input_shape().size()), 0);
    const fs::path mutant_file = dir / "mutant.json";
    all += check_mutants(name + " integer model", text, seed++, count, [&](const std::string& mutant) {
      std::ofstream(mutant_file, std::ios::trunc) << mutant;
      const IntegerModel model = IntegerModel::load(mutant_file.string());
      // A model that still matches its network runs on a zero image; one that does not is what
      // hw rtl refuses (issue 17, defect 3).
      if (!integer_model_difference(network, model)) model.infer(zeros);
    });
  }
  codse::testing::print_tally("integer model", all);
  EXPECT_GT(all.refused, all.total() / 2);
}

}  // namespace
}  // namespace codse::nn
