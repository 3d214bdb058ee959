#include "core/pareto_front.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

namespace codse {
namespace {

using Indices = std::vector<std::size_t>;

Eigen::MatrixXd rows(std::initializer_list<std::initializer_list<double>> values) {
  Eigen::MatrixXd points(static_cast<Eigen::Index>(values.size()),
                         static_cast<Eigen::Index>(values.begin()->size()));
  Eigen::Index i = 0;
  for (const auto& row : values) {
    Eigen::Index j = 0;
    for (const double v : row) points(i, j++) = v;
    ++i;
  }
  return points;
}

// Brute force, written independently of the library: a point is on the front when no other point
// is <= in every objective and < in one.
bool brute_dominates(const Eigen::MatrixXd& p, Eigen::Index a, Eigen::Index b) {
  bool strict = false;
  for (Eigen::Index j = 0; j < p.cols(); ++j) {
    if (p(a, j) > p(b, j)) return false;
    strict = strict || p(a, j) < p(b, j);
  }
  return strict;
}

Indices brute_front(const Eigen::MatrixXd& p, const Indices& among) {
  Indices front;
  for (const std::size_t b : among) {
    const bool dominated = std::any_of(among.begin(), among.end(), [&](std::size_t a) {
      return brute_dominates(p, static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b));
    });
    if (!dominated) front.push_back(b);
  }
  return front;
}

// Peels fronts off one after another.
std::vector<Indices> brute_sort(const Eigen::MatrixXd& p) {
  Indices remaining(static_cast<std::size_t>(p.rows()));
  for (std::size_t i = 0; i < remaining.size(); ++i) remaining[i] = i;
  std::vector<Indices> fronts;
  while (!remaining.empty()) {
    Indices front = brute_front(p, remaining);
    Indices rest;
    std::set_difference(remaining.begin(), remaining.end(), front.begin(), front.end(),
                        std::back_inserter(rest));
    fronts.push_back(std::move(front));
    remaining = std::move(rest);
  }
  return fronts;
}

// Integer coordinates in [0, levels) force ties and duplicates; levels = 0 draws reals.
Eigen::MatrixXd random_points(std::mt19937& rng, Eigen::Index n, Eigen::Index m, int levels) {
  Eigen::MatrixXd points(n, m);
  std::uniform_int_distribution<int> level(0, std::max(levels - 1, 0));
  std::uniform_real_distribution<double> real(-1.0, 3.0);
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < m; ++j) points(i, j) = levels > 0 ? level(rng) : real(rng);
  }
  return points;
}

TEST(Dominates, NeedsNoWorseEverywhereAndBetterSomewhere) {
  const Eigen::RowVector3d a(1.0, 2.0, 3.0);
  EXPECT_TRUE(dominates(a, Eigen::RowVector3d(1.0, 2.0, 4.0)));
  EXPECT_TRUE(dominates(a, Eigen::RowVector3d(2.0, 3.0, 4.0)));
  EXPECT_FALSE(dominates(a, a));  // identical points do not dominate each other
  EXPECT_FALSE(dominates(a, Eigen::RowVector3d(0.0, 5.0, 5.0)));
  EXPECT_FALSE(dominates(Eigen::RowVector3d(1.0, 2.0, 4.0), a));
}

TEST(ParetoFront, TwoObjectivesKeepsDuplicatesAndDropsTies) {
  const Eigen::MatrixXd points = rows({
      {1, 5},  // 0: kept
      {1, 5},  // 1: identical to 0, kept too
      {1, 6},  // 2: same first objective as 0, worse second
      {2, 5},  // 3: same second objective as 0, worse first
      {2, 3},  // 4: kept
      {3, 3},  // 5: dominated by 4
      {4, 1},  // 6: kept
      {0, 9},  // 7: kept (best first objective)
      {4, 1},  // 8: identical to 6, kept
      {5, 1},  // 9: dominated by 6
  });
  EXPECT_EQ(pareto_front(points), (Indices{0, 1, 4, 6, 7, 8}));
}

TEST(ParetoFront, ThreeObjectivesHandCase) {
  const Eigen::MatrixXd points = rows({
      {1, 2, 3},  // 0: kept
      {2, 1, 3},  // 1: kept
      {1, 2, 4},  // 2: dominated by 0
      {3, 3, 1},  // 3: kept
      {1, 2, 3},  // 4: identical to 0, kept
      {3, 3, 3},  // 5: dominated by 0, 1 and 3
  });
  EXPECT_EQ(pareto_front(points), (Indices{0, 1, 3, 4}));
}

TEST(ParetoFront, EdgeShapes) {
  EXPECT_TRUE(pareto_front(Eigen::MatrixXd(0, 2)).empty());
  EXPECT_EQ(pareto_front(rows({{3}, {1}, {2}, {1}})), (Indices{1, 3}));
  EXPECT_EQ(pareto_front(rows({{7, 7}})), (Indices{0}));
}

TEST(ParetoFront, MatchesBruteForceOnRandomSets) {
  std::mt19937 rng(20240601);
  std::uniform_int_distribution<int> size(0, 60);
  for (const Eigen::Index m : {2, 3, 4, 5}) {
    for (const int levels : {0, 3, 6}) {
      for (int trial = 0; trial < 40; ++trial) {
        const Eigen::MatrixXd points = random_points(rng, size(rng), m, levels);
        Indices all(static_cast<std::size_t>(points.rows()));
        for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
        ASSERT_EQ(pareto_front(points), brute_front(points, all))
            << "m=" << m << " levels=" << levels << "\n" << points;
      }
    }
  }
}

TEST(NonDominatedSort, HandCase) {
  const Eigen::MatrixXd points = rows({
      {3, 3},  // 0: front 1 (dominated by 2)
      {1, 4},  // 1: front 0
      {2, 2},  // 2: front 0
      {4, 4},  // 3: front 2 (dominated by 0)
      {2, 2},  // 4: front 0 (identical to 2)
      {4, 1},  // 5: front 0
      {5, 5},  // 6: front 3
  });
  EXPECT_EQ(non_dominated_sort(points),
            (std::vector<Indices>{{1, 2, 4, 5}, {0}, {3}, {6}}));
}

TEST(NonDominatedSort, MatchesRepeatedBruteForceFronts) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> size(0, 50);
  for (const Eigen::Index m : {2, 3, 4}) {
    for (const int levels : {0, 3, 5}) {
      for (int trial = 0; trial < 30; ++trial) {
        const Eigen::MatrixXd points = random_points(rng, size(rng), m, levels);
        const auto fronts = non_dominated_sort(points);
        ASSERT_EQ(fronts, brute_sort(points)) << "m=" << m << "\n" << points;
        if (!fronts.empty()) {
          EXPECT_EQ(fronts.front(), pareto_front(points));
        }
      }
    }
  }
  EXPECT_TRUE(non_dominated_sort(Eigen::MatrixXd(0, 3)).empty());
}

TEST(CrowdingDistance, HandCaseWithIndicesIntoALargerSet) {
  // The front is rows 4, 1, 2, 0 (in that order); row 3 is not part of it.
  const Eigen::MatrixXd points = rows({{4, 0}, {1, 3}, {3, 2}, {9, 9}, {0, 6}});
  const auto distance = crowding_distance(points, {4, 1, 2, 0});
  ASSERT_EQ(distance.size(), 4U);
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(distance[0], inf);  // row 4: smallest first objective
  EXPECT_EQ(distance[3], inf);  // row 0: smallest second objective
  // Objective 1 has range 4 - 0 = 4, objective 2 has range 6 - 0 = 6.
  // Row 1 (1, 3): neighbours in objective 1 are 0 and 3 -> 3/4; in objective 2 are 2 and 6 -> 4/6.
  EXPECT_NEAR(distance[1], 3.0 / 4.0 + 4.0 / 6.0, 1e-12);
  // Row 2 (3, 2): neighbours in objective 1 are 1 and 4 -> 3/4; in objective 2 are 0 and 3 -> 3/6.
  EXPECT_NEAR(distance[2], 3.0 / 4.0 + 3.0 / 6.0, 1e-12);
}

TEST(CrowdingDistance, ZeroRangeContributesNothing) {
  const double inf = std::numeric_limits<double>::infinity();
  // Second objective constant: only the first one counts; (3 - 0) / 3 = 1 for the middle point.
  const Eigen::MatrixXd line = rows({{0, 1}, {1, 1}, {3, 1}});
  EXPECT_EQ(crowding_distance(line, {0, 1, 2}), (std::vector<double>{inf, 1.0, inf}));
  // Identical points: no objective has a range, so nobody is extreme.
  const Eigen::MatrixXd same = rows({{2, 2}, {2, 2}, {2, 2}});
  EXPECT_EQ(crowding_distance(same, {0, 1, 2}), (std::vector<double>{0.0, 0.0, 0.0}));
  EXPECT_TRUE(crowding_distance(same, {}).empty());
  // Two distinct points are both extreme.
  EXPECT_EQ(crowding_distance(rows({{0, 1}, {1, 0}}), {0, 1}), (std::vector<double>{inf, inf}));
}

TEST(SelectRows, CopiesTheListedRowsInOrder) {
  const Eigen::MatrixXd points = rows({{1, 2}, {3, 4}, {5, 6}});
  EXPECT_EQ(select_rows(points, {2, 0, 2}), rows({{5, 6}, {1, 2}, {5, 6}}));
  EXPECT_EQ(select_rows(points, {}).rows(), 0);
  EXPECT_EQ(select_rows(points, {}).cols(), 2);
}

}  // namespace
}  // namespace codse
