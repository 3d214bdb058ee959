#pragma once
// The posterior of a GP over a fixed, finite set of candidates, updated in O(n m) when one more
// candidate is observed (n observations, m candidates) instead of O(n^2 m) from scratch. Pool
// explorers (epsilon-PAL) add one observation per iteration and need the mean and variance of
// every candidate after each one.
//
// With L the Cholesky factor of K = k(X, X) + s_n^2 I over the observed candidates X, it keeps
//   V = L^{-1} k(X, C)  (one row per observation, one column per candidate) and z = L^{-1}(y - m),
// so that mean(c) = m + V(:,c).z and variance(c) = k(c,c) - |V(:,c)|^2. Observing candidate j
// appends one row to L, V and z (block Cholesky):
//   pivot = sqrt(k(j,j) + s_n^2 - |V(:,j)|^2),  v_new(c) = (k(j,c) - V(:,c).V(:,j)) / pivot,
//   z_new = (y_j - mean(j)) / pivot,  mean += v_new z_new,  variance -= v_new^2.
// Because the new row of L is V(:,j) itself, no kernel matrix over X is ever rebuilt; only a
// change of hyperparameters recomputes everything.

#include <cstddef>
#include <vector>

#include <Eigen/Core>

#include "learn/gaussian_process.hpp"

namespace codse {

class GpCandidatePosterior {
 public:
  /// candidates: one feature row per candidate. Starts with no observation (the prior).
  GpCandidatePosterior(Eigen::MatrixXd candidates, GpHyperparameters hyperparameters);

  std::size_t candidate_count() const { return static_cast<std::size_t>(candidates_.rows()); }
  const Eigen::MatrixXd& candidates() const { return candidates_; }
  const GpHyperparameters& hyperparameters() const { return hyperparameters_; }

  /// New hyperparameters (e.g. after a refit): recomputes the posterior from scratch with every
  /// observation so far, O(n^3 + n^2 m).
  void set_hyperparameters(GpHyperparameters hyperparameters);
  /// Observes candidate i with value y (each candidate at most once). O(n m).
  void observe(std::size_t i, double y);

  std::size_t observation_count() const { return observed_.size(); }
  const std::vector<std::size_t>& observed() const { return observed_; }
  const std::vector<double>& observed_values() const { return values_; }

  /// Posterior mean of every candidate.
  const Eigen::VectorXd& mean() const { return mean_; }
  /// Posterior variance of the latent function at every candidate (noise excluded).
  const Eigen::VectorXd& variance() const { return variance_; }

  /// k(i, c) - V(:,c).V(:,i) for every candidate c: the posterior covariance between candidate i
  /// and every candidate. O(n m).
  Eigen::VectorXd covariance_with(std::size_t i) const;

 private:
  void recompute();
  Eigen::VectorXd prior_covariance_with(std::size_t i) const;
  void append_row(const Eigen::VectorXd& row);

  Eigen::MatrixXd candidates_;
  GpHyperparameters hyperparameters_;
  Eigen::MatrixXd scaled_;              ///< candidates divided by the length scales
  Eigen::VectorXd scaled_norms_;        ///< squared norms of the rows of scaled_
  Eigen::VectorXd prior_variance_;      ///< k(c, c)
  // V, one row per observation. Row-major with spare rows, so appending a row copies nothing and
  // V'V(:,j) is one matrix-vector product.
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> v_;
  std::vector<double> z_;
  std::vector<std::size_t> observed_;
  std::vector<double> values_;
  std::vector<bool> is_observed_;
  Eigen::VectorXd mean_;
  Eigen::VectorXd variance_;
};

/// Candidate variances as if some further candidates had been observed, without their values:
/// a GP's variance does not depend on y. Batch acquisition uses it to spread a batch ("observe"
/// each pick at its mean, then pick again) and to account for designs still being evaluated.
/// Does not change the posterior it reads; invalid once that posterior changes.
class GpHallucination {
 public:
  explicit GpHallucination(const GpCandidatePosterior& posterior);
  /// Conditions on candidate i as if observed. O((n + h) m) with h hallucinations so far.
  void observe(std::size_t i);
  const Eigen::VectorXd& variance() const { return variance_; }

 private:
  const GpCandidatePosterior* posterior_;
  std::vector<Eigen::VectorXd> rows_;   ///< the extra rows of V
  std::vector<std::size_t> observed_;
  Eigen::VectorXd variance_;
};

}  // namespace codse
