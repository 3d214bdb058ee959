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
//
// Memory. V has one column per candidate, so it grows by 8 m bytes per observation (1.6 MB on a
// 200,000-design table). While it fits in dense_limit bytes V is kept for every candidate (the
// dense mode, and the only one on tables up to some thousands of designs). Beyond, the posterior
// turns compact: V keeps only the columns of the candidates its user still needs (set_needed;
// epsilon-PAL needs the designs neither discarded nor evaluated), L (n x n) is kept to compute a
// column that becomes needed again, recompute() works on the candidates in chunks, and the mean
// and variance of a candidate not needed, or observed, are frozen at their last value (exact
// again when it is needed again, or after refresh_untracked).
// The compact mode computes the same posterior; its sums run in another order, so its values
// may differ from the dense mode's in the last bits.

#include <cstddef>
#include <vector>

#include <Eigen/Core>

#include "learn/gaussian_process.hpp"

namespace codse {

class GpCandidatePosterior {
 public:
  /// Bytes of V above which the posterior turns compact (see the header comment).
  static constexpr std::size_t default_dense_limit = std::size_t{256} << 20;

  /// candidates: one feature row per candidate. Starts with no observation (the prior).
  GpCandidatePosterior(Eigen::MatrixXd candidates, GpHyperparameters hyperparameters,
                       std::size_t dense_limit = default_dense_limit);

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
  bool is_observed(std::size_t i) const { return is_observed_[i]; }

  /// Posterior mean of every candidate.
  const Eigen::VectorXd& mean() const { return mean_; }
  /// Posterior variance of the latent function at every candidate (noise excluded).
  const Eigen::VectorXd& variance() const { return variance_; }

  /// k(i, c) - V(:,c).V(:,i) for every candidate c: the posterior covariance between candidate i
  /// and every candidate. O(n m). In the compact mode i must be needed, and the entries of the
  /// candidates not needed are 0.
  Eigen::VectorXd covariance_with(std::size_t i) const;

  /// The candidates whose mean and variance the user will still read or observe (needed[c]); the
  /// others may be dropped from V. In the dense mode this only records the set. In the compact
  /// mode it drops the columns of candidates no longer needed and computes those of candidates
  /// needed again (O(n^2) each). Every candidate is needed until the first call.
  void set_needed(const std::vector<bool>& needed);
  /// Compact mode: computes the mean and variance of every candidate V holds no column for
  /// (they were frozen), in chunks, without storing columns. O(n^2) each. Dense mode: nothing.
  void refresh_untracked();
  /// True once V keeps only the needed candidates' columns.
  bool compact() const { return compact_; }
  /// Bytes held by V and L (the part that grows with the observations).
  std::size_t stored_bytes() const;

 private:
  void recompute();
  void recompute_compact();
  Eigen::VectorXd prior_covariance_with(std::size_t i) const;
  /// prior_covariance_with(i) at the tracked candidates only (compact mode).
  Eigen::VectorXd tracked_prior_covariance_with(std::size_t i) const;
  Eigen::VectorXd tracked_covariance_with(std::size_t i) const;
  void append_row(const Eigen::VectorXd& row);
  void observe_compact(std::size_t i, double y);
  /// Turns compact: keeps L and only the needed columns of V.
  void become_compact();
  /// Makes V's columns those of the needed candidates (compact mode), computing missing ones.
  void track_needed();
  /// L^{-1} k(X, c) for the candidates list[first, first + count), which also sets their mean and
  /// variance (compact mode); stored as their columns of V when store is true.
  void solve_columns(const std::vector<std::size_t>& list, std::size_t first, std::size_t count, bool store);
  /// solve_columns over the whole list, in chunks that bound the temporary memory.
  void solve_all(const std::vector<std::size_t>& list, bool store);
  /// V(:, i): stored, or solved from L when i has no column (compact mode).
  Eigen::VectorXd column_for(std::size_t i) const;

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
  std::size_t dense_limit_;
  bool compact_ = false;
  std::vector<bool> needed_;              ///< empty: every candidate
  // Compact mode only.
  std::vector<std::size_t> tracked_;      ///< candidates whose columns V holds, ascending
  std::vector<Eigen::Index> column_of_;   ///< candidate -> its column of V, or -1
  Eigen::MatrixXd l_;                     ///< the Cholesky factor, with spare rows and columns
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
