// load_explore_dataset on the real datasets in ../shared/data: the config's data_dir, sample
// limits, fractions and seed reach the loader, and a missing dataset says how to get it.
#include "explore/explore_dataset.hpp"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "explore/explore_test_support.hpp"
#include "support/temp_dir.hpp"

namespace codse::explore {
namespace {

using ::testing::HasSubstr;

const std::string digits_spec = "csv:" + std::string(CODSE_SHARED_DATA_DIR) + "/sklearn-digits/digits.csv.gz";

/// The tests' digits config with its dataset block replaced by `dataset` (YAML lines, indented).
ExploreConfig config_with_dataset(const testing::TempDir& dir, const std::string& dataset) {
  auto text = testing::digits_config(1);
  const auto from = text.find("  name: " + digits_spec);
  const auto to = text.find("networks:");
  text.replace(from, to - from, dataset);
  return parse_explore_config(text, dir / "tiny.yaml");
}

std::size_t total(const nn::DatasetSplits& data) {
  return data.train.size() + data.validation.size() + data.test.size();
}

TEST(ExploreDataset, MnistFromTheConfigsDataDirWithItsSampleLimits) {
  testing::TempDir dir;
  const auto config = config_with_dataset(dir, fmt::format("  name: mnist\n  data_dir: {}/mnist\n"
                                                           "  train_samples: 200\n  test_samples: 50\n"
                                                           "  validation_fraction: 0.1\n",
                                                           CODSE_SHARED_DATA_DIR));
  const auto data = load_explore_dataset(config);
  EXPECT_EQ(data.test.size(), 50u) << "the first 50 of t10k";
  EXPECT_EQ(data.train.size() + data.validation.size(), 200u) << "the first 200 of train";
  EXPECT_GE(data.validation.size(), 15u) << "10% per class of 200, rounded per class";
  EXPECT_LE(data.validation.size(), 25u);
  EXPECT_EQ(data.test.label(0), 7) << "the test set keeps file order";
  EXPECT_EQ(data.train.sample_shape(), (nn::Shape{1, 28, 28}));
}

TEST(ExploreDataset, DigitsTableSplitsWithTheConfigsFractionsAndTrainSamplesCutTheTable) {
  testing::TempDir dir;
  const auto all = load_explore_dataset(parse_explore_config(testing::digits_config(1), dir / "tiny.yaml"));
  EXPECT_EQ(total(all), 1797u) << "no limits: every row of the table";
  EXPECT_NEAR(static_cast<double>(all.test.size()), 0.25 * 1797, 10.0) << "test_fraction 0.25";
  EXPECT_NEAR(static_cast<double>(all.validation.size()), 0.15 * (1797 - all.test.size()), 10.0)
      << "validation_fraction 0.15 of the rest";

  const auto cut = load_explore_dataset(config_with_dataset(
      dir, "  name: " + digits_spec + "\n  train_samples: 400\n  test_fraction: 0.25\n"));
  EXPECT_EQ(total(cut), 400u) << "the table's first 400 rows, test held out from them";
  EXPECT_NEAR(static_cast<double>(cut.test.size()), 100.0, 10.0);
}

TEST(ExploreDataset, AMissingDatasetNamesTheConfigTheDirectoryAndHowToGetIt) {
  testing::TempDir dir;
  const auto empty = dir / "no-mnist-here";
  std::filesystem::create_directories(empty);
  const auto config = config_with_dataset(dir, "  name: mnist\n  data_dir: " + empty.string() + "\n");
  try {
    load_explore_dataset(config);
    FAIL() << "loaded MNIST from an empty directory";
  } catch (const InputError& error) {
    const std::string message = error.what();
    EXPECT_THAT(message, HasSubstr((dir / "tiny.yaml").string() + ": dataset mnist: "));
    EXPECT_THAT(message, HasSubstr(empty.string())) << "data_dir is where it looked";
    EXPECT_THAT(message, HasSubstr("./scripts/setup.sh"));
    EXPECT_THAT(message, HasSubstr("dataset.data_dir or CODSE_DATA_DIR"));
  }
}

}  // namespace
}  // namespace codse::explore
