// `codse train` as a user runs it: a tiny training on the sklearn digits (CSV), and one clear
// message with exit code 2 for each kind of bad input.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/run_codse.hpp"
#include "nn/train/blas_runtime.hpp"
#include "nn/ir/weights.hpp"
#include "support/temp_dir.hpp"

namespace codse {
namespace {

using testing::run_codse;
using testing::TempDir;

const std::string digits = std::string(CODSE_SHARED_DATA_DIR) + "/sklearn-digits/digits.csv.gz";
const std::string digits_network = std::string(CODSE_SOURCE_DIR) + "/examples/networks/digits_mlp_w4a4.json";

nlohmann::json read_json(const std::filesystem::path& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

TEST(TrainCommand, TrainsTheDigitsAndWritesWeightsAndMetrics) {
  TempDir dir;
  const auto out = dir / "run";
  const auto result = run_codse("train --network " + digits_network + " --dataset csv:" + digits +
                                " --epochs 6 --lr 0.01 --batch 32 --seed 3 --out " + out.string());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  // One progress line per epoch.
  EXPECT_NE(result.output.find("epoch   1/6"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("epoch   6/6"), std::string::npos) << result.output;

  const auto metrics = read_json(out / "metrics.json");
  EXPECT_GT(metrics["test_accuracy"].get<double>(), 0.85) << metrics.dump(2);
  EXPECT_LE(metrics["test_accuracy"].get<double>(), 1.0);
  EXPECT_EQ(metrics["epochs"].get<int>(), 6);
  EXPECT_GT(metrics["seconds"].get<double>(), 0.0);
  EXPECT_GT(metrics["train_cpu_seconds"].get<double>(), 0.0);
  // 64-32-10 without bias in fc1: 64*32 + batchnorm 2*32 + 32*10 + 10.
  EXPECT_EQ(metrics["params"].get<int>(), 64 * 32 + 2 * 32 + 32 * 10 + 10);
  EXPECT_EQ(metrics["macs"].get<int>(), 64 * 32 + 32 * 10);
  EXPECT_EQ(metrics["loss_curve"].size(), 6u);
  EXPECT_EQ(metrics["validation_accuracies"].size(), 6u);
  EXPECT_GE(metrics["convergence"]["epochs"].get<int>(), 1);

  const auto weights = nn::Weights::load((out / "weights.bin").string());
  EXPECT_TRUE(weights.contains("fc1"));
  EXPECT_TRUE(weights.at("act1").activation_scale_log2.has_value());

  // The integer model predicts what the fake-quantized model predicts.
  EXPECT_TRUE(std::filesystem::exists(out / "integer_model.json"));
  const auto& integer = metrics["integer_model"];
  EXPECT_EQ(integer["test_samples"].get<int>(), metrics["samples"]["test"].get<int>());
  EXPECT_GE(integer["agreement_with_fake_quant"].get<double>(), 0.99) << integer.dump(2);
  EXPECT_NEAR(integer["fake_quant_test_accuracy"].get<double>(), metrics["test_accuracy"].get<double>(), 1e-12);
  EXPECT_NEAR(integer["test_accuracy"].get<double>(), metrics["test_accuracy"].get<double>(), 0.01);
}

/// The kernels `codse train` reports ("OpenBLAS kernels: NAME"), or "" when it printed none.
std::string reported_blas_core(const std::string& output) {
  const std::string tag = "OpenBLAS kernels: ";
  const auto at = output.find(tag);
  if (at == std::string::npos) return "";
  const auto begin = at + tag.size();
  return output.substr(begin, output.find('\n', begin) - begin);
}

TEST(TrainCommand, RestartsWithTheBlasKernelsTheCpuSupports) {
  TempDir dir;
  const std::string args = "train --network " + digits_network + " --dataset csv:" + digits +
                           " --epochs 1 --seed 1 --out " + (dir / "run").string();
  const auto kept = run_codse(args, "env -u OPENBLAS_CORETYPE CODSE_KEEP_BLAS=1");
  ASSERT_EQ(kept.exit_code, 0) << kept.output;
  const std::string native = reported_blas_core(kept.output);
  if (native.empty()) GTEST_SKIP() << "the BLAS is not OpenBLAS";
  // Without CODSE_KEEP_BLAS, codse runs what this CPU supports when OpenBLAS fell back to pre-AVX
  // kernels, and OpenBLAS's own choice otherwise; it advises only when it kept slow kernels.
  const auto better = nn::better_blas_core(native, nn::CpuFeatures::of_this_cpu());
  const auto switched = run_codse(args, "env -u OPENBLAS_CORETYPE -u CODSE_KEEP_BLAS");
  ASSERT_EQ(switched.exit_code, 0) << switched.output;
  EXPECT_EQ(reported_blas_core(switched.output), better.value_or(native)) << switched.output;
  EXPECT_EQ(switched.output.find("export OPENBLAS_CORETYPE"), std::string::npos) << switched.output;
  if (better) {
    EXPECT_NE(kept.output.find("export OPENBLAS_CORETYPE=" + *better), std::string::npos) << kept.output;
  }
}

TEST(TrainCommand, AFloatNetworkGetsWeightsAndMetricsButNoIntegerModel) {
  TempDir dir;
  const auto network = dir.write("float.json", R"({"name": "float", "layers": [
    {"name": "in", "type": "input", "shape": [64]},
    {"name": "fc1", "type": "dense", "units": 16}, {"name": "relu1", "type": "relu"},
    {"name": "fc2", "type": "dense", "units": 10}]})");
  const auto out = dir / "run";
  const auto result = run_codse("train --network " + network.string() + " --dataset csv:" + digits +
                                " --epochs 3 --batch 32 --lr 0.01 --out " + out.string());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(std::filesystem::exists(out / "weights.bin"));
  EXPECT_FALSE(std::filesystem::exists(out / "integer_model.json"));
  const auto metrics = read_json(out / "metrics.json");
  EXPECT_TRUE(metrics["integer_model"].contains("error")) << metrics["integer_model"].dump();
  EXPECT_GT(metrics["test_accuracy"].get<double>(), 0.8);
}

std::string bytes_of(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Issue 17, defect 5: a diverged run (NaN loss) stops with a clear message and exit 1, writes
// nothing, and leaves the outputs of the earlier run in the same directory as they were.
TEST(TrainCommand, DivergedRunFailsClearlyAndWritesNothing) {
  TempDir dir;
  const auto out = dir / "run";
  const std::string args = "train --network " + digits_network + " --dataset csv:" + digits +
                           " --epochs 2 --batch 32 --out " + out.string();
  const auto good = run_codse(args + " --lr 0.01");
  ASSERT_EQ(good.exit_code, 0) << good.output;
  const auto weights = bytes_of(out / "weights.bin"), model = bytes_of(out / "integer_model.json"),
             metrics = bytes_of(out / "metrics.json");
  const auto diverged = run_codse(args + " --lr 1e30");
  EXPECT_EQ(diverged.exit_code, 1) << diverged.output;
  EXPECT_NE(diverged.output.find("training diverged: the loss is NaN"), std::string::npos) << diverged.output;
  EXPECT_EQ(diverged.output.find("monotone chain"), std::string::npos) << diverged.output;
  EXPECT_EQ(bytes_of(out / "weights.bin"), weights);
  EXPECT_EQ(bytes_of(out / "integer_model.json"), model);
  EXPECT_EQ(bytes_of(out / "metrics.json"), metrics);

  const auto fresh = dir / "fresh";
  const auto nothing = run_codse("train --network " + digits_network + " --dataset csv:" + digits +
                                 " --epochs 2 --batch 32 --lr 1e30 --out " + fresh.string());
  EXPECT_EQ(nothing.exit_code, 1) << nothing.output;
  EXPECT_FALSE(std::filesystem::exists(fresh / "weights.bin"));
}

// Issue 17, defect 5: outputs of one run are all from that run: a network without an integer
// model trained into the directory of one with removes the earlier integer model.
TEST(TrainCommand, NoStaleIntegerModelOfAnEarlierRun) {
  TempDir dir;
  const auto out = dir / "run";
  const auto first = run_codse("train --network " + digits_network + " --dataset csv:" + digits +
                               " --epochs 1 --batch 32 --lr 0.01 --out " + out.string());
  ASSERT_EQ(first.exit_code, 0) << first.output;
  ASSERT_TRUE(std::filesystem::exists(out / "integer_model.json"));
  const auto network = dir.write("float.json", R"({"name": "float", "layers": [
    {"name": "in", "type": "input", "shape": [64]},
    {"name": "fc1", "type": "dense", "units": 16}, {"name": "relu1", "type": "relu"},
    {"name": "fc2", "type": "dense", "units": 10}]})");
  const auto second = run_codse("train --network " + network.string() + " --dataset csv:" + digits +
                                " --epochs 1 --batch 32 --lr 0.01 --out " + out.string());
  ASSERT_EQ(second.exit_code, 0) << second.output;
  EXPECT_FALSE(std::filesystem::exists(out / "integer_model.json"));
}

struct BadInput {
  std::string args;
  std::string expected;  ///< part of the message that names the culprit
};
// What ctest shows for a case (gtest would print the struct's bytes).
void PrintTo(const BadInput& value, std::ostream* out) { *out << value.args; }

class TrainBadInput : public ::testing::TestWithParam<BadInput> {};

/// An IDX file of unsigned bytes: the magic number, big-endian dimensions, then `data`.
std::string idx_file(const std::vector<std::uint32_t>& dims, const std::string& data) {
  std::string bytes{'\0', '\0', '\x08', static_cast<char>(dims.size())};
  for (const auto d : dims)
    for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<char>((d >> shift) & 0xff));
  return bytes + data;
}

/// MNIST files in DIR/mnist_cut whose training images stop 3 bytes after a header that promises
/// 60,000 images; the other three files are whole (one test image, label files of one label).
void write_truncated_mnist(const testing::TempDir& dir) {
  std::filesystem::create_directories(dir / "mnist_cut");
  dir.write("mnist_cut/train-images-idx3-ubyte", idx_file({60000, 28, 28}, "abc"));
  dir.write("mnist_cut/t10k-images-idx3-ubyte", idx_file({1, 28, 28}, std::string(784, '\0')));
  dir.write("mnist_cut/train-labels-idx1-ubyte", idx_file({1}, std::string(1, '\0')));
  dir.write("mnist_cut/t10k-labels-idx1-ubyte", idx_file({1}, std::string(1, '\0')));
}

TEST_P(TrainBadInput, ExitsTwoWithAMessageNamingTheCulprit) {
  static const TempDir dir;
  dir.write("malformed.json", R"({"name": "m", "layers": [{"name": "in", "type": "input", "shape": [64]},)");
  dir.write("unknown.json", R"({"name": "u", "layers": [{"name": "in", "type": "input", "shape": [64]},
                                {"name": "x", "type": "lstm", "units": 10}]})");
  dir.write("mnist_sized.json", R"({"name": "mnist_sized", "layers": [{"name": "in", "type": "input",
                                    "shape": [1, 28, 28]}, {"name": "fc", "type": "dense", "units": 10}]})");
  dir.write("wide.json", R"({"name": "w", "layers": [{"name": "in", "type": "input", "shape": [64]},
                             {"name": "fc", "type": "dense", "units": 10, "weight_bits": 17}]})");
  dir.write("kernel.json", R"({"name": "k", "layers": [{"name": "in", "type": "input", "shape": [1, 8, 8]},
                               {"name": "conv1", "type": "conv2d", "filters": 2, "kernel": 9},
                               {"name": "fc", "type": "dense", "units": 10}]})");
  dir.write("add.json", R"({"name": "a", "layers": [{"name": "in", "type": "input", "shape": [64]},
                            {"name": "fc1", "type": "dense", "units": 16}, {"name": "fc2", "type": "dense", "units": 8},
                            {"name": "sum", "type": "add", "inputs": ["fc1", "fc2"]},
                            {"name": "fc", "type": "dense", "units": 10}]})");
  dir.write("act_bits.json", R"({"name": "q", "layers": [{"name": "in", "type": "input", "shape": [64]},
                                 {"name": "fc1", "type": "dense", "units": 16},
                                 {"name": "act", "type": "quant", "bits": 0, "signed": false},
                                 {"name": "fc", "type": "dense", "units": 10}]})");
  dir.write("input_bits.json", R"({"name": "q", "layers": [{"name": "in", "type": "input", "shape": [64], "bits": 20,
                                   "signed": false}, {"name": "fc", "type": "dense", "units": 10}]})");
  dir.write("negative_bits.json", R"({"name": "q", "layers": [{"name": "in", "type": "input", "shape": [64]},
                                      {"name": "fc", "type": "dense", "units": 10, "weight_bits": -1}]})");
  write_truncated_mnist(dir);
  dir.write("truncated.csv", "0,1,2,3\n4,5\n");
  dir.write("a_file", "not a directory");
  std::string args = std::regex_replace(GetParam().args, std::regex("DIGITS"), digits);
  args = std::regex_replace(args, std::regex("NET"), digits_network);
  args = std::regex_replace(args, std::regex("DIR"), dir.path().string());
  const auto result = run_codse(args);
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find(GetParam().expected), std::string::npos) << result.output;
  EXPECT_EQ(std::count(result.output.begin(), result.output.end(), '\n'), 1) << "one clear message";
}

INSTANTIATE_TEST_SUITE_P(
    Cases, TrainBadInput,
    ::testing::Values(
        BadInput{"train --network DIR/none.json --dataset csv:DIGITS --out DIR/o", "none.json"},
        BadInput{"train --network DIR/malformed.json --dataset csv:DIGITS --out DIR/o", "malformed.json"},
        BadInput{"train --network DIR/unknown.json --dataset csv:DIGITS --out DIR/o", "lstm"},
        BadInput{"train --network DIR/wide.json --dataset csv:DIGITS --out DIR/o", "17"},
        BadInput{"train --network DIR/mnist_sized.json --dataset csv:DIGITS --out DIR/o", "takes 1x28x28 (784)"},
        BadInput{"train --network DIR/kernel.json --dataset csv:DIGITS --out DIR/o",
                 "kernel.json: layer conv1: kernel 9 larger than input 8x8"},
        BadInput{"train --network DIR/add.json --dataset csv:DIGITS --out DIR/o",
                 "layer sum: add of different shapes 16x1x1 (fc1) and 8x1x1 (fc2)"},
        BadInput{"train --network DIR/act_bits.json --dataset csv:DIGITS --out DIR/o", "layer act: a quant layer needs bits 1..16"},
        BadInput{"train --network DIR/input_bits.json --dataset csv:DIGITS --out DIR/o", "activation bits 20 out of range"},
        BadInput{"train --network DIR/negative_bits.json --dataset csv:DIGITS --out DIR/o", "weight bits -1 out of range"},
        BadInput{"train --network NET --dataset mnist --data-dir DIR/mnist_cut --out DIR/o",
                 "train-images-idx3-ubyte: truncated IDX file: the header says 60000 items"},
        BadInput{"train --network NET --dataset imagenet --out DIR/o", "imagenet"},
        BadInput{"train --network NET --dataset csv:DIR/none.csv --out DIR/o", "none.csv"},
        BadInput{"train --network NET --dataset csv:DIR/truncated.csv --out DIR/o", "truncated.csv"},
        BadInput{"train --network NET --dataset mnist --data-dir DIR/nowhere --out DIR/o", "nowhere"},
        BadInput{"train --network NET --dataset csv:DIGITS --epochs -1 --out DIR/o", "--epochs: -1 is out of range"},
        BadInput{"train --network NET --dataset csv:DIGITS --batch 0 --out DIR/o", "--batch: 0 is out of range"},
        BadInput{"train --network NET --dataset csv:DIGITS --optimizer rmsprop --out DIR/o", "rmsprop"},
        BadInput{"train --network NET --dataset csv:DIGITS --schedule linear --out DIR/o", "linear"},
        BadInput{"train --network NET --dataset csv:DIGITS --warm-start DIR/none.bin --out DIR/o", "none.bin"},
        BadInput{"train --network NET --dataset csv:DIGITS --out DIR/a_file/o", "a_file"},
        BadInput{"train --network NET --dataset csv:DIGITS", "--out is required"}),
    // Named by position: gtest would otherwise print the parameter's bytes (heap addresses).
    [](const ::testing::TestParamInfo<BadInput>& param) { return "case" + std::to_string(param.index); });

}  // namespace
}  // namespace codse
