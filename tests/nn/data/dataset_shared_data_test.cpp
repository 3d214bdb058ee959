// The loaders on the real datasets in ../shared/data: counts, label histograms, known pixel sums
// (computed independently with Python's gzip module from the same files), splits and seeds.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <numeric>
#include <optional>
#include <string>
#include <utility>

#include "core/error.hpp"

#include "nn/data/cifar_reader.hpp"
#include "nn/data/dataset_loader.hpp"
#include "nn/data/idx_reader.hpp"

namespace codse::nn {
namespace {

const std::filesystem::path shared_data(CODSE_SHARED_DATA_DIR);

double sum(std::span<const float> values) { return std::accumulate(values.begin(), values.end(), 0.0); }

std::vector<std::size_t> add(std::vector<std::size_t> a, const std::vector<std::size_t>& b) {
  for (std::size_t i = 0; i < a.size(); ++i) a[i] += b[i];
  return a;
}

DatasetOptions options_for(const std::string& folder) {
  DatasetOptions options;
  options.data_dir = shared_data / folder;
  return options;
}

TEST(SharedData, MnistCountsHistogramsAndSplit) {
  auto options = options_for("mnist");
  options.normalization = Normalization::none;
  const auto start = std::chrono::steady_clock::now();
  const auto splits = load_dataset("mnist", options);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "[ info ] load_dataset(mnist) from gzip: " << seconds << " s\n";

  EXPECT_EQ(splits.train.size(), 54'000u);
  EXPECT_EQ(splits.validation.size(), 6'000u);
  EXPECT_EQ(splits.test.size(), 10'000u);
  EXPECT_EQ(splits.train.sample_shape(), (Shape{1, 28, 28}));
  EXPECT_EQ(splits.train.num_classes(), 10);
  EXPECT_EQ(add(splits.train.label_histogram(), splits.validation.label_histogram()),
            (std::vector<std::size_t>{5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}));
  EXPECT_EQ(splits.test.label_histogram(),
            (std::vector<std::size_t>{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}));
  // Stratified: every class gives 10% of its samples, rounded down or up.
  const auto held = splits.validation.label_histogram();
  EXPECT_EQ(held[1], 674u);  // 674.2
  EXPECT_EQ(held[5], 542u);  // 542.1
  // The test set keeps file order: its first image is a 7 with pixel sum 18454.
  EXPECT_EQ(splits.test.label(0), 7);
  EXPECT_EQ(sum(splits.test.sample(0)), 18454.0);
  EXPECT_EQ(sum(splits.test.sample(9999)), 41833.0);
  EXPECT_EQ(sum(splits.test.features()), 264923200.0);
}

TEST(SharedData, MnistFirstTrainingImageAndLimits) {
  const auto files =
      read_idx_directory(shared_data / "mnist", "MNIST", std::vector<std::string>(10, "d"), {100, 10});
  ASSERT_EQ(files.train.size(), 100u);
  EXPECT_EQ(files.test.size(), 10u);
  EXPECT_EQ(files.train.label(0), 5);
  EXPECT_EQ(sum(files.train.sample(0)), 27525.0);
}

TEST(SharedData, FashionMnistIsBalanced) {
  // Counts from the headers and the full label files; images only as far as the test needs (the
  // 26 MB of gzip take over a second to inflate here).
  const auto dir = shared_data / "fashion-mnist";
  const auto labels = read_idx(dir / "train-labels-idx1-ubyte.gz", 1);
  ASSERT_EQ(labels.items_in_file, 60'000);
  std::vector<std::size_t> histogram(10, 0);
  for (auto label : labels.data) ++histogram.at(label);
  EXPECT_EQ(histogram, std::vector<std::size_t>(10, 6000));
  const auto images = read_idx(dir / "t10k-images-idx3-ubyte.gz", 3, 1);
  EXPECT_EQ(images.items_in_file, 10'000);
  EXPECT_EQ(images.dims, (std::vector<std::int64_t>{1, 28, 28}));

  auto options = options_for("fashion-mnist");
  options.limits = {6000, 1000};
  const auto splits = load_dataset("fashion-mnist", options);
  EXPECT_EQ(splits.train.size(), 5400u);
  EXPECT_EQ(splits.validation.size(), 600u);
  EXPECT_EQ(splits.test.class_names().at(9), "Ankle boot");
  EXPECT_EQ(splits.test.label(0), 9);
  // Scaled to [0, 1]: the first test image's pixels sum to 33456 / 255.
  EXPECT_NEAR(sum(splits.test.sample(0)), 33456.0 / 255.0, 1e-3);
  const auto [low, high] =
      std::minmax_element(splits.train.features().begin(), splits.train.features().end());
  EXPECT_EQ(*low, 0.0F);
  EXPECT_FLOAT_EQ(*high, 1.0F);
}

// scripts/setup.sh installs Debian's dataset-fashion-mnist; where it is installed, the loader reads
// its re-wrapped gzip files (other gzip headers than upstream's, same pixels).
TEST(SystemData, DebianFashionMnistPackageWhenInstalled) {
  const std::filesystem::path debian("/usr/share/datasets/fashion-mnist");
  if (!std::filesystem::exists(debian / "t10k-images-idx3-ubyte.gz"))
    GTEST_SKIP() << "dataset-fashion-mnist not installed";
  const auto files = read_idx_directory(debian, "Fashion-MNIST", std::vector<std::string>(10, "c"), {1, 1});
  EXPECT_EQ(files.train.label(0), 9);
  EXPECT_EQ(sum(files.train.sample(0)), 76247.0);
  EXPECT_EQ(sum(files.test.sample(0)), 33456.0);
}

TEST(SharedData, CifarSubset) {
  auto options = options_for("cifar10-jpeg-subset");
  options.normalization = Normalization::none;
  options.shuffle = false;
  options.validation_fraction = 0.0;
  const auto splits = load_dataset("cifar10", options);
  EXPECT_EQ(splits.train.size(), 3000u);
  EXPECT_TRUE(splits.validation.empty());
  EXPECT_EQ(splits.test.size(), 1000u);
  EXPECT_EQ(splits.train.sample_shape(), (Shape{3, 32, 32}));
  EXPECT_EQ(splits.train.label_histogram(), std::vector<std::size_t>(10, 300));
  EXPECT_EQ(splits.test.label_histogram(), std::vector<std::size_t>(10, 100));
  EXPECT_EQ(splits.train.class_names().at(1), "automobile");
  EXPECT_EQ(splits.train.label(0), 1);
  EXPECT_EQ(sum(splits.train.sample(0)), 246438.0);
  EXPECT_EQ(sum(splits.train.sample(0).subspan(0, 1024)), 111863.0);  // the red plane comes first
  EXPECT_EQ(splits.test.label(0), 9);
  EXPECT_EQ(sum(splits.test.sample(0)), 312588.0);
  EXPECT_EQ(sum(splits.train.features()), 1109301180.0);
}

TEST(SharedData, CifarStandardizedWithTrainStatistics) {
  auto options = options_for("cifar10-jpeg-subset");
  options.normalization = Normalization::standardize;
  const auto splits = load_dataset("cifar10", options);
  EXPECT_EQ(splits.train.size(), 2700u);
  EXPECT_EQ(splits.validation.size(), 300u);
  ASSERT_EQ(splits.normalization.offset.size(), 3u);
  for (int c = 0; c < 3; ++c) {
    double mean = 0, squares = 0;
    std::size_t count = 0;
    for (std::size_t i = 0; i < splits.train.size(); ++i)
      for (float x : splits.train.sample(i).subspan(static_cast<std::size_t>(c) * 1024, 1024)) {
        mean += x;
        squares += double{x} * x;
        ++count;
      }
    mean /= static_cast<double>(count);
    EXPECT_NEAR(mean, 0.0, 1e-4) << "channel " << c;
    EXPECT_NEAR(std::sqrt(squares / static_cast<double>(count) - mean * mean), 1.0, 1e-4) << "channel " << c;
    EXPECT_GT(splits.normalization.offset[static_cast<std::size_t>(c)], 100.0F);  // the mean pixel is ~120
  }
}

TEST(SharedData, DigitsCsvWithSeededStratifiedTestSplit) {
  DatasetOptions options;
  options.normalization = Normalization::none;
  const std::string spec = "csv:" + (shared_data / "sklearn-digits" / "digits.csv.gz").string();
  const auto splits = load_dataset(spec, options);
  EXPECT_EQ(splits.test.size(), 359u);        // round(0.2 * 1797)
  EXPECT_EQ(splits.validation.size(), 144u);  // round(0.1 * 1438)
  EXPECT_EQ(splits.train.size(), 1294u);
  EXPECT_EQ(splits.train.sample_shape(), (Shape{64, 1, 1}));
  EXPECT_EQ(add(add(splits.train.label_histogram(), splits.validation.label_histogram()),
                splits.test.label_histogram()),
            (std::vector<std::size_t>{178, 182, 177, 183, 181, 182, 181, 179, 174, 180}));
  EXPECT_EQ(sum(splits.train.features()) + sum(splits.validation.features()) + sum(splits.test.features()),
            561718.0);

  options.csv.sample_shape = Shape{1, 8, 8};
  options.normalization = Normalization::scale;  // the largest pixel of the digits is 16
  options.split_mode = SplitMode::random;
  options.shuffle = false;
  options.test_fraction = 0.0;
  options.validation_fraction = 0.0;
  const auto whole = load_dataset(spec, options);
  EXPECT_EQ(whole.train.size(), 1797u);
  EXPECT_EQ(whole.train.sample_shape(), (Shape{1, 8, 8}));
  EXPECT_EQ(whole.train.label(0), 0);
  EXPECT_FLOAT_EQ(static_cast<float>(sum(whole.train.sample(0))), 294.0F / 16.0F);
}

TEST(SharedData, ShufflesAreDeterministicForASeed) {
  auto options = options_for("mnist");
  options.limits = {3000, 100};
  options.seed = 11;
  const auto a = load_dataset("mnist", options);
  const auto b = load_dataset("mnist", options);
  options.seed = 12;
  const auto c = load_dataset("mnist", options);
  EXPECT_EQ(a.train.size(), 2700u);
  EXPECT_EQ(a.test.size(), 100u);
  EXPECT_EQ(a.train.labels(), b.train.labels());
  EXPECT_EQ(a.train.features(), b.train.features());
  EXPECT_EQ(a.validation.labels(), b.validation.labels());
  EXPECT_NE(a.train.labels(), c.train.labels());
  EXPECT_NE(a.validation.features(), c.validation.features());
  EXPECT_EQ(a.test.features(), c.test.features());  // the test set is never shuffled

  // Without shuffling and validation, train is the files' prefix in file order.
  options.shuffle = false;
  options.validation_fraction = 0.0;
  const auto ordered = load_dataset("mnist", options);
  const auto files =
      read_idx_directory(shared_data / "mnist", "MNIST", std::vector<std::string>(10, "d"), {3000, 1});
  EXPECT_EQ(ordered.train.labels(), files.train.labels());
  EXPECT_NE(ordered.train.labels(), a.train.labels());
}

TEST(SharedData, DefaultDataDirsFollowTheEnvironment) {
  const char* saved_data = std::getenv("CODSE_DATA_DIR");
  const char* saved_home = std::getenv("HOME");
  const std::optional<std::string> data_dir =
      saved_data ? std::optional<std::string>(saved_data) : std::nullopt;
  const std::optional<std::string> home = saved_home ? std::optional<std::string>(saved_home) : std::nullopt;
  setenv("CODSE_DATA_DIR", shared_data.c_str(), 1);
  const auto dirs = default_data_dirs("fashion-mnist");
  ASSERT_GE(dirs.size(), 2u);
  EXPECT_EQ(dirs.front(), shared_data / "fashion-mnist");
  EXPECT_EQ(dirs.back(), "/usr/share/datasets/fashion-mnist");
  DatasetOptions options;
  options.limits = {10, 10};
  EXPECT_EQ(load_dataset("mnist", options).test.size(), 10u);  // found through CODSE_DATA_DIR
  setenv("CODSE_DATA_DIR", "/nonexistent-codse-data", 1);
  unsetenv("HOME");
  try {
    load_dataset("mnist", options);
    ADD_FAILURE() << "no InputError";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("/nonexistent-codse-data/mnist"), std::string::npos)
        << error.what();
    EXPECT_NE(std::string(error.what()).find("scripts/setup.sh"), std::string::npos) << error.what();
  }
  for (const auto& [name, value] : {std::pair{"CODSE_DATA_DIR", data_dir}, std::pair{"HOME", home}}) {
    if (value)
      setenv(name, value->c_str(), 1);
    else
      unsetenv(name);
  }
}

}  // namespace
}  // namespace codse::nn
