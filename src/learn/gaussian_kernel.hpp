#pragma once
// The covariance function of codse's Gaussian processes: an ARD squared exponential plus a linear
// and a constant (bias) term,
//   k(x, x') = s_f^2 exp(-0.5 sum_d (x_d - x'_d)^2 / l_d^2) + s_l^2 x.x' + s_b^2,
// with the observation noise s_n^2 added on the diagonal of the training points only. The
// squared exponential captures smooth non-linear effects with one length scale per feature
// (a long one marks a knob that does not matter); the linear term lets the model extrapolate the
// trends that dominate hardware metrics (log latency falls roughly linearly in log unroll
// factor) instead of reverting to the mean far from data.

#include <cstddef>

#include <Eigen/Core>

namespace codse {

struct GpKernel {
  Eigen::VectorXd length_scales;  ///< l_d, one per feature
  double signal_variance = 1.0;   ///< s_f^2
  double linear_variance = 0.0;   ///< s_l^2
  double bias_variance = 0.0;     ///< s_b^2
  double noise_variance = 1e-6;   ///< s_n^2

  /// A kernel with every length scale equal to length_scale.
  static GpKernel isotropic(std::size_t dimension, double length_scale);

  std::size_t dimension() const { return static_cast<std::size_t>(length_scales.size()); }
  /// dimension() + 4: the length scales, then s_f^2, s_l^2, s_b^2, s_n^2.
  std::size_t parameter_count() const { return dimension() + 4; }
  /// The logarithms of the parameters in the order of parameter_count(), the coordinates in which
  /// hyperparameters are fitted (they are positive and act multiplicatively). A variance of 0
  /// (a term switched off) maps to -infinity.
  Eigen::VectorXd log_parameters() const;
  static GpKernel from_log_parameters(const Eigen::VectorXd& theta);

  /// Noise-free covariance of two points.
  double operator()(const Eigen::Ref<const Eigen::RowVectorXd>& a,
                    const Eigen::Ref<const Eigen::RowVectorXd>& b) const;
  /// Noise-free cross-covariance matrix of the rows of a against the rows of b.
  Eigen::MatrixXd matrix(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) const;
  /// matrix(x, x) plus noise on the diagonal: the covariance of noisy observations at x.
  Eigen::MatrixXd training_matrix(const Eigen::MatrixXd& x) const;
  /// k(x_i, x_i) for every row of x (noise-free).
  Eigen::VectorXd diagonal(const Eigen::MatrixXd& x) const;
};

/// Squared distances between the rows of a and of b after dividing each column by its length
/// scale (the exponent of the squared exponential, times -2). Clamped at 0 against rounding.
Eigen::MatrixXd scaled_squared_distances(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b,
                                         const Eigen::VectorXd& length_scales);

}  // namespace codse
