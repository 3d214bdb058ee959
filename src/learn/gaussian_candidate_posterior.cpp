#include "learn/gaussian_candidate_posterior.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <Eigen/Cholesky>

namespace codse {
namespace {

Eigen::Index as_index(std::size_t i) { return static_cast<Eigen::Index>(i); }

/// Rows to allocate for V holding n rows: 50% spare keeps appends amortised O(m) without
/// doubling the largest block of memory an explorer holds (n x m doubles per objective).
Eigen::Index spare_rows(Eigen::Index n) { return n + n / 2 + 16; }

}  // namespace

GpCandidatePosterior::GpCandidatePosterior(Eigen::MatrixXd candidates, GpHyperparameters hyperparameters)
    : candidates_(std::move(candidates)), is_observed_(static_cast<std::size_t>(candidates_.rows()), false) {
  set_hyperparameters(std::move(hyperparameters));
}

void GpCandidatePosterior::set_hyperparameters(GpHyperparameters hyperparameters) {
  if (hyperparameters.kernel.dimension() != static_cast<std::size_t>(candidates_.cols()))
    throw std::invalid_argument("GpCandidatePosterior: kernel and candidates differ in dimension");
  hyperparameters_ = std::move(hyperparameters);
  const auto& kernel = hyperparameters_.kernel;
  scaled_ = candidates_.array().rowwise() / kernel.length_scales.transpose().array();
  scaled_norms_ = scaled_.rowwise().squaredNorm();
  prior_variance_ = kernel.diagonal(candidates_);
  recompute();
}

Eigen::VectorXd GpCandidatePosterior::prior_covariance_with(std::size_t i) const {
  const auto& kernel = hyperparameters_.kernel;
  const auto row = as_index(i);
  Eigen::VectorXd squared = (scaled_norms_.array() + scaled_norms_(row)).matrix() - 2.0 * (scaled_ * scaled_.row(row).transpose());
  Eigen::VectorXd k = kernel.signal_variance * (-0.5 * squared.cwiseMax(0.0)).array().exp();
  if (kernel.linear_variance != 0.0) k.noalias() += kernel.linear_variance * (candidates_ * candidates_.row(row).transpose());
  k.array() += kernel.bias_variance;
  return k;
}

Eigen::VectorXd GpCandidatePosterior::covariance_with(std::size_t i) const {
  Eigen::VectorXd k = prior_covariance_with(i);
  const auto n = as_index(observed_.size());
  if (n > 0) {
    const Eigen::VectorXd vi = v_.block(0, as_index(i), n, 1);
    k.noalias() -= v_.topRows(n).transpose() * vi;
  }
  return k;
}

void GpCandidatePosterior::append_row(const Eigen::VectorXd& row) {
  const auto n = as_index(observed_.size());
  if (n == v_.rows()) {
    decltype(v_) grown(spare_rows(n), candidates_.rows());
    if (n > 0) grown.topRows(n) = v_.topRows(n);  // v_ starts 0 x 0, not 0 x candidates
    v_.swap(grown);
  }
  v_.row(n) = row.transpose();
}

void GpCandidatePosterior::observe(std::size_t i, double y) {
  if (i >= candidate_count() || is_observed_[i])
    throw std::invalid_argument("GpCandidatePosterior::observe: unknown or already observed candidate");
  const Eigen::VectorXd covariance = covariance_with(i);
  // covariance(i) is the latent posterior variance at i; the noise keeps the pivot positive.
  const double pivot = std::sqrt(std::max(covariance(as_index(i)), 0.0) + hyperparameters_.kernel.noise_variance);
  const Eigen::VectorXd row = covariance / pivot;
  const double z = (y - mean_(as_index(i))) / pivot;
  append_row(row);
  z_.push_back(z);
  observed_.push_back(i);
  values_.push_back(y);
  is_observed_[i] = true;
  mean_ += z * row;
  variance_ = (variance_ - row.cwiseAbs2()).cwiseMax(0.0);
}

void GpCandidatePosterior::recompute() {
  const auto n = as_index(observed_.size());
  const auto& kernel = hyperparameters_.kernel;
  mean_ = Eigen::VectorXd::Constant(candidates_.rows(), hyperparameters_.mean);
  variance_ = prior_variance_;
  if (n == 0) return;
  const Eigen::MatrixXd x = candidates_(observed_, Eigen::all);
  Eigen::LLT<Eigen::MatrixXd> cholesky(kernel.training_matrix(x));
  if (cholesky.info() != Eigen::Success)
    throw std::runtime_error("GpCandidatePosterior: covariance matrix is not positive definite");
  Eigen::MatrixXd v = kernel.matrix(x, candidates_);
  cholesky.matrixL().solveInPlace(v);
  Eigen::VectorXd z = Eigen::Map<const Eigen::VectorXd>(values_.data(), n).array() - hyperparameters_.mean;
  cholesky.matrixL().solveInPlace(z);
  v_.resize(spare_rows(n), candidates_.rows());
  v_.topRows(n) = v;
  z_.assign(z.data(), z.data() + n);
  mean_.noalias() += v.transpose() * z;
  variance_ = (variance_ - v.colwise().squaredNorm().transpose()).cwiseMax(0.0);
}

GpHallucination::GpHallucination(const GpCandidatePosterior& posterior)
    : posterior_(&posterior), variance_(posterior.variance()) {}

void GpHallucination::observe(std::size_t i) {
  Eigen::VectorXd covariance = posterior_->covariance_with(i);
  const auto row_i = static_cast<Eigen::Index>(i);
  for (const auto& row : rows_) covariance -= row(row_i) * row;
  const double pivot = std::sqrt(std::max(covariance(row_i), 0.0) + posterior_->hyperparameters().kernel.noise_variance);
  rows_.push_back(covariance / pivot);
  observed_.push_back(i);
  variance_ = (variance_ - rows_.back().cwiseAbs2()).cwiseMax(0.0);
}

}  // namespace codse
