// `codse eval` on the sklearn digits: the accuracies `codse train` reported for the same weights,
// split and normalisation, and bad input.

#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/run_codse.hpp"
#include "support/temp_dir.hpp"

namespace codse {
namespace {

using ::testing::HasSubstr;
using testing::run_codse;
using testing::TempDir;

const std::string digits = std::string(CODSE_SHARED_DATA_DIR) + "/sklearn-digits/digits.csv.gz";
const std::string digits_network = std::string(CODSE_SOURCE_DIR) + "/examples/networks/digits_mlp_w4a4.json";

nlohmann::json read_json(const std::filesystem::path& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

/// The JSON codse eval printed (the whole output is the object).
nlohmann::json eval_json(const std::string& args) {
  const auto result = run_codse("eval " + args + " --json");
  EXPECT_EQ(result.exit_code, 0) << result.output;
  return nlohmann::json::parse(result.output.substr(result.output.find('{')));
}

TEST(EvalCommand, ReportsTheAccuraciesTrainReportedForTheSameWeights) {
  TempDir dir;
  const auto run = dir / "run";
  const auto train = run_codse("train --network " + digits_network + " --dataset csv:" + digits +
                               " --epochs 3 --lr 0.01 --batch 32 --seed 5 --out " + run.string());
  ASSERT_EQ(train.exit_code, 0) << train.output;
  const auto metrics = read_json(run / "metrics.json");

  const auto eval = eval_json("--network " + digits_network + " --weights " + (run / "weights.bin").string() +
                              " --dataset csv:" + digits + " --seed 5");
  EXPECT_EQ(eval.at("samples").get<int>(), metrics.at("samples").at("test").get<int>());
  EXPECT_EQ(eval.at("arithmetic"), "fake_quant");
  // The integer model is the same model on the same samples: the same accuracy exactly. The
  // reference forward computes in C++ what train's torch model computes: at most one sample of
  // the test split may round differently.
  EXPECT_DOUBLE_EQ(eval.at("integer_model").at("accuracy").get<double>(),
                   metrics.at("integer_model").at("test_accuracy").get<double>());
  EXPECT_NEAR(eval.at("accuracy").get<double>(), metrics.at("test_accuracy").get<double>(),
              1.0 / eval.at("samples").get<double>() + 1e-12);
  EXPECT_GT(eval.at("accuracy").get<double>(), 0.8);

  // Text output, and another split of the same data.
  const auto text = run_codse("eval --network " + digits_network + " --weights " + (run / "weights.bin").string() +
                              " --dataset csv:" + digits + " --seed 5 --split validation --limit 50");
  ASSERT_EQ(text.exit_code, 0) << text.output;
  EXPECT_THAT(text.output, HasSubstr("validation split, 50 samples"));
  EXPECT_THAT(text.output, HasSubstr("fake-quantized reference forward"));
}

TEST(EvalCommand, BadInputNamesTheFileOrOption) {
  TempDir dir;
  auto result = run_codse("eval --network " + digits_network + " --weights " + (dir / "none.bin").string() +
                          " --dataset csv:" + digits);
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_THAT(result.output, HasSubstr("--weights"));

  const auto mnist_network = std::string(CODSE_SOURCE_DIR) + "/examples/networks/mnist_mlp_w4a4.json";
  const auto train = run_codse("train --network " + digits_network + " --dataset csv:" + digits +
                               " --epochs 1 --out " + dir.path().string());
  ASSERT_EQ(train.exit_code, 0) << train.output;
  result = run_codse("eval --network " + mnist_network + " --weights " + (dir / "weights.bin").string() +
                     " --dataset csv:" + digits);
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_THAT(result.output, HasSubstr("samples have 64 values but network mnist_mlp_w4a4 takes 784"));

  result = run_codse("eval --network " + digits_network + " --weights " + (dir / "weights.bin").string() +
                     " --dataset csv:" + digits + " --split everything");
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_THAT(result.output, HasSubstr("--split everything: expected test, validation or train"));
}

}  // namespace
}  // namespace codse
