// `codse train` without --batch and --epochs on a small dataset (issue 16: the fixed defaults gave
// 56% on the digits with no word of warning), `--dataset digits`, and the warning near chance.

#include <gtest/gtest.h>

#include <string>

#include "cli/run_codse.hpp"
#include "support/temp_dir.hpp"

namespace codse {
namespace {

using testing::run_codse;
using testing::TempDir;

const std::string digits_dir = std::string(CODSE_SHARED_DATA_DIR) + "/sklearn-digits";
const std::string network = std::string(CODSE_SOURCE_DIR) + "/examples/networks/digits_mlp_w4a4.json";

double test_accuracy(const std::string& output) {
  const auto at = output.find("test accuracy: ");
  return at == std::string::npos ? -1.0 : std::stod(output.substr(at + 15));
}

TEST(TrainDefaults, DigitsByNameTrainWellWithTheDefaults) {
  TempDir dir;
  const auto result = run_codse("train --network " + network + " --dataset digits --data-dir " + digits_dir +
                                " --out " + (dir / "run").string() + " --jobs 1");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("batch 32 (for the training-set size), 30 epochs (for the training-set size)"),
            std::string::npos)
      << result.output;
  // 56% with the old fixed batch 128 and 10 epochs; measured 94-96% with these.
  EXPECT_GT(test_accuracy(result.output), 90.0) << result.output;
  EXPECT_EQ(result.output.find("near chance"), std::string::npos);
}

TEST(TrainDefaults, AnAccuracyNearChanceIsSaidWithWhatToChange) {
  TempDir dir;
  const auto result = run_codse("train --network " + network + " --dataset digits --data-dir " + digits_dir +
                                " --out " + (dir / "run").string() + " --lr 1e-7 --epochs 1 --jobs 1");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_LT(test_accuracy(result.output), 15.0) << result.output;
  EXPECT_NE(result.output.find("is near chance (10.0% for 10 classes)"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("try another --lr (now 1e-07)"), std::string::npos) << result.output;
}

TEST(TrainDefaults, MissingDatasetsSayWhereToGetThem) {
  TempDir dir;
  const auto cifar = run_codse("train --network " + network + " --dataset cifar10 --out " + (dir / "run").string(),
                               "env CODSE_DATA_DIR=" + dir.path().string() + " HOME=" + dir.path().string());
  EXPECT_EQ(cifar.exit_code, 2);
  EXPECT_NE(cifar.output.find("scripts/setup.sh does not download CIFAR-10"), std::string::npos) << cifar.output;
  EXPECT_NE(cifar.output.find("cifar-10-binary.tar.gz"), std::string::npos) << cifar.output;
  const auto digits = run_codse("train --network " + network + " --dataset digits --data-dir " + dir.path().string() +
                                " --out " + (dir / "run").string());
  EXPECT_EQ(digits.exit_code, 2);
  EXPECT_NE(digits.output.find("no digits.csv or digits.csv.gz in"), std::string::npos) << digits.output;
}

}  // namespace
}  // namespace codse
