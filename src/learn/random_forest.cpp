#include "learn/random_forest.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace codse {

void RandomForest::fit(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                       const ForestOptions& options, std::uint64_t seed) {
  const BinnedFeatures binned(x);
  fit(binned, std::span<const double>(y.data(), static_cast<std::size_t>(y.size())), {}, options,
      seed);
}

void RandomForest::fit(const BinnedFeatures& x, std::span<const double> y,
                       std::span<const std::uint32_t> sample, const ForestOptions& options,
                       std::uint64_t seed) {
  if (options.trees == 0) throw std::invalid_argument("RandomForest::fit: zero trees");
  if (y.size() != x.rows() || (!sample.empty() && sample.size() != x.rows()))
    throw std::invalid_argument("RandomForest::fit: " + std::to_string(x.rows()) +
                                " rows but " + std::to_string(y.size()) + " targets");
  rows_ = x.rows();
  sample_pool_.clear();
  for (std::size_t r = 0; r < rows_; ++r)
    for (std::uint32_t c = sample.empty() ? 1 : sample[r]; c > 0; --c)
      sample_pool_.push_back(static_cast<std::uint32_t>(r));
  if (sample_pool_.empty()) throw std::invalid_argument("RandomForest::fit: empty sample");

  ForestRng rng(seed);
  trees_.resize(options.trees);
  counts_.assign(options.trees * rows_, 0);
  Eigen::VectorXd oob_sum = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(rows_));
  std::vector<std::uint32_t> oob_trees(rows_, 0);
  for (std::size_t t = 0; t < options.trees; ++t) {
    const std::span<std::uint32_t> counts(counts_.data() + t * rows_, rows_);
    draw_counts(sample, options, rng, counts);
    trees_[t].fit(x, y, counts, options.tree, rng);
    add_oob(x, t, oob_sum, oob_trees);
  }
  oob_.resize(static_cast<Eigen::Index>(rows_));
  for (std::size_t r = 0; r < rows_; ++r)
    oob_[static_cast<Eigen::Index>(r)] = oob_trees[r] == 0
                                             ? std::numeric_limits<double>::quiet_NaN()
                                             : oob_sum[static_cast<Eigen::Index>(r)] / oob_trees[r];
}

void RandomForest::draw_counts(std::span<const std::uint32_t> sample, const ForestOptions& options,
                               ForestRng& rng, std::span<std::uint32_t> counts) const {
  if (!options.bootstrap) {
    for (std::size_t r = 0; r < rows_; ++r) counts[r] = sample.empty() ? 1 : sample[r];
    return;
  }
  const std::size_t pool = sample_pool_.size();
  const auto draws = static_cast<std::size_t>(
      std::max(1.0, std::round(options.sample_fraction * static_cast<double>(pool))));
  for (std::size_t k = 0; k < draws; ++k) ++counts[sample_pool_[rng.below(pool)]];
}

void RandomForest::add_oob(const BinnedFeatures& x, std::size_t t, Eigen::VectorXd& sum,
                           std::vector<std::uint32_t>& trees_out) const {
  for (std::size_t r = 0; r < rows_; ++r) {
    if (sample_count(t, r) > 0) continue;
    sum[static_cast<Eigen::Index>(r)] += trees_[t].predict_with([&](std::size_t f) { return x.value(r, f); });
    ++trees_out[r];
  }
}

double RandomForest::predict(std::span<const double> features) const {
  double sum = 0.0;
  for (const RegressionTree& tree : trees_) sum += tree.predict(features);
  return sum / static_cast<double>(trees_.size());
}

double RandomForest::predict(const Eigen::MatrixXd& x, Eigen::Index row) const {
  double sum = 0.0;
  for (const RegressionTree& tree : trees_) sum += tree.predict(x, row);
  return sum / static_cast<double>(trees_.size());
}

Eigen::VectorXd RandomForest::predict(const Eigen::MatrixXd& x) const {
  Eigen::VectorXd out(x.rows());
  for (Eigen::Index r = 0; r < x.rows(); ++r) out[r] = predict(x, r);
  return out;
}

void RandomForest::predict_rows(const Eigen::MatrixXd& x, std::span<const std::size_t> rows,
                                std::span<double> out) const {
  for (std::size_t k = 0; k < rows.size(); ++k) out[k] = 0.0;
  for (const RegressionTree& tree : trees_)
    for (std::size_t k = 0; k < rows.size(); ++k)
      out[k] += tree.predict(x, static_cast<Eigen::Index>(rows[k]));
  const double scale = 1.0 / static_cast<double>(trees_.size());
  for (std::size_t k = 0; k < rows.size(); ++k) out[k] *= scale;
}

}  // namespace codse
