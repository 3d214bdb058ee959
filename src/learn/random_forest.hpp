#pragma once
// A random forest of regression trees (Breiman 2001): every tree is grown on a bootstrap sample
// of the rows and searches a random subset of the features at each split; the forest predicts
// the mean of its trees. It also keeps each row's out-of-bag (OOB) prediction, the mean of the
// trees that did not see the row, an honest estimate of the error on unseen designs.
//
// Fitting is deterministic for a seed (see ForestRng); predicting allocates nothing.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include <Eigen/Core>

#include "learn/forest_features.hpp"
#include "learn/regression_tree.hpp"

namespace codse {

struct ForestOptions {
  std::size_t trees = 100;
  TreeOptions tree;
  /// Each tree sees a bootstrap sample (drawn with replacement) of the forest's sample; when
  /// false every tree sees the whole sample (and there is no OOB prediction).
  bool bootstrap = true;
  /// Bootstrap sample size as a fraction of the forest's sample size.
  double sample_fraction = 1.0;
};

class RandomForest {
 public:
  /// Fits y (one value per row of x).
  void fit(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const ForestOptions& options,
           std::uint64_t seed);
  /// Fits on prepared features. sample[r] is how many times row r is in the forest's sample (an
  /// outer bootstrap, for ensembles); empty means every row once. Trees then bootstrap that
  /// multiset. Throws std::invalid_argument on size mismatches, an empty sample or zero trees.
  void fit(const BinnedFeatures& x, std::span<const double> y, std::span<const std::uint32_t> sample,
           const ForestOptions& options, std::uint64_t seed);

  double predict(std::span<const double> features) const;
  double predict(const Eigen::MatrixXd& x, Eigen::Index row) const;
  /// One prediction per row of x.
  Eigen::VectorXd predict(const Eigen::MatrixXd& x) const;
  /// out[k] = prediction for row rows[k] of x; walks one tree at a time over all the rows,
  /// which keeps the tree in cache. Allocation-free.
  void predict_rows(const Eigen::MatrixXd& x, std::span<const std::size_t> rows,
                    std::span<double> out) const;

  /// For each training row, the mean prediction of the trees whose bootstrap sample left it out;
  /// NaN when every tree used it (or bootstrap is off).
  const Eigen::VectorXd& oob_predictions() const { return oob_; }
  /// How many times tree t's bootstrap sample holds training row r (0: out of bag).
  std::uint32_t sample_count(std::size_t t, std::size_t r) const { return counts_[t * rows_ + r]; }

  std::size_t tree_count() const { return trees_.size(); }
  const RegressionTree& tree(std::size_t t) const { return trees_[t]; }

 private:
  void draw_counts(std::span<const std::uint32_t> sample, const ForestOptions& options,
                   ForestRng& rng, std::span<std::uint32_t> counts) const;
  void add_oob(const BinnedFeatures& x, std::size_t t, Eigen::VectorXd& sum,
               std::vector<std::uint32_t>& trees_out) const;

  std::vector<RegressionTree> trees_;
  std::size_t rows_ = 0;
  std::vector<std::uint32_t> counts_;  ///< tree-major bootstrap counts
  std::vector<std::uint32_t> sample_pool_;  ///< the forest's sample as a list of rows
  Eigen::VectorXd oob_;
};

}  // namespace codse
