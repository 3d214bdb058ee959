#include "learn/gaussian_process.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <stdexcept>
#include <vector>

#include "core/random_draws.hpp"
#include "learn/gaussian_lbfgs.hpp"

namespace codse {
namespace {

constexpr double kLogTwoPi = 1.8378770664093454836;

/// Our own uniform draw: std::uniform_real_distribution is implementation-defined, and a seed
/// must name the same fit on every standard library.
double uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

double log_uniform(std::mt19937_64& rng, double lo, double hi) {
  return std::log(lo) + uniform01(rng) * (std::log(hi) - std::log(lo));
}

/// Box bounds of the log-parameters, relative to the variance of the targets so that the fit is
/// invariant to the units of y.
struct ParameterBox {
  Eigen::VectorXd lower;
  Eigen::VectorXd upper;
  std::vector<Eigen::Index> active;  ///< the fitted coordinates; the others are switched off
};

ParameterBox parameter_box(Eigen::Index dimension, double variance, const GpFitOptions& options) {
  const auto d = dimension;
  ParameterBox box{Eigen::VectorXd(d + 4), Eigen::VectorXd(d + 4), {}};
  box.lower.head(d).setConstant(std::log(options.min_length_scale));
  box.upper.head(d).setConstant(std::log(options.max_length_scale));
  box.lower(d) = std::log(1e-3 * variance);
  box.upper(d) = std::log(1e2 * variance);
  box.lower(d + 1) = box.lower(d + 2) = std::log(1e-4 * variance);
  box.upper(d + 1) = box.upper(d + 2) = std::log(1e2 * variance);
  box.lower(d + 3) = std::log(options.min_noise_ratio * variance);
  box.upper(d + 3) = std::log(std::max(options.max_noise_ratio, 2.0 * options.min_noise_ratio) * variance);
  for (Eigen::Index k = 0; k < d + 4; ++k) {
    if (k == d + 1 && !options.linear) continue;
    if (k == d + 2 && !options.bias) continue;
    box.active.push_back(k);
  }
  return box;
}

/// theta = lower + (upper - lower) * logistic(u): an unconstrained optimiser then respects the box.
struct BoxMap {
  const ParameterBox* box;

  Eigen::VectorXd theta(const Eigen::VectorXd& u) const {
    Eigen::VectorXd t = Eigen::VectorXd::Constant(box->lower.size(), -std::numeric_limits<double>::infinity());
    for (std::size_t a = 0; a < box->active.size(); ++a) {
      const auto k = box->active[a];
      t(k) = box->lower(k) + (box->upper(k) - box->lower(k)) / (1.0 + std::exp(-u(static_cast<Eigen::Index>(a))));
    }
    return t;
  }
  /// d theta_k / d u_a for the active coordinate a.
  double slope(const Eigen::VectorXd& u, std::size_t a) const {
    const auto k = box->active[a];
    const double s = 1.0 / (1.0 + std::exp(-u(static_cast<Eigen::Index>(a))));
    return (box->upper(k) - box->lower(k)) * s * (1.0 - s);
  }
  Eigen::VectorXd u(const Eigen::VectorXd& theta) const {
    Eigen::VectorXd result(static_cast<Eigen::Index>(box->active.size()));
    for (std::size_t a = 0; a < box->active.size(); ++a) {
      const auto k = box->active[a];
      const double p = std::clamp((theta(k) - box->lower(k)) / (box->upper(k) - box->lower(k)), 1e-6, 1.0 - 1e-6);
      result(static_cast<Eigen::Index>(a)) = std::log(p / (1.0 - p));
    }
    return result;
  }
};

Eigen::VectorXd default_start(Eigen::Index d, double variance, const ParameterBox& box) {
  Eigen::VectorXd theta(d + 4);
  theta.head(d).setConstant(std::log(0.5));
  theta(d) = std::log(variance);
  theta(d + 1) = std::log(0.1 * variance);
  theta(d + 2) = std::log(0.1 * variance);
  theta(d + 3) = std::clamp(std::log(1e-3 * variance), box.lower(d + 3), box.upper(d + 3));
  return theta;
}

Eigen::VectorXd random_start(Eigen::Index d, double variance, const ParameterBox& box, std::mt19937_64& rng) {
  Eigen::VectorXd theta(d + 4);
  for (Eigen::Index k = 0; k < d; ++k) theta(k) = log_uniform(rng, 0.1, 2.0);
  theta(d) = log_uniform(rng, 0.1 * variance, 2.0 * variance);
  theta(d + 1) = log_uniform(rng, 0.01 * variance, variance);
  theta(d + 2) = log_uniform(rng, 0.01 * variance, variance);
  theta(d + 3) = log_uniform(rng, std::exp(box.lower(d + 3)), std::min(0.1 * variance, std::exp(box.upper(d + 3))));
  return theta;
}

/// A seeded random subset of at most limit rows, in ascending order.
std::vector<Eigen::Index> fit_subset(Eigen::Index n, std::size_t limit, std::mt19937_64& rng) {
  std::vector<Eigen::Index> rows(static_cast<std::size_t>(n));
  std::iota(rows.begin(), rows.end(), Eigen::Index{0});
  if (rows.size() <= limit) return rows;
  draw::shuffle_prefix(std::span(rows), limit, [&](std::size_t m) { return rng() % m; });
  rows.resize(limit);
  std::sort(rows.begin(), rows.end());
  return rows;
}

}  // namespace

double log_marginal_likelihood(const GpHyperparameters& hyperparameters, const Eigen::MatrixXd& x,
                               const Eigen::VectorXd& y, Eigen::VectorXd* gradient) {
  const auto& kernel = hyperparameters.kernel;
  const auto n = x.rows();
  const auto d = x.cols();
  const Eigen::MatrixXd squared_exponential =
      kernel.signal_variance *
      (-0.5 * scaled_squared_distances(x, x, kernel.length_scales)).array().exp();
  const Eigen::MatrixXd inner = x * x.transpose();
  Eigen::MatrixXd k = squared_exponential + kernel.linear_variance * inner;
  k.array() += kernel.bias_variance;
  k.diagonal().array() += kernel.noise_variance;
  const Eigen::LLT<Eigen::MatrixXd> cholesky(k);
  if (cholesky.info() != Eigen::Success) return -std::numeric_limits<double>::infinity();
  const Eigen::VectorXd residual = y.array() - hyperparameters.mean;
  const Eigen::VectorXd alpha = cholesky.solve(residual);
  const double log_determinant_half = cholesky.matrixLLT().diagonal().array().log().sum();
  const double value = -0.5 * residual.dot(alpha) - log_determinant_half - 0.5 * static_cast<double>(n) * kLogTwoPi;
  if (!std::isfinite(value)) return -std::numeric_limits<double>::infinity();
  if (gradient == nullptr) return value;

  // dL/dtheta = tr(W dK/dtheta) / 2 with W = aa' - K^{-1}.
  Eigen::MatrixXd w = cholesky.solve(Eigen::MatrixXd::Identity(n, n));
  w = alpha * alpha.transpose() - w;
  gradient->resize(d + 4);
  // dK/dlog l_d = K_se o D_d / l_d^2 with D_d(i,j) = (x_id - x_jd)^2, and for symmetric M
  // sum_ij M_ij (x_i - x_j)^2 = 2 sum_i x_i^2 rowsum_i(M) - 2 x'Mx: O(n^2) per dimension.
  const Eigen::MatrixXd m = w.cwiseProduct(squared_exponential);
  const Eigen::VectorXd row_sums = m.rowwise().sum();
  const Eigen::MatrixXd mx = m * x;
  for (Eigen::Index j = 0; j < d; ++j) {
    const double weighted = 2.0 * (x.col(j).array().square() * row_sums.array()).sum() - 2.0 * x.col(j).dot(mx.col(j));
    (*gradient)(j) = 0.5 * weighted / (kernel.length_scales(j) * kernel.length_scales(j));
  }
  (*gradient)(d) = 0.5 * m.sum();
  (*gradient)(d + 1) = 0.5 * kernel.linear_variance * w.cwiseProduct(inner).sum();
  (*gradient)(d + 2) = 0.5 * kernel.bias_variance * w.sum();
  (*gradient)(d + 3) = 0.5 * kernel.noise_variance * w.trace();
  return value;
}

GpHyperparameters fit_hyperparameters(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                      const GpFitOptions& options) {
  if (x.rows() < 2 || x.rows() != y.size())
    throw std::invalid_argument("fit_hyperparameters needs at least 2 points and one target per row");
  std::mt19937_64 rng(options.seed);
  const auto rows = fit_subset(x.rows(), std::max<std::size_t>(options.max_points, 2), rng);
  const Eigen::MatrixXd xs = x(rows, Eigen::all);
  const Eigen::VectorXd ys = y(rows);
  const auto d = x.cols();

  GpHyperparameters result;
  result.mean = y.mean();
  const double variance = std::max((ys.array() - ys.mean()).square().mean(), 1e-12);
  const ParameterBox box = parameter_box(d, variance, options);
  const BoxMap map{&box};

  const DifferentiableFunction negative_lml = [&](const Eigen::VectorXd& u, Eigen::VectorXd& gradient_u) {
    GpHyperparameters h{GpKernel::from_log_parameters(map.theta(u)), result.mean};
    Eigen::VectorXd gradient_theta;
    double lml = log_marginal_likelihood(h, xs, ys, &gradient_theta);
    if (!std::isfinite(lml)) return std::numeric_limits<double>::infinity();
    if (options.length_scale_prior_sd > 0.0) {
      const double variance_prior = options.length_scale_prior_sd * options.length_scale_prior_sd;
      const double centre = std::log(options.length_scale_prior_median);
      for (Eigen::Index k = 0; k < d; ++k) {
        const double offset = std::log(h.kernel.length_scales(k)) - centre;
        lml -= 0.5 * offset * offset / variance_prior;
        gradient_theta(k) -= offset / variance_prior;
      }
    }
    gradient_u.resize(u.size());
    for (std::size_t a = 0; a < box.active.size(); ++a)
      gradient_u(static_cast<Eigen::Index>(a)) = -gradient_theta(box.active[a]) * map.slope(u, a);
    return -lml;
  };

  std::vector<Eigen::VectorXd> starts;
  if (options.warm_start && options.warm_start->dimension() == static_cast<std::size_t>(d))
    starts.push_back(options.warm_start->log_parameters());
  const auto wanted = std::max<std::size_t>(options.restarts, 1);
  if (starts.size() < wanted) starts.push_back(default_start(d, variance, box));
  while (starts.size() < wanted) starts.push_back(random_start(d, variance, box, rng));

  LbfgsOptions lbfgs;
  lbfgs.max_iterations = options.max_iterations;
  lbfgs.gradient_tolerance = 1e-5;
  lbfgs.relative_tolerance = 1e-9;
  double best = std::numeric_limits<double>::infinity();
  Eigen::VectorXd best_u = map.u(starts.front());
  for (const auto& start : starts) {
    const auto fitted = minimize_lbfgs(negative_lml, map.u(start), lbfgs);
    if (fitted.value < best) {
      best = fitted.value;
      best_u = fitted.x;
    }
  }
  result.kernel = GpKernel::from_log_parameters(map.theta(best_u));
  return result;
}

GaussianProcess::GaussianProcess(GpHyperparameters hyperparameters, Eigen::MatrixXd x, Eigen::VectorXd y)
    : hyperparameters_(std::move(hyperparameters)), x_(std::move(x)), y_(std::move(y)) {
  if (x_.rows() != y_.size()) throw std::invalid_argument("GaussianProcess: one target per row of x");
  cholesky_.compute(hyperparameters_.kernel.training_matrix(x_));
  if (cholesky_.info() != Eigen::Success)
    throw std::runtime_error("GaussianProcess: covariance matrix is not positive definite");
  alpha_ = cholesky_.solve((y_.array() - hyperparameters_.mean).matrix());
}

GaussianProcess GaussianProcess::fit(Eigen::MatrixXd x, Eigen::VectorXd y, const GpFitOptions& options) {
  auto hyperparameters = fit_hyperparameters(x, y, options);
  return GaussianProcess(std::move(hyperparameters), std::move(x), std::move(y));
}

GpPrediction GaussianProcess::predict(const Eigen::MatrixXd& x) const {
  const Eigen::MatrixXd cross = hyperparameters_.kernel.matrix(x_, x);  // n x p
  GpPrediction prediction;
  prediction.mean = (cross.transpose() * alpha_).array() + hyperparameters_.mean;
  const Eigen::MatrixXd v = cholesky_.matrixL().solve(cross);
  prediction.variance = (hyperparameters_.kernel.diagonal(x) - v.colwise().squaredNorm().transpose()).cwiseMax(0.0);
  return prediction;
}

GpPrediction GaussianProcess::leave_one_out() const {
  const auto n = x_.rows();
  const Eigen::VectorXd inverse_diagonal = cholesky_.solve(Eigen::MatrixXd::Identity(n, n)).diagonal();
  GpPrediction loo;
  loo.variance = inverse_diagonal.cwiseInverse();
  loo.mean = y_ - alpha_.cwiseQuotient(inverse_diagonal);
  return loo;
}

double GaussianProcess::log_marginal_likelihood() const {
  return codse::log_marginal_likelihood(hyperparameters_, x_, y_);
}

}  // namespace codse
