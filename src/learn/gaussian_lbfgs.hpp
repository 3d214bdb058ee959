#pragma once
// A small limited-memory BFGS minimiser (Nocedal and Wright, Numerical Optimization, algorithm
// 7.4 with a backtracking Armijo line search) for fitting Gaussian-process hyperparameters: a
// dozen smooth, unconstrained coordinates, where a dependency would weigh more than these lines.

#include <cstddef>
#include <functional>

#include <Eigen/Core>

namespace codse {

/// Returns f(x) and writes its gradient. May return infinity or NaN where f is undefined (for a
/// GP: a covariance that is not positive definite); the line search then takes a shorter step.
using DifferentiableFunction = std::function<double(const Eigen::VectorXd& x, Eigen::VectorXd& gradient)>;

struct LbfgsOptions {
  std::size_t max_iterations = 200;
  std::size_t memory = 8;               ///< curvature pairs kept
  double gradient_tolerance = 1e-6;     ///< stop when the largest gradient entry is below this
  double relative_tolerance = 1e-10;    ///< stop when f improves by less than this, relatively
};

struct LbfgsResult {
  Eigen::VectorXd x;
  double value = 0.0;
  std::size_t iterations = 0;
};

/// Minimises f from x0. Never returns a point worse than x0 (if f(x0) is finite).
LbfgsResult minimize_lbfgs(const DifferentiableFunction& f, Eigen::VectorXd x0,
                           const LbfgsOptions& options = {});

}  // namespace codse
