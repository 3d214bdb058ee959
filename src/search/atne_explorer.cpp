#include "search/atne_explorer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <cstdio>
#include <cstdlib>

#include "core/pareto_front.hpp"
#include "learn/forest_features.hpp"

namespace codse {
namespace {

constexpr std::size_t kMinimumTraining = 3;  ///< complete trials before the first fit

/// Nearest-rank quantile; values is reordered. 0 for an empty list.
double quantile(std::vector<double>& values, double q) {
  if (values.empty()) return 0.0;
  const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size())));
  const auto k = std::min(values.size() - 1, rank == 0 ? 0 : rank - 1);
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
  return values[k];
}

std::size_t automatic_initial_samples(std::size_t pool) {
  return std::clamp<std::size_t>(static_cast<std::size_t>(std::lround(0.02 * static_cast<double>(pool))), 10, 40);
}

}  // namespace

EnsembleOptions AtneOptions::default_ensemble() {
  EnsembleOptions ensemble;
  ensemble.forests = 5;
  ensemble.forest.trees = 20;
  ensemble.forest.tree.min_leaf = 1;
  return ensemble;
}

AtneExplorer::AtneExplorer(const ExplorerSetup& setup, AtneOptions options)
    : observations_(*setup.pool, setup.objectives),
      options_(std::move(options)),
      seed_(setup.seed),
      rng_(setup.seed ^ 0xa7e0a7e0a7e0a7e0ULL),
      objective_count_(setup.objectives.size()),
      forests_(std::max<std::size_t>(options_.ensemble.forests, 1)),
      votes_needed_(std::max<std::size_t>(
          1, static_cast<std::size_t>(std::ceil(options_.elimination_votes * static_cast<double>(forests_))))),
      eliminated_(setup.pool->size(), 0),
      scales_(setup.objectives.size(), Scale::identity),
      models_(setup.objectives.size()) {
  options_.ensemble.forests = forests_;
}

std::vector<Design> AtneExplorer::ask(std::size_t n) {
  if (!started_) {
    const std::size_t count = options_.initial_samples > 0
                                  ? options_.initial_samples
                                  : automatic_initial_samples(observations_.pool().size());
    ted_ = ted_select(observations_.pool().features(), count, options_.ted, seed_);
    started_ = true;
  }
  std::vector<std::size_t> picks = initial_picks(n);
  // A batch that finishes the initial sample stops there: the models need its results.
  if (picks.empty() && n > 0) {
    if (observations_.complete().size() < kMinimumTraining) {
      picks = random_picks(n);
    } else {
      if (fit_due()) fit();
      picks = model_picks(n);
    }
  }
  std::vector<Design> designs;
  for (std::size_t c : picks) {
    observations_.mark_pending(c);
    designs.push_back(observations_.pool().design(c));
  }
  pending_ += picks.size();
  return designs;
}

std::vector<std::size_t> AtneExplorer::initial_picks(std::size_t n) {
  std::vector<std::size_t> picks;
  for (; ted_next_ < ted_.size() && picks.size() < n; ++ted_next_)
    if (observations_.is_open(ted_[ted_next_])) picks.push_back(ted_[ted_next_]);
  return picks;
}

/// Only when too many initial designs failed to fit a model: uniform among the open ones.
std::vector<std::size_t> AtneExplorer::random_picks(std::size_t n) {
  std::vector<std::size_t> open;
  for (std::size_t c = 0; c < observations_.pool().size(); ++c)
    if (observations_.is_open(c)) open.push_back(c);
  std::vector<std::size_t> picks;
  while (picks.size() < n && !open.empty()) {
    const std::size_t k = rng_.below(open.size());
    picks.push_back(open[k]);
    open.erase(open.begin() + static_cast<std::ptrdiff_t>(k));
  }
  return picks;
}

void AtneExplorer::tell(const Trial& trial) {
  const auto index = observations_.pool().index_of(trial.design);
  if (index && observations_.is_pending(*index)) --pending_;
  observations_.record(trial);
  if (trial.status == TrialStatus::failed) return;
  const std::vector<double>& value = observations_.value(observations_.complete().size() - 1);
  Eigen::RowVectorXd row(static_cast<Eigen::Index>(objective_count_));
  for (std::size_t j = 0; j < objective_count_; ++j)
    row[static_cast<Eigen::Index>(j)] = scaled(j, value[j]);
  if (!row.allFinite()) {
    refit_needed_ = true;  // the scales change at the next fit
    return;
  }
  scaled_values_.conservativeResize(scaled_values_.rows() + 1, static_cast<Eigen::Index>(objective_count_));
  scaled_values_.row(scaled_values_.rows() - 1) = row;
  if (refit_needed_) return;
  refresh_front();
  if (fitted_) eliminate();
}

bool AtneExplorer::done() const {
  if (pending_ > 0) return false;
  if (!fitted_) return observations_.open_count() == 0;
  return std::none_of(active_.begin(), active_.end(),
                      [&](std::size_t c) { return observations_.is_open(c); });
}

double AtneExplorer::scaled(std::size_t objective, double minimised) const {
  switch (scales_[objective]) {
    case Scale::log: return minimised > 0.0 ? std::log(minimised) : std::numeric_limits<double>::quiet_NaN();
    case Scale::negated_log:
      return minimised < 0.0 ? -std::log(-minimised) : std::numeric_limits<double>::quiet_NaN();
    case Scale::identity: break;
  }
  return minimised;
}

bool AtneExplorer::fit_due() const {
  if (!fitted_ || refit_needed_) return true;
  const std::size_t grown = observations_.complete().size() - fitted_on_;
  const auto step = static_cast<std::size_t>(options_.retrain_growth * static_cast<double>(fitted_on_));
  return grown >= std::max<std::size_t>(step, 1);
}

void AtneExplorer::fit() {
  const std::vector<std::size_t>& complete = observations_.complete();
  const Eigen::MatrixXd values = observations_.values();
  for (std::size_t j = 0; j < objective_count_; ++j) {
    const auto column = values.col(static_cast<Eigen::Index>(j));
    scales_[j] = (column.array() > 0.0).all()   ? Scale::log
                 : (column.array() < 0.0).all() ? Scale::negated_log
                                                : Scale::identity;
  }
  scaled_values_.resize(values.rows(), values.cols());
  for (Eigen::Index r = 0; r < values.rows(); ++r)
    for (Eigen::Index j = 0; j < values.cols(); ++j)
      scaled_values_(r, j) = scaled(static_cast<std::size_t>(j), values(r, j));
  refresh_front();

  const Eigen::MatrixXd& features = observations_.pool().features();
  Eigen::MatrixXd x(static_cast<Eigen::Index>(complete.size()), features.cols());
  for (std::size_t r = 0; r < complete.size(); ++r)
    x.row(static_cast<Eigen::Index>(r)) = features.row(static_cast<Eigen::Index>(complete[r]));
  const BinnedFeatures binned(x);
  // Seeds depend on the explorer's seed and the fit's number only, so a replay refits the same.
  ForestRng seeds(seed_ ^ (0x9e3779b97f4a7c15ULL * (fits_ + 1)));
  for (std::size_t j = 0; j < objective_count_; ++j) {
    const Eigen::VectorXd y = scaled_values_.col(static_cast<Eigen::Index>(j));
    models_[j].fit(binned, std::span<const double>(y.data(), complete.size()), options_.ensemble,
                   seeds.next());
  }
  fit_thresholds();

  active_.clear();
  for (std::size_t c = 0; c < observations_.pool().size(); ++c)
    if (observations_.is_open(c) && !eliminated_[c]) active_.push_back(c);
  predict_active();
  fitted_ = true;
  refit_needed_ = false;
  fitted_on_ = complete.size();
  ++fits_;
  eliminate();
}

void AtneExplorer::fit_thresholds() {
  thresholds_.assign(forests_ * objective_count_, 0.0);
  std::vector<bool> on_front(static_cast<std::size_t>(scaled_values_.rows()), !options_.front_pairs);
  for (std::size_t r : pareto_front(scaled_values_)) on_front[r] = true;
  std::vector<double> gaps;
  const Eigen::Index n = scaled_values_.rows();
  for (std::size_t j = 0; j < objective_count_; ++j) {
    const Eigen::MatrixXd oob = models_[j].oob_predictions();
    const auto truth = scaled_values_.col(static_cast<Eigen::Index>(j));
    for (std::size_t f = 0; f < forests_; ++f) {
      const auto predicted_col = oob.col(static_cast<Eigen::Index>(f));
      gaps.clear();
      if (options_.overprediction) {
        // For each evaluated a: the largest margin by which the forest would have wrongly
        // eliminated it in favour of a truly worse evaluated b (o(a) - t(b) with t(a) < t(b)).
        for (Eigen::Index a = 0; a < n; ++a) {
          if (std::isnan(predicted_col[a]) || !on_front[static_cast<std::size_t>(a)]) continue;
          double next_worse = std::numeric_limits<double>::infinity();
          for (Eigen::Index b = 0; b < n; ++b)
            if (truth[b] > truth[a]) next_worse = std::min(next_worse, truth[b]);
          if (std::isfinite(next_worse)) gaps.push_back(std::max(0.0, predicted_col[a] - next_worse));
        }
      } else {
        for (Eigen::Index a = 0; a < n; ++a) {
          if (std::isnan(predicted_col[a])) continue;
          for (Eigen::Index b = a + 1; b < n; ++b) {
            if (std::isnan(predicted_col[b])) continue;
            const double true_gap = truth[a] - truth[b];
            if (true_gap == 0.0) continue;
            const Eigen::Index better = true_gap < 0.0 ? a : b;
            if (!on_front[static_cast<std::size_t>(better)]) continue;
            if ((predicted_col[a] - predicted_col[b]) * true_gap <= 0.0) gaps.push_back(std::abs(true_gap));
          }
        }
      }
      thresholds_[f * objective_count_ + j] = quantile(gaps, options_.threshold_quantile);
    }
  }
}

void AtneExplorer::predict_active() {
  predictions_.resize(observations_.pool().size() * forests_ * objective_count_);
  std::vector<double> out(active_.size());
  const Eigen::MatrixXd& features = observations_.pool().features();
  for (std::size_t j = 0; j < objective_count_; ++j)
    for (std::size_t f = 0; f < forests_; ++f) {
      models_[j].forest(f).predict_rows(features, active_, out);
      for (std::size_t k = 0; k < active_.size(); ++k)
        predictions_[(active_[k] * forests_ + f) * objective_count_ + j] = out[k];
    }
}

void AtneExplorer::refresh_front() {
  front_ = select_rows(scaled_values_, pareto_front(scaled_values_));
}

template <class Value, class Margin>
double AtneExplorer::domination(const Value& value, const Margin& margin) const {
  double deepest = -std::numeric_limits<double>::infinity();
  for (Eigen::Index e = 0; e < front_.rows(); ++e) {
    double depth = std::numeric_limits<double>::infinity();
    for (std::size_t j = 0; j < objective_count_; ++j)
      depth = std::min(depth, value(j) - margin(j) - front_(e, static_cast<Eigen::Index>(j)));
    deepest = std::max(deepest, depth);
  }
  return deepest;
}

void AtneExplorer::eliminate() {
  std::size_t kept = 0;
  for (std::size_t c : active_) {
    if (!observations_.is_open(c)) continue;
    std::size_t votes = 0;
    for (std::size_t f = 0; f < forests_; ++f) {
      const double depth = domination([&](std::size_t j) { return predicted(c, f, j); },
                                      [&](std::size_t j) { return thresholds_[f * objective_count_ + j]; });
      if (depth > 0.0) ++votes;
    }
    if (std::getenv("ATNE_DEBUG") && (c == 786 || c == 1734 || c == 13)) {
      std::fprintf(stderr, "cand %zu told %zu votes %zu front %ld:", c, observations_.complete().size(), votes, (long)front_.rows());
      for (std::size_t f = 0; f < forests_; ++f)
        std::fprintf(stderr, " [%.2f %.2f | %.2f %.2f]", predicted(c, f, 0), predicted(c, f, 1), thresholds_[f * 2], thresholds_[f * 2 + 1]);
      std::fprintf(stderr, "\n");
    }
    if (votes >= votes_needed_) {
      eliminated_[c] = 1;
      ++eliminated_count_;
      continue;
    }
    active_[kept++] = c;
  }
  active_.resize(kept);
}

std::vector<std::size_t> AtneExplorer::model_picks(std::size_t n) {
  std::erase_if(active_, [&](std::size_t c) { return !observations_.is_open(c); });
  const std::size_t count = active_.size();
  const std::size_t width = forests_;
  // Per candidate and forest: depth inside the dominated region with the thresholds (votes) and
  // without them (ranking).
  std::vector<double> voting(count * width), margin(count * width);
  for (std::size_t a = 0; a < count; ++a)
    for (std::size_t f = 0; f < width; ++f) {
      const std::size_t c = active_[a];
      auto value = [&](std::size_t j) { return predicted(c, f, j); };
      voting[a * width + f] =
          domination(value, [&](std::size_t j) { return thresholds_[f * objective_count_ + j]; });
      margin[a * width + f] = options_.rank_with_thresholds ? voting[a * width + f]
                                                             : domination(value, [](std::size_t) { return 0.0; });
    }
  struct Key {
    std::size_t votes;
    double score;
  };
  auto key_of = [&](std::size_t a) {
    Key key{0, 0.0};
    double sum = 0.0, sum_squares = 0.0;
    for (std::size_t f = 0; f < width; ++f) {
      if (voting[a * width + f] > 0.0) ++key.votes;
      sum += margin[a * width + f];
      sum_squares += margin[a * width + f] * margin[a * width + f];
    }
    const double mean = sum / static_cast<double>(width);
    const double spread = std::sqrt(std::max(0.0, sum_squares / static_cast<double>(width) - mean * mean));
    key.score = mean - options_.optimism * spread;
    return key;
  };
  std::vector<Key> keys(count);
  for (std::size_t a = 0; a < count; ++a) keys[a] = key_of(a);
  std::vector<bool> taken(count, false);
  std::vector<std::size_t> picks;
  while (picks.size() < n) {
    std::size_t best = count;
    for (std::size_t a = 0; a < count; ++a) {
      if (taken[a]) continue;
      if (best == count || keys[a].votes < keys[best].votes ||
          (keys[a].votes == keys[best].votes && keys[a].score < keys[best].score))
        best = a;
    }
    if (best == count) break;
    taken[best] = true;
    picks.push_back(active_[best]);
    if (picks.size() == n) break;
    // The pick's predictions act as an evaluated point for the rest of the batch.
    const std::size_t chosen = active_[best];
    for (std::size_t a = 0; a < count; ++a) {
      if (taken[a]) continue;
      for (std::size_t f = 0; f < width; ++f) {
        double with_threshold = std::numeric_limits<double>::infinity(), plain = with_threshold;
        for (std::size_t j = 0; j < objective_count_; ++j) {
          const double gap = predicted(active_[a], f, j) - predicted(chosen, f, j);
          with_threshold = std::min(with_threshold, gap - thresholds_[f * objective_count_ + j]);
          plain = std::min(plain, gap);
        }
        voting[a * width + f] = std::max(voting[a * width + f], with_threshold);
        margin[a * width + f] =
            std::max(margin[a * width + f], options_.rank_with_thresholds ? with_threshold : plain);
      }
      keys[a] = key_of(a);
    }
  }
  return picks;
}

}  // namespace codse
