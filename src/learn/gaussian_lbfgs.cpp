#include "learn/gaussian_lbfgs.hpp"

#include <cmath>
#include <deque>
#include <algorithm>
#include <limits>
#include <vector>

namespace codse {
namespace {

struct CurvaturePair {
  Eigen::VectorXd s;  ///< step
  Eigen::VectorXd y;  ///< gradient change
  double rho;         ///< 1 / y.s
};

/// The two-loop recursion: an approximation of -H^{-1} g from the stored pairs.
Eigen::VectorXd descent_direction(const Eigen::VectorXd& gradient, const std::deque<CurvaturePair>& pairs) {
  Eigen::VectorXd q = gradient;
  std::vector<double> alpha(pairs.size());
  for (std::size_t k = pairs.size(); k-- > 0;) {
    alpha[k] = pairs[k].rho * pairs[k].s.dot(q);
    q -= alpha[k] * pairs[k].y;
  }
  if (!pairs.empty()) q *= pairs.back().s.dot(pairs.back().y) / pairs.back().y.squaredNorm();
  for (std::size_t k = 0; k < pairs.size(); ++k) {
    const double beta = pairs[k].rho * pairs[k].y.dot(q);
    q += (alpha[k] - beta) * pairs[k].s;
  }
  return -q;
}

}  // namespace

LbfgsResult minimize_lbfgs(const DifferentiableFunction& f, Eigen::VectorXd x0, const LbfgsOptions& options) {
  LbfgsResult result;
  Eigen::VectorXd gradient(x0.size());
  result.value = f(x0, gradient);
  result.x = std::move(x0);
  if (!std::isfinite(result.value)) return result;

  std::deque<CurvaturePair> pairs;
  Eigen::VectorXd trial_gradient(result.x.size());
  for (; result.iterations < options.max_iterations; ++result.iterations) {
    if (gradient.lpNorm<Eigen::Infinity>() < options.gradient_tolerance) break;
    Eigen::VectorXd direction = descent_direction(gradient, pairs);
    double slope = direction.dot(gradient);
    if (!(slope < 0.0)) {  // the curvature model went wrong: restart from steepest descent
      pairs.clear();
      direction = -gradient;
      slope = -gradient.squaredNorm();
    }
    // Without curvature information the first step's length is a guess: keep it at most 1.
    double step = pairs.empty() ? std::min(1.0, 1.0 / direction.lpNorm<Eigen::Infinity>()) : 1.0;
    bool accepted = false;
    Eigen::VectorXd trial;
    double value = 0.0;
    for (int tries = 0; tries < 40; ++tries, step *= 0.5) {
      trial = result.x + step * direction;
      value = f(trial, trial_gradient);
      if (std::isfinite(value) && value <= result.value + 1e-4 * step * slope) {
        accepted = true;
        break;
      }
    }
    if (!accepted) break;
    const double improvement = result.value - value;
    CurvaturePair pair{trial - result.x, trial_gradient - gradient, 0.0};
    const double sy = pair.s.dot(pair.y);
    if (sy > 1e-12 * pair.s.norm() * pair.y.norm()) {
      pair.rho = 1.0 / sy;
      pairs.push_back(std::move(pair));
      if (pairs.size() > options.memory) pairs.pop_front();
    }
    result.x = std::move(trial);
    gradient = trial_gradient;
    const double previous = result.value;
    result.value = value;
    if (improvement <= options.relative_tolerance * std::max(1.0, std::abs(previous))) {
      ++result.iterations;
      break;
    }
  }
  return result;
}

}  // namespace codse
