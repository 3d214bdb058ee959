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
/// The compact mode's V is the largest block on a large pool: 25% spare rows.
Eigen::Index compact_spare_rows(Eigen::Index n) { return n + n / 4 + 16; }

}  // namespace

/// Candidates solved at a time in the compact mode: bounds the temporary n x chunk matrices.
constexpr std::size_t kChunk = 2048;

GpCandidatePosterior::GpCandidatePosterior(Eigen::MatrixXd candidates, GpHyperparameters hyperparameters,
                                           std::size_t dense_limit)
    : candidates_(std::move(candidates)),
      is_observed_(static_cast<std::size_t>(candidates_.rows()), false),
      dense_limit_(dense_limit) {
  set_hyperparameters(std::move(hyperparameters));
}

std::size_t GpCandidatePosterior::stored_bytes() const {
  return static_cast<std::size_t>(v_.size() + l_.size()) * sizeof(double);
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
  if (compact_) {
    const Eigen::VectorXd tracked = tracked_covariance_with(i);
    Eigen::VectorXd k = Eigen::VectorXd::Zero(candidates_.rows());
    for (std::size_t c = 0; c < tracked_.size(); ++c) k(as_index(tracked_[c])) = tracked(as_index(c));
    if (column_of_[i] < 0)
      k(as_index(i)) = prior_variance_(as_index(i)) - column_for(i).squaredNorm();
    return k;
  }
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
  if (!compact_ && as_index(observed_.size()) == v_.rows() &&
      static_cast<double>(spare_rows(v_.rows())) * static_cast<double>(candidates_.rows()) * sizeof(double) >
          static_cast<double>(dense_limit_))
    recompute_compact();  // V would outgrow the dense limit: keep the needed columns only
  if (compact_) {
    observe_compact(i, y);
    return;
  }
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
  if (compact_ || static_cast<double>(spare_rows(n)) * static_cast<double>(candidates_.rows()) * sizeof(double) >
                      static_cast<double>(dense_limit_)) {
    recompute_compact();
    return;
  }
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

// ---- Compact mode -------------------------------------------------------------------------

void GpCandidatePosterior::recompute_compact() {
  compact_ = true;
  const auto m = candidates_.rows();
  const auto n = as_index(observed_.size());
  tracked_.clear();
  column_of_.assign(static_cast<std::size_t>(m), -1);
  for (std::size_t c = 0; c < static_cast<std::size_t>(m); ++c)
    if ((needed_.empty() || needed_[c]) && !is_observed_[c]) {
      column_of_[c] = as_index(tracked_.size());
      tracked_.push_back(c);
    }
  const auto& kernel = hyperparameters_.kernel;
  v_.resize(compact_spare_rows(n), as_index(tracked_.size()));
  l_ = Eigen::MatrixXd::Zero(compact_spare_rows(n), compact_spare_rows(n));
  z_.clear();
  for (const auto c : tracked_) {
    mean_(as_index(c)) = hyperparameters_.mean;
    variance_(as_index(c)) = prior_variance_(as_index(c));
  }
  if (n == 0) return;
  const Eigen::MatrixXd x = candidates_(observed_, Eigen::all);
  Eigen::LLT<Eigen::MatrixXd> cholesky(kernel.training_matrix(x));
  if (cholesky.info() != Eigen::Success)
    throw std::runtime_error("GpCandidatePosterior: covariance matrix is not positive definite");
  l_.topLeftCorner(n, n) = cholesky.matrixL();
  Eigen::VectorXd z = Eigen::Map<const Eigen::VectorXd>(values_.data(), n).array() - hyperparameters_.mean;
  l_.topLeftCorner(n, n).triangularView<Eigen::Lower>().solveInPlace(z);
  z_.assign(z.data(), z.data() + n);
  solve_all(tracked_, true);
}

void GpCandidatePosterior::solve_columns(const std::vector<std::size_t>& list, std::size_t first, std::size_t count,
                                         bool store) {
  const auto n = as_index(observed_.size());
  std::vector<std::size_t> rows(list.begin() + static_cast<std::ptrdiff_t>(first),
                                list.begin() + static_cast<std::ptrdiff_t>(first + count));
  const Eigen::MatrixXd x = candidates_(observed_, Eigen::all);
  Eigen::MatrixXd v = hyperparameters_.kernel.matrix(x, candidates_(rows, Eigen::all));
  l_.topLeftCorner(n, n).triangularView<Eigen::Lower>().solveInPlace(v);
  const Eigen::Map<const Eigen::VectorXd> z(z_.data(), n);
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const auto c = as_index(rows[k]);
    const auto column = v.col(as_index(k));
    mean_(c) = hyperparameters_.mean + column.dot(z);
    variance_(c) = std::max(prior_variance_(c) - column.squaredNorm(), 0.0);
    if (store) v_.block(0, column_of_[rows[k]], n, 1) = column;
  }
}

void GpCandidatePosterior::solve_all(const std::vector<std::size_t>& list, bool store) {
  if (observed_.empty()) {
    for (const auto c : list) {
      mean_(as_index(c)) = hyperparameters_.mean;
      variance_(as_index(c)) = prior_variance_(as_index(c));
    }
    return;
  }
  for (std::size_t first = 0; first < list.size(); first += kChunk)
    solve_columns(list, first, std::min(kChunk, list.size() - first), store);
}

Eigen::VectorXd GpCandidatePosterior::column_for(std::size_t i) const {
  const auto n = as_index(observed_.size());
  if (column_of_[i] >= 0) return v_.block(0, column_of_[i], n, 1);
  Eigen::VectorXd v = hyperparameters_.kernel.matrix(candidates_(observed_, Eigen::all), candidates_.row(as_index(i))).col(0);
  l_.topLeftCorner(n, n).triangularView<Eigen::Lower>().solveInPlace(v);
  return v;
}

Eigen::VectorXd GpCandidatePosterior::tracked_prior_covariance_with(std::size_t i) const {
  const auto& kernel = hyperparameters_.kernel;
  const auto row = as_index(i);
  const Eigen::VectorXd norms = scaled_norms_(tracked_);
  Eigen::VectorXd squared = (norms.array() + scaled_norms_(row)).matrix() - 2.0 * (scaled_(tracked_, Eigen::all) * scaled_.row(row).transpose());
  Eigen::VectorXd k = kernel.signal_variance * (-0.5 * squared.cwiseMax(0.0)).array().exp();
  if (kernel.linear_variance != 0.0)
    k.noalias() += kernel.linear_variance * (candidates_(tracked_, Eigen::all) * candidates_.row(row).transpose());
  k.array() += kernel.bias_variance;
  return k;
}

Eigen::VectorXd GpCandidatePosterior::tracked_covariance_with(std::size_t i) const {
  Eigen::VectorXd k = tracked_prior_covariance_with(i);
  const auto n = as_index(observed_.size());
  if (n > 0) k.noalias() -= v_.topRows(n).transpose() * column_for(i);
  return k;
}

void GpCandidatePosterior::observe_compact(std::size_t i, double y) {
  const auto n = as_index(observed_.size());
  const Eigen::VectorXd vi = column_for(i);
  const Eigen::VectorXd covariance = tracked_covariance_with(i);
  const double self = prior_variance_(as_index(i)) - vi.squaredNorm();
  const double pivot = std::sqrt(std::max(self, 0.0) + hyperparameters_.kernel.noise_variance);
  const Eigen::VectorXd row = covariance / pivot;
  // The mean of a candidate without a column is frozen: take its current one from V(:,i).
  const double mean_i = column_of_[i] >= 0 || n == 0
                            ? mean_(as_index(i))
                            : hyperparameters_.mean + vi.dot(Eigen::Map<const Eigen::VectorXd>(z_.data(), n));
  const double z = (y - mean_i) / pivot;
  if (n == v_.rows()) {
    decltype(v_) grown(compact_spare_rows(n), v_.cols());
    if (n > 0) grown.topRows(n) = v_.topRows(n);
    v_.swap(grown);
    Eigen::MatrixXd grown_l = Eigen::MatrixXd::Zero(compact_spare_rows(n), compact_spare_rows(n));
    if (n > 0) grown_l.topLeftCorner(n, n) = l_.topLeftCorner(n, n);
    l_.swap(grown_l);
  }
  // The new row of L: [V(:,i)' pivot] (see the header).
  if (n > 0) l_.block(n, 0, 1, n) = vi.transpose();
  l_(n, n) = pivot;
  v_.row(n) = row.transpose();
  z_.push_back(z);
  observed_.push_back(i);
  values_.push_back(y);
  is_observed_[i] = true;
  for (std::size_t k = 0; k < tracked_.size(); ++k) {
    const auto c = as_index(tracked_[k]);
    const double r = row(as_index(k));
    mean_(c) += z * r;
    variance_(c) = std::max(variance_(c) - r * r, 0.0);
  }
}

void GpCandidatePosterior::set_needed(const std::vector<bool>& needed) {
  if (needed.size() != candidate_count())
    throw std::invalid_argument("GpCandidatePosterior::set_needed: one flag per candidate");
  needed_ = needed;
  if (!compact_) return;
  std::vector<std::size_t> kept, missing;
  std::size_t dropped = 0;
  for (std::size_t c = 0; c < candidate_count(); ++c) {
    const bool want = needed_[c] && !is_observed_[c];
    if (want && column_of_[c] < 0) missing.push_back(c);
    if (!want && column_of_[c] >= 0) ++dropped;
  }
  // Dropping copies V: only worth it once an eighth of the columns can go.
  if (missing.empty() && dropped * 8 < tracked_.size() + 8) return;
  const auto n = as_index(observed_.size());
  std::vector<std::size_t> tracked;
  for (std::size_t c = 0; c < candidate_count(); ++c)
    if (needed_[c] && !is_observed_[c]) tracked.push_back(c);
  decltype(v_) v(v_.rows(), as_index(tracked.size()));
  std::vector<Eigen::Index> column_of(candidate_count(), -1);
  for (std::size_t k = 0; k < tracked.size(); ++k) {
    const auto c = tracked[k];
    column_of[c] = as_index(k);
    if (column_of_[c] >= 0 && n > 0) v.block(0, as_index(k), n, 1) = v_.block(0, column_of_[c], n, 1);
  }
  v_.swap(v);
  tracked_.swap(tracked);
  column_of_.swap(column_of);
  solve_all(missing, true);
}

void GpCandidatePosterior::refresh_untracked() {
  if (!compact_) return;
  std::vector<std::size_t> untracked;
  for (std::size_t c = 0; c < candidate_count(); ++c)
    if (column_of_[c] < 0 && !is_observed_[c]) untracked.push_back(c);
  solve_all(untracked, false);
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
