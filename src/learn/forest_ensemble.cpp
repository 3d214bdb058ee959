#include "learn/forest_ensemble.hpp"

#include <cmath>
#include <stdexcept>

namespace codse {

void ForestEnsemble::fit(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                         const EnsembleOptions& options, std::uint64_t seed) {
  const BinnedFeatures binned(x);
  fit(binned, std::span<const double>(y.data(), static_cast<std::size_t>(y.size())), options, seed);
}

void ForestEnsemble::fit(const BinnedFeatures& x, std::span<const double> y,
                         const EnsembleOptions& options, std::uint64_t seed) {
  if (options.forests == 0) throw std::invalid_argument("ForestEnsemble::fit: zero forests");
  ForestRng rng(seed);
  forests_.resize(options.forests);
  std::vector<std::uint32_t> sample(x.rows());
  for (RandomForest& forest : forests_) {
    std::fill(sample.begin(), sample.end(), options.bootstrap_forests ? 0u : 1u);
    if (options.bootstrap_forests)
      for (std::size_t k = 0; k < x.rows(); ++k) ++sample[rng.below(x.rows())];
    forest.fit(x, y, sample, options.forest, rng.next());
  }
}

namespace {

template <class Predict>
EnsemblePrediction summarise(std::size_t forests, Predict&& predict) {
  double sum = 0.0, sum_squares = 0.0;
  for (std::size_t f = 0; f < forests; ++f) {
    const double p = predict(f);
    sum += p;
    sum_squares += p * p;
  }
  const double n = static_cast<double>(forests);
  const double mean = sum / n;
  return EnsemblePrediction{mean, std::sqrt(std::max(0.0, sum_squares / n - mean * mean))};
}

}  // namespace

EnsemblePrediction ForestEnsemble::predict(std::span<const double> features) const {
  return summarise(forests_.size(), [&](std::size_t f) { return forests_[f].predict(features); });
}

EnsemblePrediction ForestEnsemble::predict(const Eigen::MatrixXd& x, Eigen::Index row) const {
  return summarise(forests_.size(), [&](std::size_t f) { return forests_[f].predict(x, row); });
}

Eigen::MatrixXd ForestEnsemble::predict_forests(const Eigen::MatrixXd& x) const {
  Eigen::MatrixXd out(x.rows(), static_cast<Eigen::Index>(forests_.size()));
  for (std::size_t f = 0; f < forests_.size(); ++f)
    out.col(static_cast<Eigen::Index>(f)) = forests_[f].predict(x);
  return out;
}

Eigen::MatrixXd ForestEnsemble::oob_predictions() const {
  if (forests_.empty()) return {};
  Eigen::MatrixXd out(forests_.front().oob_predictions().size(),
                      static_cast<Eigen::Index>(forests_.size()));
  for (std::size_t f = 0; f < forests_.size(); ++f)
    out.col(static_cast<Eigen::Index>(f)) = forests_[f].oob_predictions();
  return out;
}

}  // namespace codse
