#include "search/epal_explorer.hpp"

#include "search/explorer_registry.hpp"
#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <random>
#include <utility>

#include "core/pareto_front.hpp"
#include "core/random_draws.hpp"
#include "search/maximin_design.hpp"

namespace codse {
namespace {

Eigen::Index as_index(std::size_t i) { return static_cast<Eigen::Index>(i); }

constexpr double kInfinity = std::numeric_limits<double>::infinity();

/// Every coordinate of a is at most the matching coordinate of b plus slack.
bool within(const Eigen::MatrixXd& a, std::size_t row_a, const Eigen::MatrixXd& b, std::size_t row_b,
            const Eigen::VectorXd& slack) {
  for (Eigen::Index j = 0; j < a.cols(); ++j)
    if (a(as_index(row_a), j) > b(as_index(row_b), j) + slack(j)) return false;
  return true;
}

/// Rows of values at the given candidates, as the matrix pareto_front expects.
Eigen::MatrixXd rows_of(const Eigen::MatrixXd& values, const std::vector<std::size_t>& candidates) {
  Eigen::MatrixXd rows(as_index(candidates.size()), values.cols());
  for (std::size_t r = 0; r < candidates.size(); ++r) rows.row(as_index(r)) = values.row(as_index(candidates[r]));
  return rows;
}

/// The candidates (of the given list) at the listed positions.
std::vector<std::size_t> pick(const std::vector<std::size_t>& candidates, const std::vector<std::size_t>& positions) {
  std::vector<std::size_t> picked;
  picked.reserve(positions.size());
  for (const auto p : positions) picked.push_back(candidates[p]);
  return picked;
}

std::uint64_t mix(std::uint64_t seed, std::uint64_t salt) {
  std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (salt + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

}  // namespace

std::size_t EpalExplorer::initial_sample_count(std::size_t pool_size, std::size_t dimension) {
  // Enough points for a first length-scale estimate per knob, growing slowly with the pool.
  const auto wanted = std::max<std::size_t>(2 * dimension + 2, pool_size / 100);
  return std::min(pool_size, std::min<std::size_t>(wanted, 40));
}

EpalExplorer::EpalExplorer(const ExplorerSetup& setup, EpalOptions options)
    : observations_(*setup.pool, setup.objectives),
      options_(options),
      seed_(setup.seed),
      status_(setup.pool->size(), Status::undecided) {
  const auto& pool = *setup.pool;
  const auto count = options_.initial_samples > 0
                         ? std::min(options_.initial_samples, pool.size())
                         : initial_sample_count(pool.size(), pool.space().dimension());
  choose_initial_samples(count);
}

void EpalExplorer::choose_initial_samples(std::size_t count) {
  // Maximin design from a seeded random design: a few samples spread over every knob's range.
  const auto size = observations_.pool().size();
  std::mt19937_64 rng(mix(seed_, 0));
  fallback_order_.resize(size);
  for (std::size_t i = 0; i < size; ++i) fallback_order_[i] = i;
  draw::shuffle(std::span(fallback_order_), [&](std::size_t m) { return rng() % m; });
  if (size > 0) initial_ = maximin_select(observations_.pool().features(), count, fallback_order_.front());
}

std::vector<Design> EpalExplorer::ask(std::size_t n) {
  const auto chosen = model_started() ? ask_model(n) : ask_initial(n);
  std::vector<Design> designs;
  designs.reserve(chosen.size());
  for (const auto i : chosen) {
    observations_.mark_pending(i);
    designs.push_back(observations_.pool().design(i));
  }
  return designs;
}

std::vector<std::size_t> EpalExplorer::ask_initial(std::size_t n) {
  std::vector<std::size_t> chosen;
  for (const auto i : initial_)
    if (chosen.size() < n && observations_.is_open(i)) chosen.push_back(i);
  if (!chosen.empty()) return chosen;
  // Every initial sample is asked but the model cannot start yet (samples still pending, or too
  // many failed): keep the evaluator busy with random designs, which the model will use too.
  for (; fallback_next_ < fallback_order_.size() && chosen.size() < n; ++fallback_next_)
    if (observations_.is_open(fallback_order_[fallback_next_])) chosen.push_back(fallback_order_[fallback_next_]);
  return chosen;
}

void EpalExplorer::tell(const Trial& trial) {
  const auto i = observations_.record(trial);
  if (observations_.is_failed(i)) {
    status_[i] = Status::discarded;
    return;
  }
  if (!model_started()) {
    if (ready_to_start()) start_model();
    return;
  }
  const bool surprising = observe(observations_.complete().size() - 1);
  const bool grown = static_cast<double>(observed_) >= options_.refit_growth * static_cast<double>(fitted_at_);
  if (grown || surprising) {
    // A scheduled refit may move far (new restarts); a surprise may only adjust the current fit.
    fit_models(grown ? 2 : options_.surprise_restarts);
    if (options_.restart_on_refit) restart();
  }
  iterate();
  // Without self_stop, going on past that point refits only every 10% of new observations.
  const bool confirm_due = options_.self_stop ? fitted_at_ < observed_
                                              : observed_ >= fitted_at_ + std::max<std::size_t>(1, fitted_at_ / 10);
  if (options_.confirm_before_stopping && confirm_due && !any_pending() && selectable().empty()) {
    // About to stop: check the conclusion with hyperparameters fitted on everything seen so
    // far, including the designs that surprised the model, from a clean classification.
    fit_models(options_.confirm_restarts);
    restart();
    iterate();
  }
}

bool EpalExplorer::ready_to_start() const {
  if (observations_.complete().size() < 2) return false;
  return std::all_of(initial_.begin(), initial_.end(), [&](std::size_t i) { return observations_.is_told(i); });
}

void EpalExplorer::start_model() {
  choose_transforms();
  const auto size = as_index(observations_.pool().size());
  const auto k = as_index(observations_.objective_count());
  lower_ = Eigen::MatrixXd::Constant(size, k, -kInfinity);
  upper_ = Eigen::MatrixXd::Constant(size, k, kInfinity);
  fit_models(3);
  iterate();
}

void EpalExplorer::choose_transforms() {
  const auto k = observations_.objective_count();
  const Eigen::MatrixXd values = observations_.values();
  log_scale_.assign(k, false);
  epsilon_.resize(as_index(k));
  for (std::size_t j = 0; j < k; ++j) {
    const auto column = values.col(as_index(j));
    const bool minimised = observations_.objectives()[j].sense == Sense::minimize;
    // Original values are positive when the minimised ones are all > 0 (minimise) or < 0 (maximise).
    log_scale_[j] = minimised ? column.minCoeff() > 0.0 : column.maxCoeff() < 0.0;
    const double range = column.maxCoeff() - column.minCoeff();
    epsilon_(as_index(j)) = log_scale_[j] ? std::log1p(options_.epsilon)
                                          : options_.epsilon * (range > 0.0 ? range : std::max(1.0, column.cwiseAbs().maxCoeff()));
  }
}

double EpalExplorer::model_value(std::size_t objective, double minimised) const {
  if (!log_scale_[objective]) return minimised;
  // minimise v: log v; maximise v (minimised = -v): -log v. Both keep "smaller is better".
  return minimised > 0.0 ? std::log(minimised) : -std::log(-minimised);
}

std::vector<std::size_t> EpalExplorer::fit_subset() const {
  const auto n = observations_.complete().size();
  std::vector<std::size_t> subset;
  if (n <= options_.max_fit_points) {
    for (std::size_t r = 0; r < n; ++r) subset.push_back(r);
    return subset;
  }
  // The points that matter most for the decisions are always in: the surprises (the model must
  // learn from its mistakes) and the evaluated front (where ePAL decides). The rest is random.
  std::vector<bool> taken(n, false);
  auto take = [&](std::size_t r) {
    if (!taken[r] && subset.size() < options_.max_fit_points / 2) {
      taken[r] = true;
      subset.push_back(r);
    }
  };
  for (auto it = surprising_.rbegin(); it != surprising_.rend(); ++it) take(*it);
  Eigen::MatrixXd values(as_index(n), as_index(observations_.objective_count()));
  for (std::size_t r = 0; r < n; ++r)
    for (std::size_t j = 0; j < observations_.objective_count(); ++j)
      values(as_index(r), as_index(j)) = model_value(j, observations_.value(r)[j]);
  for (const auto r : pareto_front(values)) take(r);
  std::vector<std::size_t> rest;
  for (std::size_t r = 0; r < n; ++r)
    if (!taken[r]) rest.push_back(r);
  std::mt19937_64 rng(mix(seed_, 0x5eed + fits_));
  const auto room = options_.max_fit_points - subset.size();
  for (std::size_t i = 0; i < room && i < rest.size(); ++i) {
    std::swap(rest[i], rest[i + rng() % (rest.size() - i)]);
    subset.push_back(rest[i]);
  }
  std::sort(subset.begin(), subset.end());
  return subset;
}

void EpalExplorer::fit_models(std::size_t restarts) {
  const auto& complete = observations_.complete();
  const auto& features = observations_.pool().features();
  const auto subset = fit_subset();
  std::vector<std::size_t> rows;
  for (const auto r : subset) rows.push_back(complete[r]);
  const Eigen::MatrixXd x = features(rows, Eigen::all);
  const auto k = observations_.objective_count();
  const bool first = posteriors_.empty();
  for (std::size_t j = 0; j < k; ++j) {
    Eigen::VectorXd y(as_index(subset.size()));
    for (std::size_t r = 0; r < subset.size(); ++r) y(as_index(r)) = model_value(j, observations_.value(subset[r])[j]);
    GpFitOptions fit;
    fit.max_points = subset.size();
    fit.max_noise_ratio = options_.max_noise_ratio;
    fit.max_length_scale = options_.max_length_scale;
    fit.length_scale_prior_sd = options_.length_scale_prior_sd;
    fit.restarts = first ? std::max<std::size_t>(restarts, 3) : restarts;
    fit.seed = mix(seed_, 1 + fits_ * k + j);
    if (!first) fit.warm_start = posteriors_[j].hyperparameters().kernel;
    auto hyperparameters = fit_hyperparameters(x, y, fit);
    if (first) {
      posteriors_.emplace_back(features, std::move(hyperparameters), options_.dense_posterior_bytes);
      if (iteration_ > 0) posteriors_.back().set_needed(needed());  // a restart of the model
    } else {
      posteriors_[j].set_hyperparameters(std::move(hyperparameters));
    }
  }
  if (first) {
    squared_residuals_.assign(k, 0.0);
    for (std::size_t r = 0; r < complete.size(); ++r) observe(r);
    residuals_ = 0;  // in-sample: the hyperparameters have seen these points
    squared_residuals_.assign(k, 0.0);
    surprising_.clear();
  }
  fitted_at_ = complete.size();
  ++fits_;
}

bool EpalExplorer::observe(std::size_t complete_index) {
  const auto i = observations_.complete()[complete_index];
  const auto& values = observations_.value(complete_index);
  bool surprising = false;
  for (std::size_t j = 0; j < posteriors_.size(); ++j) {
    const bool positive = values[j] != 0.0 &&
                          (observations_.objectives()[j].sense == Sense::minimize) == (values[j] > 0.0);
    if (log_scale_[j] && !positive) {
      // A value the log cannot take: model this objective as it is from now on, from scratch.
      posteriors_.clear();
      choose_transforms();  // sees the new value, so objective j is no longer log-scaled
      lower_.setConstant(-kInfinity);
      upper_.setConstant(kInfinity);
      fit_models(3);
      return false;
    }
    const double y = model_value(j, values[j]);
    // How wrong was the prediction, compared with how wrong predictions have been so far?
    const double error = y - posteriors_[j].mean()(as_index(i));
    if (residuals_ >= 5 && error * error > options_.surprise * options_.surprise * squared_residuals_[j] / static_cast<double>(residuals_))
      surprising = true;
    squared_residuals_[j] += error * error;
    posteriors_[j].observe(i, y);
  }
  ++residuals_;
  observed_ = complete_index + 1;
  if (surprising) surprising_.push_back(complete_index);
  return surprising;
}

void EpalExplorer::restart() {
  for (std::size_t i = 0; i < status_.size(); ++i) {
    if (observations_.is_failed(i)) continue;
    status_[i] = Status::undecided;
    if (!observations_.is_told(i)) {
      lower_.row(as_index(i)).setConstant(-kInfinity);
      upper_.row(as_index(i)).setConstant(kInfinity);
    }
  }
  // Discarded designs are back: a compact posterior froze their means and variances.
  for (auto& posterior : posteriors_) posterior.refresh_untracked();
}

void EpalExplorer::iterate() {
  ++iteration_;
  const double designs = static_cast<double>(observations_.pool().size());
  const double objectives = static_cast<double>(observations_.objective_count());
  const double t = static_cast<double>(iteration_);
  const double scale = options_.beta_scale > 0.0 ? options_.beta_scale : options_.self_stop ? 1.0 : 1.0 / 9.0;
  beta_ = scale * 2.0 *
          std::log(objectives * designs * std::numbers::pi * std::numbers::pi * t * t / (6.0 * options_.delta));
  update_boxes(beta_);
  discard();
  classify();
  const auto still_needed = needed();
  for (auto& posterior : posteriors_) posterior.set_needed(still_needed);
}

std::vector<bool> EpalExplorer::needed() const {
  std::vector<bool> result(status_.size());
  for (std::size_t i = 0; i < status_.size(); ++i)
    result[i] = !observations_.is_told(i) && (status_[i] != Status::discarded || observations_.is_pending(i));
  return result;
}

void EpalExplorer::update_boxes(double beta) {
  const double root_beta = std::sqrt(beta);
  const auto& complete = observations_.complete();
  for (std::size_t r = 0; r < complete.size(); ++r) {
    for (std::size_t j = 0; j < posteriors_.size(); ++j) {
      const double measured = model_value(j, observations_.value(r)[j]);
      lower_(as_index(complete[r]), as_index(j)) = upper_(as_index(complete[r]), as_index(j)) = measured;
    }
  }
  for (std::size_t i = 0; i < status_.size(); ++i) {
    if (status_[i] == Status::discarded || observations_.is_told(i)) continue;
    const auto row = as_index(i);
    for (std::size_t j = 0; j < posteriors_.size(); ++j) {
      const auto col = as_index(j);
      const double mean = posteriors_[j].mean()(row);
      const double half = root_beta * std::sqrt(posteriors_[j].variance()(row));
      double lo = options_.intersect ? std::max(lower_(row, col), mean - half) : mean - half;
      double hi = options_.intersect ? std::min(upper_(row, col), mean + half) : mean + half;
      if (lo > hi) {
        // The model changed its mind (typically after a refit): the old box and the new one
        // disagree, so keep everything either of them allows.
        lo = std::min(lower_(row, col), mean - half);
        hi = std::max(upper_(row, col), mean + half);
      }
      lower_(row, col) = lo;
      upper_(row, col) = hi;
    }
  }
}

void EpalExplorer::discard() {
  std::vector<std::size_t> remaining;
  for (std::size_t i = 0; i < status_.size(); ++i)
    if (status_[i] != Status::discarded) remaining.push_back(i);
  // The pessimistic Pareto set: whatever a design's true value, one of these is at least as good.
  auto pessimistic = pick(remaining, pareto_front(rows_of(upper_, remaining)));
  std::vector<bool> in_pessimistic(status_.size(), false);
  for (const auto p : pessimistic) in_pessimistic[p] = true;
  for (const auto x : remaining) {
    if (status_[x] != Status::undecided) continue;
    for (const auto p : pessimistic) {
      if (p == x || !in_pessimistic[p] || !within(upper_, p, lower_, x, epsilon_)) continue;
      status_[x] = Status::discarded;
      // A discarded design discards no other: two designs within eps of each other would
      // otherwise remove each other and leave that part of the front empty.
      in_pessimistic[x] = false;
      break;
    }
  }
}

void EpalExplorer::classify() {
  std::vector<std::size_t> remaining;
  for (std::size_t i = 0; i < status_.size(); ++i)
    if (status_[i] != Status::discarded) remaining.push_back(i);
  // x is Pareto unless some other design's optimistic corner beats x's pessimistic one by eps.
  // Such a design exists iff one exists among the optimistic fronts F1 of all designs and F2 of
  // the rest: checking F1 \ {x} and F2 is enough (F1 alone is, for x outside F1).
  const auto first = pick(remaining, pareto_front(rows_of(lower_, remaining)));
  std::vector<bool> in_first(status_.size(), false);
  for (const auto f : first) in_first[f] = true;
  std::vector<std::size_t> rest;
  for (const auto i : remaining)
    if (!in_first[i]) rest.push_back(i);
  const auto second = pick(rest, pareto_front(rows_of(lower_, rest)));
  const Eigen::VectorXd minus_epsilon = -epsilon_;
  auto beaten_by = [&](std::size_t x, const std::vector<std::size_t>& others) {
    return std::any_of(others.begin(), others.end(), [&](std::size_t o) {
      return o != x && within(lower_, o, upper_, x, minus_epsilon);
    });
  };
  for (const auto x : remaining) {
    if (status_[x] != Status::undecided) continue;
    const bool beaten = beaten_by(x, first) || (in_first[x] && beaten_by(x, second));
    if (!beaten) status_[x] = Status::pareto;
  }
}

bool EpalExplorer::has_undecided() const {
  return std::any_of(status_.begin(), status_.end(), [](Status s) { return s == Status::undecided; });
}

std::vector<std::size_t> EpalExplorer::selectable() const {
  const bool undecided_left = has_undecided();
  std::vector<std::size_t> result;
  for (std::size_t i = 0; i < status_.size(); ++i) {
    if (!observations_.is_open(i) || status_[i] == Status::discarded) continue;
    if (undecided_left || (options_.evaluate_predicted_front && status_[i] == Status::pareto)) result.push_back(i);
  }
  return result;
}

std::vector<std::size_t> EpalExplorer::ask_model(std::size_t n) {
  const auto candidates = selectable();
  std::vector<std::size_t> chosen;
  if (candidates.empty() && !options_.self_stop) return ask_revived(n);
  if (candidates.empty() || n == 0) return chosen;
  std::vector<std::size_t> pending;
  for (std::size_t i = 0; i < status_.size(); ++i)
    if (observations_.is_pending(i)) pending.push_back(i);
  // Designs being evaluated and designs picked for this batch shrink their neighbours' boxes as if
  // already observed, so a batch spreads out instead of asking one region n times.
  std::vector<GpHallucination> hallucinations;
  for (const auto& posterior : posteriors_) hallucinations.emplace_back(posterior);
  for (auto& hallucination : hallucinations)
    for (const auto p : pending) hallucination.observe(p);
  const double root_beta = std::sqrt(beta_);
  std::vector<bool> taken(status_.size(), false);
  while (chosen.size() < n) {
    double best_diameter = -1.0;
    std::size_t best = 0;
    for (const auto i : candidates) {
      if (taken[i]) continue;
      const auto row = as_index(i);
      double diameter = 0.0;
      for (std::size_t j = 0; j < posteriors_.size(); ++j) {
        const auto col = as_index(j);
        const double mean = posteriors_[j].mean()(row);
        const double half = root_beta * std::sqrt(hallucinations[j].variance()(row));
        double lo = options_.intersect ? std::max(lower_(row, col), mean - half) : mean - half;
        double hi = options_.intersect ? std::min(upper_(row, col), mean + half) : mean + half;
        if (lo > hi) {
          lo = mean - half;
          hi = mean + half;
        }
        diameter += (hi - lo) * (hi - lo);
      }
      // Designs classified Pareto come first: a study's result is what was evaluated, so a
      // design the model is sure about is worth measuring before exploring further.
      if (options_.pareto_first && status_[i] == Status::pareto) diameter += 1e6;
      if (diameter > best_diameter) {
        best_diameter = diameter;
        best = i;
      }
    }
    if (best_diameter < 0.0) break;
    chosen.push_back(best);
    taken[best] = true;
    if (chosen.size() < n)
      for (auto& hallucination : hallucinations) hallucination.observe(best);
  }
  return chosen;
}

bool EpalExplorer::any_pending() const {
  for (std::size_t i = 0; i < status_.size(); ++i)
    if (observations_.is_pending(i)) return true;
  return false;
}

std::vector<std::size_t> EpalExplorer::ask_revived(std::size_t n) const {
  const auto& complete = observations_.complete();
  const auto k = observations_.objective_count();
  Eigen::MatrixXd measured(as_index(complete.size()), as_index(k));
  for (std::size_t r = 0; r < complete.size(); ++r) measured.row(as_index(r)) = lower_.row(as_index(complete[r]));
  const Eigen::MatrixXd front = rows_of(measured, pareto_front(measured));
  std::vector<std::pair<double, std::size_t>> ranked;
  for (std::size_t i = 0; i < status_.size(); ++i) {
    if (!observations_.is_open(i)) continue;
    double deepest = -kInfinity;
    for (Eigen::Index e = 0; e < front.rows(); ++e)
      deepest = std::max(deepest, (lower_.row(as_index(i)) - front.row(e)).minCoeff());
    ranked.emplace_back(deepest, i);
  }
  const std::size_t count = std::min(n, ranked.size());
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(count), ranked.end());
  std::vector<std::size_t> chosen;
  for (std::size_t r = 0; r < count; ++r) chosen.push_back(ranked[r].second);
  return chosen;
}

bool EpalExplorer::done() const {
  if (observations_.open_count() == 0) return true;
  if (!options_.self_stop) return false;
  if (!model_started()) return false;
  if (!selectable().empty()) return false;
  return !has_undecided() || !any_pending();
}

std::vector<std::size_t> EpalExplorer::predicted_pareto() const {
  std::vector<std::size_t> result;
  for (std::size_t i = 0; i < status_.size(); ++i)
    if (status_[i] == Status::pareto) result.push_back(i);
  return result;
}

ExplorerEntry epal_explorer_entry() {
  using O = EpalOptions;
  return typed_explorer_entry<EpalExplorer, O>(
      "epal", "epsilon-PAL: Gaussian processes classify designs until the front is decided (Zuluaga et al., JMLR 2016)",
      {bound_option<O>("epsilon", &O::epsilon, OptionRange::at_least(0),
                       "accuracy per objective, relative for positive objectives (0.01: 1%)"),
       bound_option<O>("delta", &O::delta, OptionRange::open(0, 1), "confidence parameter of beta_t"),
       bound_option<O>("beta_scale", &O::beta_scale, OptionRange::at_least(0),
                       "factor on beta_t; 0: 1/9, or 1 with self_stop"),
       bound_option<O>("initial_samples", &O::initial_samples, OptionRange::at_least(0),
                       "designs sampled before the first model; 0 chooses from the pool"),
       bound_option<O>("max_fit_points", &O::max_fit_points, OptionRange::at_least(2),
                       "designs a hyperparameter fit uses at most"),
       bound_option<O>("refit_growth", &O::refit_growth, OptionRange::at_least(1),
                       "refit the hyperparameters when the observations grew by this factor"),
       bound_option<O>("length_scale_prior_sd", &O::length_scale_prior_sd, OptionRange::at_least(0),
                       "log-normal prior on the length scales (0: maximum likelihood)"),
       bound_option<O>("max_length_scale", &O::max_length_scale, OptionRange::above(0),
                       "upper bound of the GP length scales"),
       bound_option<O>("max_noise_ratio", &O::max_noise_ratio, OptionRange::above(0),
                       "upper bound of a GP's noise variance relative to its data's"),
       bound_option<O>("intersect", &O::intersect, OptionRange::any(),
                       "intersect the boxes over iterations, as in the paper"),
       bound_option<O>("pareto_first", &O::pareto_first, OptionRange::any(),
                       "ask designs classified Pareto before undecided ones"),
       bound_option<O>("evaluate_predicted_front", &O::evaluate_predicted_front, OptionRange::any(),
                       "once nothing is undecided, ask the predicted Pareto designs not yet evaluated"),
       bound_option<O>("surprise", &O::surprise, OptionRange::above(0),
                       "refit when an error exceeds this many RMS errors (inf: never)"),
       bound_option<O>("surprise_restarts", &O::surprise_restarts, OptionRange::at_least(1),
                       "optimisations of a refit after a surprise"),
       bound_option<O>("restart_on_refit", &O::restart_on_refit, OptionRange::any(),
                       "forget the classification of unevaluated designs after each refit"),
       bound_option<O>("confirm_before_stopping", &O::confirm_before_stopping, OptionRange::any(),
                       "refit and classify afresh before stopping"),
       bound_option<O>("confirm_restarts", &O::confirm_restarts, OptionRange::at_least(1),
                       "optimisations of that refit"),
       bound_option<O>("self_stop", &O::self_stop, OptionRange::any(),
                       "stop once nothing is undecided (off: go on with the discarded designs)")});
}

}  // namespace codse
