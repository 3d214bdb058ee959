#include "learn/gaussian_kernel.hpp"

#include <cmath>

namespace codse {

GpKernel GpKernel::isotropic(std::size_t dimension, double length_scale) {
  GpKernel kernel;
  kernel.length_scales = Eigen::VectorXd::Constant(static_cast<Eigen::Index>(dimension), length_scale);
  return kernel;
}

Eigen::VectorXd GpKernel::log_parameters() const {
  const auto d = length_scales.size();
  Eigen::VectorXd theta(d + 4);
  theta.head(d) = length_scales.array().log();
  theta(d) = std::log(signal_variance);
  theta(d + 1) = std::log(linear_variance);
  theta(d + 2) = std::log(bias_variance);
  theta(d + 3) = std::log(noise_variance);
  return theta;
}

GpKernel GpKernel::from_log_parameters(const Eigen::VectorXd& theta) {
  const auto d = theta.size() - 4;
  GpKernel kernel;
  kernel.length_scales = theta.head(d).array().exp();
  kernel.signal_variance = std::exp(theta(d));
  kernel.linear_variance = std::exp(theta(d + 1));
  kernel.bias_variance = std::exp(theta(d + 2));
  kernel.noise_variance = std::exp(theta(d + 3));
  return kernel;
}

double GpKernel::operator()(const Eigen::Ref<const Eigen::RowVectorXd>& a,
                            const Eigen::Ref<const Eigen::RowVectorXd>& b) const {
  const double r2 = ((a - b).array() / length_scales.transpose().array()).square().sum();
  return signal_variance * std::exp(-0.5 * r2) + linear_variance * a.dot(b) + bias_variance;
}

Eigen::MatrixXd scaled_squared_distances(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b,
                                         const Eigen::VectorXd& length_scales) {
  const Eigen::RowVectorXd inverse = length_scales.cwiseInverse().transpose();
  const Eigen::MatrixXd as = a.array().rowwise() * inverse.array();
  const Eigen::MatrixXd bs = b.array().rowwise() * inverse.array();
  // |a - b|^2 = |a|^2 + |b|^2 - 2 a.b turns the n*m*d loop into one matrix product.
  Eigen::MatrixXd d2 = -2.0 * as * bs.transpose();
  d2.colwise() += as.rowwise().squaredNorm();
  d2.rowwise() += bs.rowwise().squaredNorm().transpose();
  return d2.cwiseMax(0.0);
}

Eigen::MatrixXd GpKernel::matrix(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) const {
  Eigen::MatrixXd k = signal_variance * (-0.5 * scaled_squared_distances(a, b, length_scales)).array().exp();
  if (linear_variance != 0.0) k.noalias() += linear_variance * a * b.transpose();
  k.array() += bias_variance;
  return k;
}

Eigen::MatrixXd GpKernel::training_matrix(const Eigen::MatrixXd& x) const {
  Eigen::MatrixXd k = matrix(x, x);
  k.diagonal().array() += noise_variance;
  return k;
}

Eigen::VectorXd GpKernel::diagonal(const Eigen::MatrixXd& x) const {
  return (signal_variance + bias_variance + linear_variance * x.rowwise().squaredNorm().array()).matrix();
}

}  // namespace codse
