// Dataset, splits, shuffles and normalisation on small in-memory data.

#include "nn/data/dataset.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>
#include <stdexcept>

#include "core/error.hpp"
#include "nn/data/dataset_normalization.hpp"
#include "nn/data/dataset_split.hpp"

namespace codse::nn {
namespace {

/// n samples of shape 2x1x3; sample i holds i*10 + k and has label i % classes.
Dataset counting_dataset(std::size_t n, int classes) {
  std::vector<float> features;
  std::vector<int> labels;
  for (std::size_t i = 0; i < n; ++i) {
    for (int k = 0; k < 6; ++k) features.push_back(static_cast<float>(i * 10 + static_cast<std::size_t>(k)));
    labels.push_back(static_cast<int>(i % static_cast<std::size_t>(classes)));
  }
  return Dataset(Shape{2, 1, 3}, classes, std::move(features), std::move(labels));
}

TEST(Dataset, SampleSpansAndSubsets) {
  const auto data = counting_dataset(5, 3);
  EXPECT_EQ(data.size(), 5u);
  EXPECT_EQ(data.sample_size(), 6);
  EXPECT_EQ(data.sample(2).size(), 6u);
  EXPECT_EQ(data.sample(2)[0], 20.0F);
  EXPECT_EQ(data.sample(4)[5], 45.0F);
  EXPECT_EQ(data.sample(2).data(), data.features().data() + 12);  // a view, not a copy
  EXPECT_EQ(data.label_histogram(), (std::vector<std::size_t>{2, 2, 1}));

  const std::vector<std::size_t> picks{4, 0, 4};
  const auto picked = data.subset(picks);
  EXPECT_EQ(picked.labels(), (std::vector<int>{1, 0, 1}));
  EXPECT_EQ(picked.sample(1)[3], 3.0F);
  EXPECT_EQ(picked.sample(2)[0], 40.0F);
  EXPECT_EQ(data.first(2).labels(), (std::vector<int>{0, 1}));
  EXPECT_EQ(data.first(99).size(), 5u);

  auto both = data.first(2);
  both.append(data.first(1));
  EXPECT_EQ(both.labels(), (std::vector<int>{0, 1, 0}));
}

TEST(Dataset, KeepRearrangesInPlaceLikeSubset) {
  const auto data = counting_dataset(50, 7);
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    auto order = shuffled_indices(50, seed);
    order.resize(seed == 1 ? 50 : 31);  // a full permutation, then a subset
    auto kept = data;
    kept.keep(order);
    const auto expected = data.subset(order);
    EXPECT_EQ(kept.features(), expected.features());
    EXPECT_EQ(kept.labels(), expected.labels());
  }
  auto twice = data;
  const std::vector<std::size_t> repeated{1, 1};
  EXPECT_THROW(twice.keep(repeated), std::invalid_argument);
}

TEST(Dataset, RejectsInconsistentData) {
  EXPECT_THROW(Dataset(Shape{2, 1, 1}, 2, {1, 2, 3}, {0, 1}), std::invalid_argument);
  EXPECT_THROW(Dataset(Shape{1, 1, 1}, 2, {1, 2}, {0, 2}), std::invalid_argument);
  EXPECT_THROW(Dataset(Shape{1, 1, 1}, 2, {1}, {0}, {"only one name"}), std::invalid_argument);
  auto data = counting_dataset(2, 2);
  EXPECT_THROW(data.append(counting_dataset(1, 3)), std::invalid_argument);
}

TEST(DatasetSplit, StratifiedKeepsEveryClassShare) {
  // 100 of class 0, 50 of class 1, 7 of class 2: 20% is 31.4 -> 31 = 20 + 10 + 1.
  std::vector<int> labels;
  labels.insert(labels.end(), 100, 0);
  labels.insert(labels.end(), 50, 1);
  labels.insert(labels.end(), 7, 2);
  const Dataset data(Shape{1, 1, 1}, 3, std::vector<float>(labels.size(), 0.0F), labels);
  const auto split = split_indices(data, 0.2, 42, SplitMode::stratified);
  ASSERT_EQ(split.held_out.size(), 31u);
  EXPECT_EQ(split.kept.size(), 126u);
  EXPECT_EQ(data.subset(split.held_out).label_histogram(), (std::vector<std::size_t>{20, 10, 1}));
  EXPECT_TRUE(std::is_sorted(split.kept.begin(), split.kept.end()));
  std::set<std::size_t> all(split.kept.begin(), split.kept.end());
  all.insert(split.held_out.begin(), split.held_out.end());
  EXPECT_EQ(all.size(), labels.size());
}

TEST(DatasetSplit, SeedDecidesTheSplitAndTheShuffle) {
  const auto data = counting_dataset(200, 4);
  for (auto mode : {SplitMode::stratified, SplitMode::random}) {
    const auto a = split_indices(data, 0.25, 7, mode);
    EXPECT_EQ(a.held_out.size(), 50u);
    EXPECT_EQ(a.held_out, split_indices(data, 0.25, 7, mode).held_out);
    EXPECT_NE(a.held_out, split_indices(data, 0.25, 8, mode).held_out);
  }
  EXPECT_TRUE(split_indices(data, 0.0, 1, SplitMode::stratified).held_out.empty());
  EXPECT_THROW(split_indices(data, 1.0, 1, SplitMode::random), std::invalid_argument);

  const auto order = shuffled_indices(1000, 3);
  EXPECT_EQ(order, shuffled_indices(1000, 3));
  EXPECT_NE(order, shuffled_indices(1000, 4));
  auto sorted = order;
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::size_t> identity(1000);
  std::iota(identity.begin(), identity.end(), std::size_t{0});
  EXPECT_EQ(sorted, identity);
  EXPECT_NE(order, identity);
  // std::mt19937_64 is specified exactly, so these draws are the same on every platform.
  EXPECT_EQ(shuffled_indices(5, 0), shuffled_indices(5, 0));
}

TEST(DatasetNormalization, ScaleUsesTheFormatsLargestValue) {
  Dataset pixels(Shape{1, 1, 2}, 2, {0, 255, 51, 102}, {0, 1}, {}, 255.0F);
  const auto normalization = ChannelNormalization::fit(pixels, Normalization::scale);
  normalization.apply(pixels);
  EXPECT_FLOAT_EQ(pixels.sample(0)[1], 1.0F);
  EXPECT_FLOAT_EQ(pixels.sample(1)[0], 0.2F);

  Dataset table(Shape{2, 1, 1}, 2, {0, -8, 16, 4}, {0, 1});  // no format maximum: largest |x| of train
  ChannelNormalization::fit(table, Normalization::scale).apply(table);
  EXPECT_EQ(table.features(), (std::vector<float>{0, -0.5F, 1, 0.25F}));
}

TEST(DatasetNormalization, StandardizePerChannelWithTrainStatistics) {
  // Channel 0 holds 1, 3 (mean 2, sd 1); channel 1 is constant 5 (scale stays 1).
  Dataset train(Shape{2, 1, 1}, 2, {1, 5, 3, 5}, {0, 1});
  Dataset test(Shape{2, 1, 1}, 2, {4, 7}, {1});
  const auto normalization = ChannelNormalization::fit(train, Normalization::standardize);
  EXPECT_EQ(normalization.offset, (std::vector<float>{2, 5}));
  EXPECT_EQ(normalization.scale, (std::vector<float>{1, 1}));
  normalization.apply(train);
  normalization.apply(test);
  EXPECT_EQ(train.features(), (std::vector<float>{-1, 0, 1, 0}));
  EXPECT_EQ(test.features(), (std::vector<float>{2, 2}));
  Dataset other(Shape{1, 1, 1}, 1, {1}, {0});
  EXPECT_THROW(normalization.apply(other), std::invalid_argument);
}

TEST(DatasetNormalization, NamesRoundTrip) {
  for (auto kind : {Normalization::none, Normalization::scale, Normalization::standardize})
    EXPECT_EQ(normalization_from_string(to_string(kind)), kind);
  EXPECT_FALSE(normalization_from_string("minmax"));
}

}  // namespace
}  // namespace codse::nn

namespace codse::nn {
namespace {

// A network's recorded preprocessing as the dataset normalisation: x' = (x * scale - mean) / std.
TEST(ChannelNormalization, OfPreprocessingMapsPixelsAsTheModelExpects) {
  Dataset pixels({2, 1, 2}, 2, {0.0F, 255.0F, 51.0F, 102.0F}, {0});
  InputPreprocessing preprocessing;
  preprocessing.mean = {0.5, 0.25};
  preprocessing.std = {0.5, 0.25};
  const auto normalization = ChannelNormalization::of(preprocessing, 2);
  EXPECT_EQ(normalization.kind, Normalization::network);
  normalization.apply(pixels);
  EXPECT_NEAR(pixels.sample(0)[0], (0.0 / 255 - 0.5) / 0.5, 1e-6);
  EXPECT_NEAR(pixels.sample(0)[1], (255.0 / 255 - 0.5) / 0.5, 1e-6);
  EXPECT_NEAR(pixels.sample(0)[2], (51.0 / 255 - 0.25) / 0.25, 1e-6);
  EXPECT_NEAR(pixels.sample(0)[3], (102.0 / 255 - 0.25) / 0.25, 1e-6);
  EXPECT_THROW(ChannelNormalization::of(preprocessing, 3), InputError);
}

}  // namespace
}  // namespace codse::nn
