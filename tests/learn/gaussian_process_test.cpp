#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "learn/gaussian_candidate_posterior.hpp"
#include "learn/gaussian_lbfgs.hpp"
#include "learn/gaussian_process.hpp"

namespace codse {
namespace {

Eigen::MatrixXd random_points(Eigen::Index n, Eigen::Index d, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  Eigen::MatrixXd x(n, d);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < d; ++j) x(i, j) = static_cast<double>(rng() >> 11) * 0x1.0p-53;
  return x;
}

GpHyperparameters some_hyperparameters(Eigen::Index d) {
  GpHyperparameters h;
  h.kernel.length_scales = Eigen::VectorXd::LinSpaced(d, 0.3, 0.8);
  h.kernel.signal_variance = 1.3;
  h.kernel.linear_variance = 0.4;
  h.kernel.bias_variance = 0.2;
  h.kernel.noise_variance = 1e-4;
  h.mean = 0.5;
  return h;
}

double wavy(double x) { return std::sin(6.0 * x) + x; }

TEST(GaussianProcess, InterpolatesAOneDimensionalFunction) {
  Eigen::MatrixXd x(12, 1);
  Eigen::VectorXd y(12);
  for (Eigen::Index i = 0; i < 12; ++i) {
    x(i, 0) = static_cast<double>(i) / 11.0;
    y(i) = wavy(x(i, 0));
  }
  const auto gp = GaussianProcess::fit(x, y);
  const auto at_data = gp.predict(x);
  const double noise = gp.hyperparameters().kernel.noise_variance;
  for (Eigen::Index i = 0; i < 12; ++i) {
    EXPECT_NEAR(at_data.mean(i), y(i), 1e-3);
    EXPECT_LE(at_data.variance(i), 2.0 * noise + 1e-9);
  }
  // Between training points the smooth function is still predicted well.
  Eigen::MatrixXd between(1, 1);
  between << 0.5 / 11.0 + 5.0 / 11.0;
  EXPECT_NEAR(gp.predict(between).mean(0), wavy(between(0, 0)), 0.02);
  // Far from the data the model is unsure.
  Eigen::MatrixXd far(1, 1);
  far << 3.0;
  EXPECT_GT(gp.predict(far).variance(0), 1000.0 * at_data.variance.maxCoeff());
  EXPECT_GT(gp.predict(far).variance(0), 0.01);
}

TEST(GaussianProcess, GradientMatchesFiniteDifferences) {
  const auto x = random_points(25, 3, 7);
  Eigen::VectorXd y(25);
  for (Eigen::Index i = 0; i < 25; ++i) y(i) = std::sin(4.0 * x(i, 0)) + x(i, 1) * x(i, 2);
  const auto h = some_hyperparameters(3);
  Eigen::VectorXd gradient;
  log_marginal_likelihood(h, x, y, &gradient);
  const Eigen::VectorXd theta = h.kernel.log_parameters();
  ASSERT_EQ(gradient.size(), theta.size());
  for (Eigen::Index k = 0; k < theta.size(); ++k) {
    const double step = 1e-5;
    Eigen::VectorXd plus = theta, minus = theta;
    plus(k) += step;
    minus(k) -= step;
    const double numeric = (log_marginal_likelihood({GpKernel::from_log_parameters(plus), h.mean}, x, y) -
                            log_marginal_likelihood({GpKernel::from_log_parameters(minus), h.mean}, x, y)) /
                           (2.0 * step);
    EXPECT_NEAR(gradient(k), numeric, 1e-6 * std::max(1.0, std::abs(numeric))) << "parameter " << k;
  }
}

TEST(GaussianProcess, FitRaisesLikelihoodAndFindsTheIrrelevantDimension) {
  const auto x = random_points(80, 3, 11);
  Eigen::VectorXd y(80);
  // Dimension 2 does not matter.
  for (Eigen::Index i = 0; i < 80; ++i) y(i) = std::sin(5.0 * x(i, 0)) + 2.0 * x(i, 1) * x(i, 1);
  GpHyperparameters start;
  start.kernel = GpKernel::isotropic(3, 0.5);
  start.kernel.linear_variance = start.kernel.bias_variance = 0.1;
  start.kernel.noise_variance = 1e-3;
  start.mean = y.mean();
  const double before = log_marginal_likelihood(start, x, y);
  const auto fitted = fit_hyperparameters(x, y);
  const double after = log_marginal_likelihood(fitted, x, y);
  EXPECT_GT(after, before + 10.0);
  const auto& l = fitted.kernel.length_scales;
  EXPECT_GT(l(2), 10.0 * std::max(l(0), l(1)));
  EXPECT_LT(l(0), 1.0);
  // Deterministic for a seed.
  const auto again = fit_hyperparameters(x, y);
  EXPECT_EQ(again.kernel.log_parameters(), fitted.kernel.log_parameters());
}

TEST(GaussianProcess, FitOnASubsetStillPredictsEveryPoint) {
  const auto x = random_points(300, 2, 3);
  Eigen::VectorXd y(300);
  for (Eigen::Index i = 0; i < 300; ++i) y(i) = x(i, 0) - 2.0 * x(i, 1) + 0.3 * std::cos(3.0 * x(i, 0));
  GpFitOptions options;
  options.max_points = 60;
  const auto gp = GaussianProcess::fit(x, y, options);
  EXPECT_EQ(gp.size(), 300U);
  const auto prediction = gp.predict(x);
  EXPECT_LT((prediction.mean - y).cwiseAbs().maxCoeff(), 1e-3);
}

TEST(GpCandidatePosterior, IncrementalUpdatesEqualAFreshPosterior) {
  const auto candidates = random_points(200, 3, 5);
  const auto h = some_hyperparameters(3);
  GpCandidatePosterior incremental(candidates, h);
  // The prior: mean m, variance k(c, c).
  EXPECT_NEAR(incremental.mean()(17), h.mean, 1e-12);
  EXPECT_NEAR(incremental.variance()(17), h.kernel(candidates.row(17), candidates.row(17)), 1e-12);

  std::vector<Eigen::Index> rows;
  std::vector<double> values;
  for (std::size_t k = 0; k < 40; ++k) {
    const auto i = (k * 37 + 3) % 200;
    const double y = std::sin(3.0 * candidates(static_cast<Eigen::Index>(i), 0)) + candidates(static_cast<Eigen::Index>(i), 2);
    incremental.observe(i, y);
    rows.push_back(static_cast<Eigen::Index>(i));
    values.push_back(y);
  }
  const GaussianProcess direct(h, candidates(rows, Eigen::all),
                               Eigen::Map<const Eigen::VectorXd>(values.data(), 40));
  const auto expected = direct.predict(candidates);
  EXPECT_LT((incremental.mean() - expected.mean).cwiseAbs().maxCoeff(), 1e-8);
  EXPECT_LT((incremental.variance() - expected.variance).cwiseAbs().maxCoeff(), 1e-8);

  // A change of hyperparameters recomputes from scratch.
  auto other = h;
  other.kernel.length_scales *= 1.5;
  incremental.set_hyperparameters(other);
  const auto expected_other = GaussianProcess(other, candidates(rows, Eigen::all),
                                              Eigen::Map<const Eigen::VectorXd>(values.data(), 40))
                                  .predict(candidates);
  EXPECT_LT((incremental.mean() - expected_other.mean).cwiseAbs().maxCoeff(), 1e-8);
  EXPECT_LT((incremental.variance() - expected_other.variance).cwiseAbs().maxCoeff(), 1e-8);
}

// Issue 17, defect 4: V (observations x candidates) grew by 1.6 MB per observation on a
// 200,000-design table. Past its dense limit the posterior keeps the columns of the candidates
// still needed only, and computes the same posterior for them.
TEST(GpCandidatePosterior, CompactModeKeepsOnlyNeededColumnsAndTheSamePosterior) {
  const auto candidates = random_points(600, 3, 11);
  const auto h = some_hyperparameters(3);
  const std::size_t limit = 64 * 600 * sizeof(double);  // dense up to 64 rows of V
  GpCandidatePosterior compact(candidates, h, limit);
  GpCandidatePosterior dense(candidates, h);
  std::vector<bool> needed(600, true);
  std::vector<Eigen::Index> rows;
  std::vector<double> values;
  auto fresh = [&](const GpHyperparameters& hyper) {
    return GaussianProcess(hyper, candidates(rows, Eigen::all),
                           Eigen::Map<const Eigen::VectorXd>(values.data(), static_cast<Eigen::Index>(values.size())))
        .predict(candidates);
  };
  for (std::size_t k = 0; k < 120; ++k) {
    const auto i = (k * 53 + 7) % 600;
    const double y = std::sin(3.0 * candidates(static_cast<Eigen::Index>(i), 0)) + candidates(static_cast<Eigen::Index>(i), 2);
    compact.observe(i, y);
    dense.observe(i, y);
    rows.push_back(static_cast<Eigen::Index>(i));
    values.push_back(y);
    // The user needs fewer and fewer candidates (as epsilon-PAL discards).
    if (k % 10 == 9) {
      for (std::size_t c = 0; c < 600; ++c)
        if ((((c + 1) * (k + 3) * 2654435761U) >> 16) % 6 == 0) needed[c] = false;
      compact.set_needed(needed);
      dense.set_needed(needed);
    }
  }
  EXPECT_TRUE(compact.compact());
  EXPECT_FALSE(dense.compact());
  std::size_t count = 0;
  for (const bool n : needed) count += n;
  ASSERT_GT(count, 20U);
  ASSERT_LT(count, 300U);
  // V holds the needed columns only (plus spare rows), L is observations^2.
  EXPECT_LT(compact.stored_bytes(), dense.stored_bytes() / 2);
  const auto expected = fresh(h);
  for (std::size_t c = 0; c < 600; ++c) {
    if (!needed[c] || compact.is_observed(c)) continue;
    EXPECT_NEAR(compact.mean()(static_cast<Eigen::Index>(c)), expected.mean(static_cast<Eigen::Index>(c)), 1e-8) << c;
    EXPECT_NEAR(compact.variance()(static_cast<Eigen::Index>(c)), expected.variance(static_cast<Eigen::Index>(c)), 1e-8) << c;
    EXPECT_NEAR(compact.mean()(static_cast<Eigen::Index>(c)), dense.mean()(static_cast<Eigen::Index>(c)), 1e-8) << c;
  }
  // New hyperparameters: the needed candidates are recomputed; the others once refreshed.
  auto other = h;
  other.kernel.length_scales *= 1.3;
  compact.set_hyperparameters(other);
  compact.refresh_untracked();
  const auto expected_other = fresh(other);
  for (std::size_t c = 0; c < 600; ++c) {
    if (compact.is_observed(c)) continue;
    EXPECT_NEAR(compact.mean()(static_cast<Eigen::Index>(c)), expected_other.mean(static_cast<Eigen::Index>(c)), 1e-8) << c;
    EXPECT_NEAR(compact.variance()(static_cast<Eigen::Index>(c)), expected_other.variance(static_cast<Eigen::Index>(c)), 1e-8) << c;
  }
  // Every candidate needed again: their columns are computed from L, and observing goes on.
  compact.set_needed(std::vector<bool>(600, true));
  for (std::size_t k = 0; k < 5; ++k) {
    const auto i = (k * 101 + 1) % 600;
    if (compact.is_observed(i)) continue;
    compact.observe(i, 0.5);
    rows.push_back(static_cast<Eigen::Index>(i));
    values.push_back(0.5);
  }
  const auto expected_last = fresh(other);
  for (std::size_t c = 0; c < 600; ++c) {
    if (compact.is_observed(c)) continue;
    EXPECT_NEAR(compact.mean()(static_cast<Eigen::Index>(c)), expected_last.mean(static_cast<Eigen::Index>(c)), 1e-7) << c;
    EXPECT_NEAR(compact.variance()(static_cast<Eigen::Index>(c)), expected_last.variance(static_cast<Eigen::Index>(c)), 1e-7) << c;
  }
  // Hallucinated variances agree with the dense computation too.
  GpHallucination hallucination(compact);
  hallucination.observe(3);
  GpCandidatePosterior observed = compact;
  if (!observed.is_observed(3)) {
    observed.observe(3, 1.0);
    EXPECT_LT((hallucination.variance() - observed.variance()).cwiseAbs().maxCoeff(), 1e-8);
  }
}

TEST(GpHallucination, VarianceEqualsObservingWithAnyValue) {
  const auto candidates = random_points(120, 2, 9);
  const auto h = some_hyperparameters(2);
  GpCandidatePosterior posterior(candidates, h);
  posterior.observe(4, 1.0);
  posterior.observe(50, -0.5);
  GpHallucination hallucination(posterior);
  hallucination.observe(77);
  hallucination.observe(3);
  GpCandidatePosterior observed = posterior;
  observed.observe(77, 123.0);
  observed.observe(3, -9.0);
  EXPECT_LT((hallucination.variance() - observed.variance()).cwiseAbs().maxCoeff(), 1e-10);
  // The posterior it reads is untouched.
  EXPECT_EQ(posterior.observation_count(), 2U);
  EXPECT_LT(hallucination.variance()(77), 0.01 * posterior.variance()(77));
}

TEST(Lbfgs, MinimisesTheRosenbrockFunction) {
  const DifferentiableFunction rosenbrock = [](const Eigen::VectorXd& x, Eigen::VectorXd& g) {
    g.resize(2);
    g(0) = -2.0 * (1.0 - x(0)) - 400.0 * x(0) * (x(1) - x(0) * x(0));
    g(1) = 200.0 * (x(1) - x(0) * x(0));
    return (1.0 - x(0)) * (1.0 - x(0)) + 100.0 * (x(1) - x(0) * x(0)) * (x(1) - x(0) * x(0));
  };
  LbfgsOptions options;
  options.max_iterations = 500;
  const auto result = minimize_lbfgs(rosenbrock, Eigen::Vector2d(-1.2, 1.0), options);
  EXPECT_NEAR(result.x(0), 1.0, 1e-4);
  EXPECT_NEAR(result.x(1), 1.0, 1e-4);
}

TEST(GaussianProcess, LeaveOneOutMatchesRefittingWithoutThePoint) {
  const auto x = random_points(30, 2, 21);
  Eigen::VectorXd y(30);
  for (Eigen::Index i = 0; i < 30; ++i) y(i) = std::sin(3.0 * x(i, 0)) * x(i, 1);
  const auto h = some_hyperparameters(2);
  const GaussianProcess gp(h, x, y);
  const auto loo = gp.leave_one_out();
  for (const Eigen::Index left_out : {0, 13, 29}) {
    std::vector<Eigen::Index> rest;
    for (Eigen::Index i = 0; i < 30; ++i)
      if (i != left_out) rest.push_back(i);
    const GaussianProcess without(h, x(rest, Eigen::all), y(rest));
    const auto p = without.predict(x.row(left_out));
    EXPECT_NEAR(loo.mean(left_out), p.mean(0), 1e-8);
    EXPECT_NEAR(loo.variance(left_out), p.variance(0) + h.kernel.noise_variance, 1e-8);
  }
}

}  // namespace
}  // namespace codse
