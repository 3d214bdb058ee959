// Regression trees, random forests and ensembles of forests.

#include <cmath>
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "learn/forest_ensemble.hpp"
#include "learn/forest_rng.hpp"
#include "learn/random_forest.hpp"
#include "learn/regression_tree.hpp"

namespace codse {
namespace {

double smooth(double a, double b) { return std::sin(3.0 * a) + b * b; }

/// n points uniform in [0, 1]^2 with the smooth function as target.
void smooth_data(std::size_t n, std::uint64_t seed, Eigen::MatrixXd& x, Eigen::VectorXd& y) {
  ForestRng rng(seed);
  x.resize(static_cast<Eigen::Index>(n), 2);
  y.resize(static_cast<Eigen::Index>(n));
  for (Eigen::Index r = 0; r < x.rows(); ++r) {
    x(r, 0) = rng.uniform();
    x(r, 1) = rng.uniform();
    y[r] = smooth(x(r, 0), x(r, 1));
  }
}

double rmse(const RandomForest& forest, const Eigen::MatrixXd& x, const Eigen::VectorXd& y) {
  return std::sqrt((forest.predict(x) - y).squaredNorm() / static_cast<double>(y.size()));
}

TEST(ForestRng, BoundedDrawsCoverTheRangeAndRepeatForASeed) {
  ForestRng a(7), b(7);
  std::vector<int> seen(5, 0);
  for (int k = 0; k < 1000; ++k) {
    const std::size_t v = a.below(5);
    ASSERT_LT(v, 5u);
    ++seen[v];
    EXPECT_EQ(v, b.below(5));
  }
  for (int count : seen) EXPECT_GT(count, 150);
}

TEST(BinnedFeatures, MapsRowsToSortedDistinctValues) {
  Eigen::MatrixXd x(4, 2);
  x << 8, 1, 2, 1, 8, 1, 4, 1;
  const BinnedFeatures binned(x);
  EXPECT_EQ(binned.values(0), (std::vector<double>{2, 4, 8}));
  EXPECT_EQ(binned.bin_count(1), 1u);
  EXPECT_EQ(binned.bin(0, 0), 2u);
  EXPECT_EQ(binned.bin(3, 0), 1u);
  EXPECT_EQ(binned.value(1, 0), 2.0);
  EXPECT_EQ(binned.max_bin_count(), 3u);
}

TEST(RegressionTree, FitsAStepFunctionExactly) {
  // y steps at x0 = 0.3 and x0 = 0.7; x1 is noise the tree must ignore.
  const int n = 40;
  Eigen::MatrixXd x(n, 2);
  Eigen::VectorXd y(n);
  for (int r = 0; r < n; ++r) {
    x(r, 0) = (r + 0.5) / n;
    x(r, 1) = (r * 7 % 11) / 11.0;
    y[r] = x(r, 0) < 0.3 ? 1.0 : (x(r, 0) < 0.7 ? 5.0 : -2.0);
  }
  const BinnedFeatures binned(x);
  const std::vector<std::uint32_t> counts(n, 1);
  ForestRng rng(1);
  RegressionTree tree;
  tree.fit(binned, std::span<const double>(y.data(), n), counts, TreeOptions{}, rng);
  EXPECT_EQ(tree.leaf_count(), 3u);
  EXPECT_EQ(tree.depth(), 2u);
  for (int r = 0; r < n; ++r) EXPECT_EQ(tree.predict(x, r), y[r]) << "row " << r;
  // Unseen points fall on the right side of the midpoints between training values.
  const std::vector<double> low{0.2, 0.9}, middle{0.5, 0.0}, high{0.99, 0.5};
  EXPECT_EQ(tree.predict(low), 1.0);
  EXPECT_EQ(tree.predict(middle), 5.0);
  EXPECT_EQ(tree.predict(high), -2.0);
}

TEST(RegressionTree, HonoursDepthAndLeafSize) {
  Eigen::MatrixXd x;
  Eigen::VectorXd y;
  smooth_data(200, 3, x, y);
  const BinnedFeatures binned(x);
  const std::vector<std::uint32_t> counts(200, 1);
  ForestRng rng(2);
  RegressionTree shallow;
  shallow.fit(binned, std::span<const double>(y.data(), 200), counts, TreeOptions{.max_depth = 3}, rng);
  EXPECT_EQ(shallow.depth(), 3u);
  EXPECT_EQ(shallow.leaf_count(), 8u);
  RegressionTree coarse;
  coarse.fit(binned, std::span<const double>(y.data(), 200), counts, TreeOptions{.min_leaf = 60}, rng);
  EXPECT_LE(coarse.leaf_count(), 3u);  // 200 rows hold at most three leaves of 60
  EXPECT_GE(coarse.leaf_count(), 2u);
}

TEST(RegressionTree, CountsActAsRepeatedRows) {
  // Row 2 counted 3 times must pull the leaf mean as three copies would.
  Eigen::MatrixXd x(3, 1);
  x << 0, 0, 0;
  const std::vector<double> y{1.0, 2.0, 6.0};
  const std::vector<std::uint32_t> counts{1, 0, 3};
  ForestRng rng(0);
  RegressionTree tree;
  tree.fit(BinnedFeatures(x), y, counts, TreeOptions{}, rng);
  EXPECT_DOUBLE_EQ(tree.predict(std::vector<double>{0.0}), (1.0 + 3 * 6.0) / 4.0);
}

TEST(RandomForest, ErrorOnASmoothFunctionFallsWithData) {
  Eigen::MatrixXd test_x;
  Eigen::VectorXd test_y;
  smooth_data(500, 99, test_x, test_y);
  ForestOptions options;
  options.trees = 50;
  options.tree.max_features = 1;
  std::vector<double> errors;
  for (std::size_t n : {25, 100, 400}) {
    Eigen::MatrixXd x;
    Eigen::VectorXd y;
    smooth_data(n, n, x, y);
    RandomForest forest;
    forest.fit(x, y, options, 5);
    errors.push_back(rmse(forest, test_x, test_y));
  }
  // The target spans about 2; the error must shrink clearly at each step.
  EXPECT_LT(errors[1], 0.8 * errors[0]);
  EXPECT_LT(errors[2], 0.8 * errors[1]);
  EXPECT_LT(errors[2], 0.06);
}

TEST(RandomForest, OutOfBagPredictionsExcludeInBagRows) {
  Eigen::MatrixXd x;
  Eigen::VectorXd y;
  smooth_data(60, 11, x, y);
  y[17] = 100.0;  // an outlier only the trees that saw it can predict
  ForestOptions options;
  options.trees = 40;
  RandomForest forest;
  forest.fit(x, y, options, 3);
  const Eigen::VectorXd& oob = forest.oob_predictions();
  for (Eigen::Index r = 0; r < x.rows(); ++r) {
    double sum = 0.0;
    int out = 0;
    for (std::size_t t = 0; t < forest.tree_count(); ++t) {
      if (forest.sample_count(t, static_cast<std::size_t>(r)) > 0) continue;
      sum += forest.tree(t).predict(x, r);
      ++out;
    }
    ASSERT_GT(out, 0) << "row " << r;
    ASSERT_LT(out, 40) << "row " << r;
    EXPECT_NEAR(oob[r], sum / out, 1e-12) << "row " << r;
  }
  EXPECT_LT(oob[17], 10.0);                   // no out-of-bag tree saw the outlier
  EXPECT_GT(forest.predict(x, 17), 30.0);     // the in-bag trees (about 63%) reproduce it
}

TEST(RandomForest, IsDeterministicForASeed) {
  Eigen::MatrixXd x;
  Eigen::VectorXd y;
  smooth_data(150, 4, x, y);
  ForestOptions options;
  options.trees = 20;
  options.tree.max_features = 1;
  RandomForest a, b, c;
  a.fit(x, y, options, 42);
  b.fit(x, y, options, 42);
  c.fit(x, y, options, 43);
  Eigen::MatrixXd probe;
  Eigen::VectorXd unused;
  smooth_data(100, 8, probe, unused);
  EXPECT_EQ(a.predict(probe), b.predict(probe));
  EXPECT_EQ(a.oob_predictions(), b.oob_predictions());
  EXPECT_NE(a.predict(probe), c.predict(probe));
}

TEST(RandomForest, PredictRowsMatchesPredict) {
  Eigen::MatrixXd x;
  Eigen::VectorXd y;
  smooth_data(80, 5, x, y);
  ForestOptions options;
  options.trees = 10;
  RandomForest forest;
  forest.fit(x, y, options, 1);
  const std::vector<std::size_t> rows{3, 0, 79, 3};
  std::vector<double> out(rows.size());
  forest.predict_rows(x, rows, out);
  for (std::size_t k = 0; k < rows.size(); ++k)
    EXPECT_DOUBLE_EQ(out[k], forest.predict(x, static_cast<Eigen::Index>(rows[k])));
}

TEST(ForestEnsemble, GivesAMeanAndASpreadAndOutOfBagPredictions) {
  Eigen::MatrixXd x;
  Eigen::VectorXd y;
  smooth_data(200, 6, x, y);
  x.col(0) *= 0.5;
  for (Eigen::Index r = 0; r < y.size(); ++r) y[r] = 10.0 * x(r, 0) * x(r, 0) + x(r, 1);
  ForestEnsemble ensemble;
  EnsembleOptions options;
  options.forests = 8;
  options.forest.trees = 20;
  ensemble.fit(x, y, options, 9);
  ASSERT_EQ(ensemble.forest_count(), 8u);
  const EnsemblePrediction inside = ensemble.predict(std::vector<double>{0.25, 0.5});
  EXPECT_NEAR(inside.mean, 10.0 * 0.0625 + 0.5, 0.1);
  const Eigen::MatrixXd oob = ensemble.oob_predictions();
  ASSERT_EQ(oob.rows(), 200);
  ASSERT_EQ(oob.cols(), 8);
  // A row drawn k times into a forest's resample is in a tree's bootstrap with probability
  // about 1 - e^-k, so only rows drawn often are in all 20 trees' samples.
  EXPECT_LT(oob.array().isNaN().count(), 200 * 8 / 20);
  const Eigen::MatrixXd each = ensemble.predict_forests(x.topRows(5));
  const EnsemblePrediction first = ensemble.predict(x, 0);
  EXPECT_NEAR(each.row(0).mean(), first.mean, 1e-12);
  EXPECT_GT(first.spread, 0.0);
  ForestEnsemble again;
  again.fit(x, y, options, 9);
  EXPECT_EQ(again.predict_forests(x), ensemble.predict_forests(x));
}

}  // namespace
}  // namespace codse
