#include "nn/train/training_defaults.hpp"

#include <gtest/gtest.h>

namespace codse::nn {
namespace {

TEST(TrainingDefaults, FollowTheTrainingSetSize) {
  const auto mnist = training_defaults(54000);  // the old fixed default, kept where it worked
  EXPECT_EQ(mnist.batch_size, 128);
  EXPECT_EQ(mnist.epochs, 10);
  const auto digits = training_defaults(1294);  // 41 batches of 32 per epoch, 30 epochs
  EXPECT_EQ(digits.batch_size, 32);
  EXPECT_EQ(digits.epochs, 30);
  const auto tiny = training_defaults(29);  // the smallest batch, the most epochs
  EXPECT_EQ(tiny.batch_size, 16);
  EXPECT_EQ(tiny.epochs, 50);
  const auto cifar_subset = training_defaults(4500);  // 40 batches of 64 would need 2,560
  EXPECT_EQ(cifar_subset.batch_size, 64);
  EXPECT_EQ(cifar_subset.epochs, 17);
}

TEST(TrainingDefaults, NearChanceIsBelowOneAndAHalfTimesChance) {
  EXPECT_TRUE(near_chance(0.12, 10));
  EXPECT_FALSE(near_chance(0.56, 10));
  EXPECT_TRUE(near_chance(0.70, 2));
  EXPECT_FALSE(near_chance(0.80, 2));
}

}  // namespace
}  // namespace codse::nn
