#include "core/hypervolume.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <stdexcept>
#include <vector>

namespace codse {
namespace {

// Brute force, exact: the distinct coordinates of the points (and the reference) cut the box below
// the reference into a grid; a grid cell is dominated exactly when its lower corner is dominated
// by some point. Only usable for small sets (the grid has about n^d cells).
double grid_hypervolume(const Eigen::MatrixXd& points, const Eigen::RowVectorXd& reference) {
  const Eigen::Index d = reference.size();
  std::vector<Eigen::Index> inside;
  for (Eigen::Index i = 0; i < points.rows(); ++i) {
    if ((points.row(i).array() < reference.array()).all()) inside.push_back(i);
  }
  if (inside.empty()) return 0.0;
  std::vector<std::vector<double>> cuts(static_cast<std::size_t>(d));
  for (Eigen::Index j = 0; j < d; ++j) {
    auto& c = cuts[static_cast<std::size_t>(j)];
    for (const Eigen::Index i : inside) c.push_back(points(i, j));
    c.push_back(reference[j]);
    std::sort(c.begin(), c.end());
    c.erase(std::unique(c.begin(), c.end()), c.end());
  }
  std::vector<std::size_t> cell(static_cast<std::size_t>(d), 0);  // odometer over the grid
  double volume = 0.0;
  while (true) {
    bool dominated = false;
    for (const Eigen::Index i : inside) {
      bool below = true;
      for (Eigen::Index j = 0; j < d && below; ++j) {
        below = points(i, j) <= cuts[static_cast<std::size_t>(j)][cell[static_cast<std::size_t>(j)]];
      }
      if (below) {
        dominated = true;
        break;
      }
    }
    if (dominated) {
      double cell_volume = 1.0;
      for (std::size_t j = 0; j < cell.size(); ++j) cell_volume *= cuts[j][cell[j] + 1] - cuts[j][cell[j]];
      volume += cell_volume;
    }
    std::size_t j = 0;
    while (j < cell.size() && ++cell[j] + 1 == cuts[j].size()) cell[j++] = 0;
    if (j == cell.size()) break;
  }
  return volume;
}

// Integer coordinates in [0, levels] force ties and duplicates; levels = 0 draws reals. Some points
// land on or beyond the reference (which is at 1.0 * levels, or 1.0 for reals).
Eigen::MatrixXd random_points(std::mt19937& rng, Eigen::Index n, Eigen::Index d, int levels) {
  Eigen::MatrixXd points(n, d);
  std::uniform_int_distribution<int> level(0, levels + 1);
  std::uniform_real_distribution<double> real(0.0, 1.1);
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < d; ++j) points(i, j) = levels > 0 ? level(rng) : real(rng);
  }
  return points;
}

TEST(Hypervolume, TwoObjectiveStaircase) {
  Eigen::MatrixXd points(4, 2);
  points << 1, 3,  //
      2, 2,        //
      3, 1,        //
      3, 3;        // dominated, adds nothing
  // Boxes up to (4, 4): strips of height 1 at y in [3,4], [2,3], [1,2] of widths 3, 2, 1.
  EXPECT_DOUBLE_EQ(hypervolume(points, Eigen::RowVector2d(4, 4)), 3.0 + 2.0 + 1.0);
}

TEST(Hypervolume, ThreeAndFourObjectiveHandCases) {
  Eigen::MatrixXd one(1, 3);
  one << 0, 0, 0;
  EXPECT_DOUBLE_EQ(hypervolume(one, Eigen::RowVector3d(1, 2, 3)), 6.0);

  // Two boxes of 2*2*1 = 4 and 1*1*2 = 2 that overlap in [1,2]^3 (volume 1): 4 + 2 - 1.
  Eigen::MatrixXd two(2, 3);
  two << 0, 0, 1,  //
      1, 1, 0;
  EXPECT_DOUBLE_EQ(hypervolume(two, Eigen::RowVector3d(2, 2, 2)), 5.0);

  // Four objectives: boxes of 2*2*1*1 = 4 each, overlapping in [1,2]^4 (volume 1): 4 + 4 - 1.
  Eigen::MatrixXd four(3, 4);
  four << 0, 0, 1, 1,  //
      1, 1, 0, 0,      //
      1, 1, 1, 1;      // inside both, adds nothing
  EXPECT_DOUBLE_EQ(hypervolume(four, Eigen::RowVector4d(2, 2, 2, 2)), 7.0);
}

TEST(Hypervolume, PointsNotStrictlyBetterThanTheReferenceCountForNothing) {
  Eigen::MatrixXd points(3, 3);
  points << 0, 0, 2,  // on the reference in the last objective
      5, 0, 0,        // beyond it
      1, 1, 1;        // box 1 * 1 * 1
  EXPECT_DOUBLE_EQ(hypervolume(points, Eigen::RowVector3d(2, 2, 2)), 1.0);
  EXPECT_DOUBLE_EQ(hypervolume(points.topRows(2), Eigen::RowVector3d(2, 2, 2)), 0.0);
  EXPECT_DOUBLE_EQ(hypervolume(Eigen::MatrixXd(0, 3), Eigen::RowVector3d(2, 2, 2)), 0.0);
}

TEST(Hypervolume, OneObjectiveIsTheBestDistanceToTheReference) {
  Eigen::MatrixXd points(3, 1);
  points << 4, 1.5, 3;
  EXPECT_DOUBLE_EQ(hypervolume(points, Eigen::RowVectorXd::Constant(1, 5.0)), 3.5);
}

TEST(Hypervolume, ReferenceOfTheWrongSizeThrows) {
  Eigen::MatrixXd points(1, 3);
  points << 0, 0, 0;
  EXPECT_THROW(hypervolume(points, Eigen::RowVector2d(1, 1)), std::invalid_argument);
}

TEST(Hypervolume, MatchesGridBruteForceOnRandomSets) {
  std::mt19937 rng(424242);
  struct Case {
    Eigen::Index d;
    Eigen::Index max_n;
    int trials;
  };
  for (const Case c : {Case{2, 40, 60}, Case{3, 25, 60}, Case{4, 12, 60}, Case{5, 7, 40}}) {
    std::uniform_int_distribution<Eigen::Index> size(0, c.max_n);
    for (const int levels : {0, 3, 6}) {
      const double bound = levels > 0 ? levels : 1.0;
      const Eigen::RowVectorXd reference = Eigen::RowVectorXd::Constant(c.d, bound);
      for (int trial = 0; trial < c.trials; ++trial) {
        const Eigen::MatrixXd points = random_points(rng, size(rng), c.d, levels);
        const double expected = grid_hypervolume(points, reference);
        ASSERT_NEAR(hypervolume(points, reference), expected, 1e-12 * std::max(1.0, expected))
            << "d=" << c.d << " levels=" << levels << "\n" << points;
      }
    }
  }
}

TEST(Hypervolume, DoesNotDependOnTheOrderOfObjectivesOrPoints) {
  // Larger sets than brute force allows: reordering objectives changes which one is sliced.
  std::mt19937 rng(99);
  for (const Eigen::Index d : {3, 4}) {
    for (int trial = 0; trial < 5; ++trial) {
      const Eigen::MatrixXd points = random_points(rng, 80, d, trial % 2 == 0 ? 0 : 20);
      const double bound = trial % 2 == 0 ? 1.0 : 20.0;
      const Eigen::RowVectorXd reference = Eigen::RowVectorXd::Constant(d, bound);
      const double volume = hypervolume(points, reference);
      EXPECT_GT(volume, 0.0);
      const Eigen::MatrixXd reversed_columns = points.rowwise().reverse();
      const Eigen::MatrixXd reversed_rows = points.colwise().reverse();
      EXPECT_NEAR(hypervolume(reversed_columns, reference), volume, 1e-12 * volume);
      EXPECT_NEAR(hypervolume(reversed_rows, reference), volume, 1e-12 * volume);
    }
  }
}

}  // namespace
}  // namespace codse
