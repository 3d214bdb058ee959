#pragma once
// An ensemble of bootstrap forests, the surrogate of ATNE (Meng et al., DATE 2016): F random
// forests, each fitted on its own bootstrap resample of the training rows (and its trees on
// bootstrap resamples of that), so that the forests disagree where the data say little. A
// prediction is the mean over the forests and their spread (standard deviation); explorers can
// also use the forests one by one, e.g. to let them vote.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include <Eigen/Core>

#include "learn/forest_features.hpp"
#include "learn/random_forest.hpp"

namespace codse {

struct EnsembleOptions {
  std::size_t forests = 5;
  ForestOptions forest;
  /// Each forest sees a bootstrap resample of the rows; when false each sees every row once and
  /// only the trees' own bootstraps make the forests differ.
  bool bootstrap_forests = true;
};

struct EnsemblePrediction {
  double mean = 0.0;
  double spread = 0.0;  ///< standard deviation of the forests' predictions
};

class ForestEnsemble {
 public:
  void fit(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const EnsembleOptions& options,
           std::uint64_t seed);
  /// Fits on prepared features (share one BinnedFeatures between the objectives of a data set).
  /// Throws std::invalid_argument on size mismatches or zero forests.
  void fit(const BinnedFeatures& x, std::span<const double> y, const EnsembleOptions& options,
           std::uint64_t seed);

  std::size_t forest_count() const { return forests_.size(); }
  const RandomForest& forest(std::size_t f) const { return forests_[f]; }

  EnsemblePrediction predict(std::span<const double> features) const;
  EnsemblePrediction predict(const Eigen::MatrixXd& x, Eigen::Index row) const;
  /// rows(x) x forest_count() matrix: each forest's prediction for each row of x.
  Eigen::MatrixXd predict_forests(const Eigen::MatrixXd& x) const;

  /// training rows x forest_count() matrix of out-of-bag predictions: entry (r, f) is the mean of
  /// forest f's trees whose sample left row r out (rows outside forest f's own resample are out
  /// of bag for all its trees); NaN when every tree of forest f used row r.
  Eigen::MatrixXd oob_predictions() const;

 private:
  std::vector<RandomForest> forests_;
};

}  // namespace codse
