// The maximin initial design of ATNE and epsilon-PAL (search/maximin_design.hpp).

#include <set>

#include <gtest/gtest.h>

#include "search/maximin_design.hpp"

namespace codse {
namespace {

/// A 5 x 5 grid in [0, 1]^2, row r = 5 * i + j at (i / 4, j / 4).
Eigen::MatrixXd grid() {
  Eigen::MatrixXd features(25, 2);
  for (int i = 0; i < 5; ++i)
    for (int j = 0; j < 5; ++j) features.row(5 * i + j) << i / 4.0, j / 4.0;
  return features;
}

TEST(MaximinDesign, ReachesTheCornersFirst) {
  const auto picks = maximin_select(grid(), 4, 12);  // from the centre
  ASSERT_EQ(picks.size(), 4U);
  EXPECT_EQ(picks[0], 12U);
  // The next three are corners: each is half a diagonal from the centre, farther than any other
  // row from the picks so far.
  const std::set<std::size_t> corners{0, 4, 20, 24};
  for (std::size_t k = 1; k < 4; ++k) EXPECT_TRUE(corners.count(picks[k])) << "pick " << k << ": row " << picks[k];
  EXPECT_EQ(std::set<std::size_t>(picks.begin(), picks.end()).size(), 4U);
}

TEST(MaximinDesign, PicksDistinctRowsAndStopsWhenEveryRowIsCovered) {
  Eigen::MatrixXd features(6, 1);
  features << 0.0, 0.0, 1.0, 1.0, 0.5, 0.5;  // three distinct points, each twice
  const auto picks = maximin_select(features, 6, 2);
  EXPECT_EQ(picks, (std::vector<std::size_t>{2, 0, 4}));  // then every row coincides with a pick
  EXPECT_TRUE(maximin_select(features, 0, 0).empty());
  const auto all = maximin_select(grid(), 25, 7);
  EXPECT_EQ(std::set<std::size_t>(all.begin(), all.end()).size(), 25U);
}

}  // namespace
}  // namespace codse
