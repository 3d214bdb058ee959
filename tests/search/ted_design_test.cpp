// Transductive experimental design picks.

#include <algorithm>
#include <set>

#include <gtest/gtest.h>

#include "search/ted_design.hpp"

namespace codse {
namespace {

TEST(TedSelect, PicksDistinctRowsThatCoverTheClusters) {
  // Three tight clusters of 30 points on a line: three picks must take one from each.
  Eigen::MatrixXd x(90, 1);
  for (int i = 0; i < 90; ++i) x(i, 0) = (i / 30) * 1.0 + (i % 30) * 0.001;
  const auto picks = ted_select(x, 3, TedOptions{}, 1);
  ASSERT_EQ(picks.size(), 3u);
  std::set<std::size_t> clusters;
  for (std::size_t p : picks) clusters.insert(p / 30);
  EXPECT_EQ(clusters.size(), 3u);
}

TEST(TedSelect, ReturnsAtMostThePoolAndIsDeterministic) {
  Eigen::MatrixXd x = Eigen::MatrixXd::Random(40, 3);
  const auto all = ted_select(x, 100, TedOptions{}, 2);
  EXPECT_EQ(std::set<std::size_t>(all.begin(), all.end()).size(), 40u);
  TedOptions subset;
  subset.subset_limit = 25;  // a seeded subset of 25 rows
  const auto a = ted_select(x, 10, subset, 7), b = ted_select(x, 10, subset, 7);
  EXPECT_EQ(a, b);
  EXPECT_EQ(std::set<std::size_t>(a.begin(), a.end()).size(), 10u);
  EXPECT_EQ(ted_select(x, 30, subset, 7).size(), 25u);
}

}  // namespace
}  // namespace codse
