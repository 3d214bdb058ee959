#pragma once
// Gaussian-process regression (Rasmussen and Williams, Gaussian Processes for Machine Learning,
// 2006, chapters 2 and 5): a surrogate that predicts a mean and an uncertainty, with
// hyperparameters chosen by maximising the log marginal likelihood.
//
// Usage: `auto gp = GaussianProcess::fit(x, y);` then `gp.predict(x_new)`. To keep predictions
// over a fixed set of candidates current while observations arrive one at a time, give the
// fitted hyperparameters to a GpCandidatePosterior (gaussian_candidate_posterior.hpp).

#include <cstddef>
#include <cstdint>
#include <optional>

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include "learn/gaussian_kernel.hpp"

namespace codse {

/// Everything that defines a GP prior: the kernel and a constant prior mean.
struct GpHyperparameters {
  GpKernel kernel;
  double mean = 0.0;
};

/// log p(y | x) under the GP prior: -r'K^{-1}r/2 - log|K|/2 - n log(2 pi)/2 with r = y - mean
/// and K = kernel.training_matrix(x). If gradient is given, it receives the derivatives with
/// respect to kernel.log_parameters() (analytic: tr((aa' - K^{-1}) dK/dtheta)/2, a = K^{-1}r).
/// Returns -infinity if K is not numerically positive definite.
double log_marginal_likelihood(const GpHyperparameters& hyperparameters, const Eigen::MatrixXd& x,
                               const Eigen::VectorXd& y, Eigen::VectorXd* gradient = nullptr);

struct GpFitOptions {
  /// Fitting costs O(n^3) per likelihood evaluation, so hyperparameters are fitted on a seeded
  /// random subset of at most this many points (the posterior still uses every point).
  std::size_t max_points = 256;
  /// Optimisations from different starting points: warm_start if given, a default, then random.
  std::size_t restarts = 3;
  std::size_t max_iterations = 150;      ///< per optimisation
  bool linear = true;                    ///< fit the linear term (else s_l^2 = 0)
  bool bias = true;                      ///< fit the constant term (else s_b^2 = 0)
  /// Lower bound of the noise variance relative to the variance of y. Our data (tool results)
  /// are nearly noise-free, but a floor keeps K well conditioned when designs are close.
  double min_noise_ratio = 1e-6;
  /// Upper bound of the noise variance relative to the variance of y. Capping it forces the GP
  /// to explain a sharp change as signal (with its uncertainty) rather than as noise.
  double max_noise_ratio = 1.0;
  double max_length_scale = 100.0;       ///< for features scaled to [0, 1], 100 means "irrelevant"
  double min_length_scale = 0.02;
  /// A log-normal prior on every length scale (maximum a posteriori instead of maximum
  /// likelihood) when the standard deviation is positive. With a handful of points the likelihood
  /// hardly constrains the length scales, and a knob can look irrelevant (length scale at its
  /// bound) only because no two points differ in it alone; the prior keeps such a knob's length
  /// scale moderate until the data say otherwise.
  double length_scale_prior_sd = 0.0;           ///< in natural-log units
  double length_scale_prior_median = 1.0;
  std::uint64_t seed = 0;
  /// An extra starting point, typically the previous fit when refitting on more data.
  std::optional<GpKernel> warm_start;
};

/// Maximises the log marginal likelihood (plus the log prior, if any) over the kernel's
/// log-parameters within the bounds of options (box bounds through a logistic reparametrisation, L-BFGS, several restarts). The prior
/// mean is the mean of y. Requires at least 2 rows. Deterministic for options.seed.
GpHyperparameters fit_hyperparameters(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                      const GpFitOptions& options = {});

struct GpPrediction {
  Eigen::VectorXd mean;
  Eigen::VectorXd variance;  ///< of the latent function (noise excluded)
};

/// A GP conditioned on training data: O(n^3) once, then O(n) per predicted mean and O(n^2) per
/// predicted variance.
class GaussianProcess {
 public:
  /// Conditions the prior given by hyperparameters on the rows of x with targets y.
  GaussianProcess(GpHyperparameters hyperparameters, Eigen::MatrixXd x, Eigen::VectorXd y);
  /// fit_hyperparameters, then conditions on every row.
  static GaussianProcess fit(Eigen::MatrixXd x, Eigen::VectorXd y, const GpFitOptions& options = {});

  GpPrediction predict(const Eigen::MatrixXd& x) const;
  /// Leave-one-out predictions of the training targets (Rasmussen and Williams eq. 5.12): for
  /// each point, the mean and variance (noise included) of y_i given every other point. O(n^3).
  GpPrediction leave_one_out() const;
  const GpHyperparameters& hyperparameters() const { return hyperparameters_; }
  double log_marginal_likelihood() const;
  std::size_t size() const { return static_cast<std::size_t>(x_.rows()); }

 private:
  GpHyperparameters hyperparameters_;
  Eigen::MatrixXd x_;
  Eigen::VectorXd y_;
  Eigen::LLT<Eigen::MatrixXd> cholesky_;
  Eigen::VectorXd alpha_;  ///< K^{-1} (y - mean)
};

}  // namespace codse
