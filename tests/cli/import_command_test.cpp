// codse import as a user runs it: a QONNX model from PyTorch becomes files every other command
// reads (hw map, train --warm-start), and malformed or unsupported ONNX files are refused with
// exit 2 and one message naming the file and the node. The ONNX files are written at test time
// by tests/nn/onnx/make_onnx_fixtures.py (binary fixtures are not committed).

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/run_codse.hpp"
#include "nn/onnx/onnx_fixtures.hpp"
#include "nn/onnx/tiny_graph.hpp"
#include "support/temp_dir.hpp"

namespace codse {
namespace {

using testing::run_codse;
using testing::TempDir;

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

int count_lines_with(const std::string& text, const std::string& word) {
  int count = 0;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) count += line.find(word) != std::string::npos;
  return count;
}

// Issue 11: `codse eval` of an imported float model reports PyTorch's accuracy on the whole test
// set to 0.01 points (the logits agree to 1e-5; a different class would take a near tie).
struct EvalCase {
  const char* model;
  const char* dataset;
  const char* import_options;  // the preprocessing the model was trained behind
};

void PrintTo(const EvalCase& c, std::ostream* out) { *out << c.model; }

class ImportThenEval : public ::testing::TestWithParam<EvalCase> {};

TEST_P(ImportThenEval, ReportsPyTorchsAccuracy) {
  const auto fixtures = testing::onnx_fixtures("models");
  ASSERT_FALSE(fixtures.empty()) << "make_onnx_fixtures.py failed";
  const EvalCase& c = GetParam();
  TempDir dir;
  const auto imported = dir / "imported";
  const auto import = run_codse("import " + (fixtures / (std::string(c.model) + ".onnx")).string() + " --out " +
                                imported.string() + " " + c.import_options);
  ASSERT_EQ(import.exit_code, 0) << import.output;
  const auto eval = run_codse("eval --network " + (imported / "network.json").string() + " --weights " +
                              (imported / "weights.bin").string() + " --dataset " + c.dataset + " --data-dir " +
                              std::string(CODSE_SHARED_DATA_DIR) + "/" + c.dataset + " --json");
  ASSERT_EQ(eval.exit_code, 0) << eval.output;
  const auto result = nlohmann::json::parse(eval.output.substr(eval.output.find('{')));
  EXPECT_EQ(result["samples"].get<int>(), 10000);
  const double torch_accuracy = std::stod(read_text(fixtures / (std::string(c.model) + ".accuracy")));
  EXPECT_NEAR(100.0 * result["accuracy"].get<double>(), torch_accuracy, 0.01) << eval.output;
}

INSTANTIATE_TEST_SUITE_P(FloatModels, ImportThenEval,
                         ::testing::Values(EvalCase{"mlp", "mnist", ""}, EvalCase{"resmlp", "mnist", ""},
                                           EvalCase{"cnn", "fashion-mnist", "--input-mean 0.2860 --input-std 0.3530"}),
                         [](const ::testing::TestParamInfo<EvalCase>& param) { return std::string(param.param.model); });

TEST(ImportCommand, QonnxModelFeedsHwMapAndWarmStartTraining) {
  const auto fixtures = testing::onnx_fixtures("models");
  ASSERT_FALSE(fixtures.empty()) << "make_onnx_fixtures.py models failed";
  TempDir tmp;
  const auto out = tmp.path() / "imported";
  const auto imported = run_codse("import " + (fixtures / "qmlp_qonnx.onnx").string() + " --out " + out.string() +
                                  " --name qmlp --input-mean 0 --input-std 1");
  ASSERT_EQ(imported.exit_code, 0) << imported.output;
  for (const char* file : {"network.json", "weights.bin", "integer_model.json"})
    EXPECT_TRUE(std::filesystem::exists(out / file)) << file;
  const auto network = nlohmann::json::parse(read_text(out / "network.json"));
  EXPECT_EQ(network["name"], "qmlp");
  EXPECT_DOUBLE_EQ(network["preprocessing"]["scale"].get<double>(), 1.0 / 255.0);
  EXPECT_EQ(network["layers"][0]["bits"], 8);

  const auto mapped = run_codse("hw map --network " + (out / "network.json").string() +
                                " --device XC7Z020 --budget 50 --out " + (tmp.path() / "front.json").string());
  EXPECT_EQ(mapped.exit_code, 0) << mapped.output;

  // Warm start keeps the imported scales; the samples are preprocessed as the network records.
  const auto trained = run_codse("train --network " + (out / "network.json").string() + " --warm-start " +
                                 (out / "weights.bin").string() + " --dataset mnist --data-dir " +
                                 testing::onnx_mnist_dir().string() + " --epochs 1 --out " +
                                 (tmp.path() / "trained").string());
  ASSERT_EQ(trained.exit_code, 0) << trained.output;
  const auto metrics = nlohmann::json::parse(read_text(tmp.path() / "trained" / "metrics.json"));
  EXPECT_EQ(metrics["normalization"]["kind"], "network");
  EXPECT_GT(metrics["test_accuracy"].get<double>(), 0.8);
}

TEST(ImportCommand, QuantizedModelWithoutIntegerModelWritesNothing) {
  // 4-bit weights read by a float input: quantized, but no integer model (the input has no bits).
  testing::TinyGraph graph;
  graph.tensor("fc.weight", {2, 4}, std::vector<float>(8, 0.25F));
  graph.quant("fc.weight_quant", "fc.weight", "w", 0.125F, 4, true, false);
  graph.gemm("x", "w");
  TempDir tmp;
  graph.save(tmp.path() / "float_input.onnx");
  const auto result = run_codse("import " + (tmp.path() / "float_input.onnx").string() + " --out " +
                                (tmp.path() / "out").string());
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("float_input.onnx: the quantized model has no integer model: layer x: the input has no "
                               "activation bits"),
            std::string::npos)
      << result.output;
  EXPECT_FALSE(std::filesystem::exists(tmp.path() / "out"));
}

struct BadModel {
  const char* file;
  const char* names;     // the node (or the file's complaint) the message must name
  const char* expected;  // what the message says is wrong
};

class ImportBadModel : public ::testing::TestWithParam<BadModel> {};

TEST_P(ImportBadModel, ExitsTwoNamingFileAndNode) {
  const auto fixtures = testing::onnx_fixtures("bad");
  ASSERT_FALSE(fixtures.empty()) << "make_onnx_fixtures.py bad failed";
  TempDir tmp;
  const auto& bad = GetParam();
  const auto result =
      run_codse("import " + (fixtures / bad.file).string() + " --out " + (tmp.path() / "out").string());
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find(bad.file), std::string::npos) << result.output;
  EXPECT_NE(result.output.find(bad.names), std::string::npos) << result.output;
  EXPECT_NE(result.output.find(bad.expected), std::string::npos) << result.output;
  EXPECT_EQ(count_lines_with(result.output, "error"), 1) << result.output;
  EXPECT_FALSE(std::filesystem::exists(tmp.path() / "out" / "network.json"));
}

INSTANTIATE_TEST_SUITE_P(
    Onnx, ImportBadModel,
    ::testing::Values(BadModel{"truncated.onnx", "not a valid ONNX model", "truncated"},
                      BadModel{"unsupported_op.onnx", "node 'squash' (Sigmoid, opset 13)", "codse imports Gemm"},
                      BadModel{"conv_groups.onnx", "node 'conv_groups' (Conv, opset 13)", "groups"},
                      BadModel{"conv_dilation.onnx", "node 'conv_dilation' (Conv, opset 13)", "dilation"},
                      BadModel{"qcdq_scale_not_pow2.onnx", "node 'in_quant_q' (QuantizeLinear, opset 13)",
                               "is not a power of two"},
                      BadModel{"qonnx_bits_not_constant.onnx",
                               "node 'in_quant' (qonnx.custom_op.general.Quant, opset 13)",
                               "bit width 'bits' is not a constant"}),
    [](const ::testing::TestParamInfo<BadModel>& bad) {
      const std::string file = bad.param.file;
      return file.substr(0, file.find('.'));
    });

}  // namespace
}  // namespace codse
