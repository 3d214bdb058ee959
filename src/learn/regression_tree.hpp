#pragma once
// A CART regression tree (Breiman et al. 1984): each split minimises the weighted sum of squared
// errors of the two children (variance reduction), leaves predict the weighted mean. Row weights
// are sample counts, so a bootstrap sample is passed as counts instead of copied rows. Features
// tried per split can be subsampled (random forests). Splits are searched on BinnedFeatures and
// placed halfway between the two neighbouring values present in the node, as scikit-learn does.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include <Eigen/Core>

#include "learn/forest_features.hpp"
#include "learn/forest_rng.hpp"

namespace codse {

struct TreeOptions {
  std::size_t max_depth = 0;     ///< 0: unlimited
  std::size_t min_leaf = 1;      ///< smallest total sample count a leaf may hold
  std::size_t max_features = 0;  ///< non-constant features tried per split; 0: all of them
};

class RegressionTree {
 public:
  /// Fits y (one value per row of x) using row r counts[r] times (0: not used). Features are
  /// visited in a random order drawn from rng; constant features do not count against
  /// max_features (as in scikit-learn), so a split is found whenever one exists.
  /// Throws std::invalid_argument when sizes disagree or no row is used.
  void fit(const BinnedFeatures& x, std::span<const double> y,
           std::span<const std::uint32_t> counts, const TreeOptions& options, ForestRng& rng);

  /// Prediction for one feature vector (features.size() must be the training feature count).
  double predict(std::span<const double> features) const {
    return predict_with([&](std::size_t f) { return features[f]; });
  }
  /// Prediction for row `row` of x (one feature per column).
  double predict(const Eigen::MatrixXd& x, Eigen::Index row) const {
    return predict_with([&](std::size_t f) { return x(row, static_cast<Eigen::Index>(f)); });
  }
  /// Prediction where value_of(f) returns feature f; allocation-free.
  template <class FeatureValue>
  double predict_with(FeatureValue&& value_of) const {
    std::uint32_t i = 0;
    while (nodes_[i].feature >= 0) {
      const Node& node = nodes_[i];
      i = value_of(static_cast<std::size_t>(node.feature)) <= node.value ? node.left : node.left + 1;
    }
    return nodes_[i].value;
  }

  std::size_t node_count() const { return nodes_.size(); }
  std::size_t leaf_count() const { return (nodes_.size() + 1) / 2; }
  std::size_t depth() const { return depth_; }

 private:
  friend class TreeBuilder;
  /// A split (feature >= 0, value = threshold, children left and left + 1) or a leaf
  /// (feature = -1, value = prediction).
  struct Node {
    std::int32_t feature = -1;
    std::uint32_t left = 0;
    double value = 0.0;
  };
  std::vector<Node> nodes_;
  std::size_t depth_ = 0;
};

}  // namespace codse
