#include "search/atne_explorer.hpp"

#include "search/explorer_registry.hpp"
#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <utility>

#include "core/normal_quantile.hpp"
#include "core/pareto_front.hpp"
#include "core/random_draws.hpp"
#include "learn/forest_features.hpp"
#include "search/maximin_design.hpp"

namespace codse {
namespace {

constexpr std::size_t kMinimumTraining = 3;  ///< complete trials before the first fit
constexpr double kInfinity = std::numeric_limits<double>::infinity();

/// Nearest-rank quantile of [first, last), which is reordered; 0 for an empty range.
double quantile(double* first, double* last, double q) {
  const auto size = static_cast<std::size_t>(last - first);
  if (size == 0) return 0.0;
  const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(size)));
  const std::size_t k = std::min(size - 1, rank == 0 ? 0 : rank - 1);
  std::nth_element(first, first + k, last);
  return first[k];
}

/// Samples of each candidate's normal approximation that the expected improvement averages.
constexpr std::size_t kImprovementSamples = 64;

std::size_t automatic_initial_samples(std::size_t pool) {
  const auto two_percent = static_cast<std::size_t>(std::lround(0.02 * static_cast<double>(pool)));
  return std::clamp<std::size_t>(two_percent, 10, 40);
}

auto no_margin() {
  return [](std::size_t) { return 0.0; };
}

}  // namespace

EnsembleOptions AtneOptions::default_ensemble() {
  EnsembleOptions ensemble;
  ensemble.forests = 5;
  ensemble.forest.trees = 20;
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
          1, static_cast<std::size_t>(
                 std::ceil(options_.elimination_votes * static_cast<double>(forests_))))),
      eliminated_(setup.pool->size(), 0),
      scales_(setup.objectives.size(), Scale::identity),
      models_(setup.objectives.size()),
      features_(setup.pool->features()) {
  options_.ensemble.forests = forests_;
  options_.ensemble.forest.trees = std::max<std::size_t>(options_.ensemble.forest.trees, 1);
}

void AtneExplorer::start() {
  const auto pool = observations_.pool().size();
  const std::size_t count = options_.initial_samples > 0 ? options_.initial_samples : automatic_initial_samples(pool);
  // A Latin hypercube from the explorer's generator (the same draws on every platform for a
  // seed): objective j's draws take one value in each stratum [s, s + 1) / samples of the normal's
  // probability, the strata shuffled so that the objectives pair up at random.
  normal_draws_.resize(kImprovementSamples * objective_count_);
  std::vector<std::size_t> stratum(kImprovementSamples);
  for (std::size_t j = 0; j < objective_count_; ++j) {
    for (std::size_t s = 0; s < kImprovementSamples; ++s) stratum[s] = s;
    draw::shuffle(std::span(stratum), [this](std::size_t m) { return rng_.below(m); });
    for (std::size_t s = 0; s < kImprovementSamples; ++s) {
      const double u = std::max(rng_.uniform(), 0x1.0p-53);  // in (0, 1): p > 0 in stratum 0 too
      const double p = (static_cast<double>(stratum[s]) + u) / static_cast<double>(kImprovementSamples);
      normal_draws_[s * objective_count_ + j] = normal_quantile(p);
    }
  }
  tie_rank_.resize(pool);
  for (std::size_t c = 0; c < pool; ++c) tie_rank_[c] = c;
  draw::shuffle(std::span(tie_rank_), [this](std::size_t m) { return rng_.below(m); });
  if (options_.ted_initial) {
    // A seeded subset of the pool, so that each seed starts from another representative sample.
    TedOptions ted = options_.ted;
    const auto fraction = static_cast<std::size_t>(std::ceil(options_.ted_pool_fraction * static_cast<double>(pool)));
    ted.subset_limit = std::min(ted.subset_limit, std::max(fraction, 4 * count));
    initial_ = ted_select(observations_.pool().features(), count, ted, seed_);
  } else {
    // Maximin from the seed's first candidate in random order.
    const auto first = static_cast<std::size_t>(std::min_element(tie_rank_.begin(), tie_rank_.end()) - tie_rank_.begin());
    initial_ = maximin_select(observations_.pool().features(), count, first);
  }
  started_ = true;
}

std::vector<Design> AtneExplorer::ask(std::size_t n) {
  if (!started_) start();
  std::vector<std::size_t> picks = initial_picks(n);
  // A batch that finishes the initial sample stops there: the models need its results.
  if (picks.empty() && n > 0) {
    if (observations_.complete().size() < kMinimumTraining) {
      picks = random_picks(n);
    } else {
      if (fit_due()) fit();
      picks = model_picks(n);
      if (picks.empty() && fitted_on_ < observations_.complete().size()) {
        fit();  // nothing left by models that have not seen every result: ask theirs first
        picks = model_picks(n);
      }
      if (picks.empty() && !options_.self_stop) picks = revived_picks(n);
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
  for (; initial_next_ < initial_.size() && picks.size() < n; ++initial_next_)
    if (observations_.is_open(initial_[initial_next_])) picks.push_back(initial_[initial_next_]);
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
  const bool was_pending = index && observations_.is_pending(*index);
  observations_.record(trial);
  if (was_pending) --pending_;
  if (trial.status == TrialStatus::complete) {
    const std::vector<double>& value = observations_.value(observations_.complete().size() - 1);
    Eigen::RowVectorXd row(static_cast<Eigen::Index>(objective_count_));
    for (std::size_t j = 0; j < objective_count_; ++j)
      row[static_cast<Eigen::Index>(j)] = scaled(j, value[j]);
    if (row.allFinite()) {
      scaled_values_.conservativeResize(scaled_values_.rows() + 1,
                                        static_cast<Eigen::Index>(objective_count_));
      scaled_values_.row(scaled_values_.rows() - 1) = row;
    } else {
      refit_needed_ = true;  // the scales change at the next fit
    }
    if (!refit_needed_) {
      refresh_front();
      if (fitted_) eliminate();
    }
  }
  // Before saying "done", make sure the models that say so have seen every result.
  const bool stale = refit_needed_ || fitted_on_ < observations_.complete().size();
  if (fitted_ && pending_ == 0 && stale && done()) fit();
}

bool AtneExplorer::done() const {
  if (pending_ > 0) return false;
  if (!options_.self_stop) return observations_.open_count() == 0;
  if (!fitted_) return observations_.open_count() == 0;
  return std::none_of(active_.begin(), active_.end(),
                      [&](std::size_t c) { return observations_.is_open(c); });
}

double AtneExplorer::scaled(std::size_t objective, double minimised) const {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  switch (scales_[objective]) {
    case Scale::log: return minimised > 0.0 ? std::log(minimised) : nan;
    case Scale::negated_log: return minimised < 0.0 ? -std::log(-minimised) : nan;
    case Scale::identity: break;
  }
  return minimised;
}

bool AtneExplorer::fit_due() const {
  if (!fitted_ || refit_needed_) return true;
  const std::size_t grown = observations_.complete().size() - fitted_on_;
  const auto step =
      static_cast<std::size_t>(options_.retrain_growth * static_cast<double>(fitted_on_));
  return grown >= std::max<std::size_t>(step, 1);
}

void AtneExplorer::fit() {
  choose_scales();
  refresh_front();
  fit_models();
  fit_thresholds();
  active_.clear();
  for (std::size_t c = 0; c < observations_.pool().size(); ++c) {
    if (!options_.permanent_elimination && eliminated_[c]) {
      eliminated_[c] = 0;
      --eliminated_count_;
    }
    if (observations_.is_open(c) && !eliminated_[c]) active_.push_back(c);
  }
  predict_active();
  compute_depths();
  fitted_ = true;
  refit_needed_ = false;
  fitted_on_ = observations_.complete().size();
  ++fits_;
  eliminate();
}

/// Log scale for an objective whose told values are all positive (or all negative, for
/// maximised positive metrics), identity otherwise.
void AtneExplorer::choose_scales() {
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
}

void AtneExplorer::fit_models() {
  const std::vector<std::size_t>& complete = observations_.complete();
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
}

/// Per forest and objective: the threshold_quantile of the true gaps of the evaluated pairs
/// whose out-of-bag predictions are in the wrong order (ties in prediction count as wrong).
void AtneExplorer::fit_thresholds() {
  thresholds_.assign(forests_ * objective_count_, 0.0);
  std::vector<double> gaps;
  for (std::size_t j = 0; j < objective_count_; ++j) {
    const Eigen::MatrixXd oob = models_[j].oob_predictions();
    const auto truth = scaled_values_.col(static_cast<Eigen::Index>(j));
    for (std::size_t f = 0; f < forests_; ++f) {
      const auto guess = oob.col(static_cast<Eigen::Index>(f));
      gaps.clear();
      for (Eigen::Index a = 0; a < oob.rows(); ++a) {
        if (std::isnan(guess[a])) continue;
        for (Eigen::Index b = a + 1; b < oob.rows(); ++b) {
          const double true_gap = truth[a] - truth[b];
          if (std::isnan(guess[b]) || true_gap == 0.0) continue;
          if ((guess[a] - guess[b]) * true_gap <= 0.0) gaps.push_back(std::abs(true_gap));
        }
      }
      thresholds_[f * objective_count_ + j] =
          quantile(gaps.data(), gaps.data() + gaps.size(), options_.threshold_quantile);
    }
  }
}

/// Walks every tree once over the active candidates: forest means into predictions_, the
/// quantile over all trees into optimistic_.
void AtneExplorer::predict_active() {
  const std::size_t pool = observations_.pool().size();
  const std::size_t trees = options_.ensemble.forest.trees;
  const std::size_t per_candidate = forests_ * trees;
  predictions_.resize(pool * forests_ * objective_count_);
  optimistic_.resize(pool * objective_count_);
  tree_mean_.resize(pool * objective_count_);
  tree_spread_.resize(pool * objective_count_);
  tree_buffer_.resize(active_.size() * per_candidate);
  const std::size_t d = static_cast<std::size_t>(features_.cols());
  for (std::size_t j = 0; j < objective_count_; ++j) {
    for (std::size_t f = 0; f < forests_; ++f)
      for (std::size_t t = 0; t < trees; ++t) {
        const RegressionTree& tree = models_[j].forest(f).tree(t);
        for (std::size_t k = 0; k < active_.size(); ++k)
          tree_buffer_[k * per_candidate + f * trees + t] =
              tree.predict(std::span<const double>(features_.data() + active_[k] * d, d));
      }
    for (std::size_t k = 0; k < active_.size(); ++k) {
      double* first = tree_buffer_.data() + k * per_candidate;
      const std::size_t c = active_[k];
      double total = 0.0;  // over every tree, in the same order as the forests' sums
      for (std::size_t f = 0; f < forests_; ++f) {
        double sum = 0.0;
        for (std::size_t t = 0; t < trees; ++t) {
          sum += first[f * trees + t];
          total += first[f * trees + t];
        }
        predictions_[(c * forests_ + f) * objective_count_ + j] = sum / static_cast<double>(trees);
      }
      const double mean = total / static_cast<double>(per_candidate);
      double squares = 0.0;
      for (std::size_t i = 0; i < per_candidate; ++i) squares += (first[i] - mean) * (first[i] - mean);
      tree_mean_[c * objective_count_ + j] = mean;
      tree_spread_[c * objective_count_ + j] = std::sqrt(squares / static_cast<double>(per_candidate));
      optimistic_[c * objective_count_ + j] = quantile(first, first + per_candidate, options_.optimistic_quantile);
    }
  }
}

void AtneExplorer::refresh_front() {
  front_ = select_rows(scaled_values_, pareto_front(scaled_values_));
}

template <class Value, class Margin>
double AtneExplorer::domination(const Value& value, const Margin& margin) const {
  double deepest = -kInfinity;
  for (Eigen::Index e = 0; e < front_.rows(); ++e) {
    double depth = kInfinity;
    for (std::size_t j = 0; j < objective_count_; ++j)
      depth = std::min(depth, value(j) - margin(j) - front_(e, static_cast<Eigen::Index>(j)));
    deepest = std::max(deepest, depth);
  }
  return deepest;
}

void AtneExplorer::compute_depths() {
  const std::size_t pool = observations_.pool().size();
  optimistic_depth_.assign(pool, -kInfinity);
  vote_depth_.assign(pool * forests_, -kInfinity);
  forest_depth_.assign(pool * forests_, -kInfinity);
  for (std::size_t c : active_) {
    optimistic_depth_[c] = domination([&](std::size_t j) { return optimistic(c, j); }, no_margin());
    for (std::size_t f = 0; f < forests_; ++f) {
      vote_depth_[c * forests_ + f] =
          domination([&](std::size_t j) { return predicted(c, f, j); },
                     [&](std::size_t j) { return thresholds_[f * objective_count_ + j]; });
      forest_depth_[c * forests_ + f] =
          domination([&](std::size_t j) { return predicted(c, f, j); }, no_margin());
    }
  }
  if (options_.expected_improvement) {
    sample_depth_.assign(pool * kImprovementSamples, kInfinity);
    for (std::size_t c : active_)
      for (std::size_t s = 0; s < kImprovementSamples; ++s)
        sample_depth_[c * kImprovementSamples + s] = domination([&](std::size_t j) { return sampled(c, s, j); }, no_margin());
  }
  depth_rows_ = scaled_values_.rows();
}

void AtneExplorer::absorb_new_rows() {
  for (; depth_rows_ < scaled_values_.rows(); ++depth_rows_) {
    const auto point = scaled_values_.row(depth_rows_);
    // The same expression as domination() for one front row: min_j (value - margin - point_j).
    auto depth = [&](const auto& value, const auto& margin) {
      double deepest = kInfinity;
      for (std::size_t j = 0; j < objective_count_; ++j)
        deepest = std::min(deepest, value(j) - margin(j) - point(static_cast<Eigen::Index>(j)));
      return deepest;
    };
    for (std::size_t c : active_) {
      optimistic_depth_[c] = std::max(optimistic_depth_[c], depth([&](std::size_t j) { return optimistic(c, j); }, no_margin()));
      for (std::size_t f = 0; f < forests_; ++f) {
        const auto value = [&](std::size_t j) { return predicted(c, f, j); };
        vote_depth_[c * forests_ + f] = std::max(
            vote_depth_[c * forests_ + f], depth(value, [&](std::size_t j) { return thresholds_[f * objective_count_ + j]; }));
        forest_depth_[c * forests_ + f] = std::max(forest_depth_[c * forests_ + f], depth(value, no_margin()));
      }
      if (options_.expected_improvement)
        for (std::size_t s = 0; s < kImprovementSamples; ++s) {
          double& deepest = sample_depth_[c * kImprovementSamples + s];
          deepest = std::max(deepest, depth([&](std::size_t j) { return sampled(c, s, j); }, no_margin()));
        }
    }
  }
}

void AtneExplorer::eliminate() {
  absorb_new_rows();
  std::size_t kept = 0;
  for (std::size_t c : active_) {
    if (!observations_.is_open(c)) continue;
    std::size_t votes = 0;
    for (std::size_t f = 0; f < forests_; ++f)
      if (vote_depth_[c * forests_ + f] > 0.0) ++votes;
    const bool guarded = optimistic_depth_[c] <= 0.0;
    if (votes >= votes_needed_ && !guarded) {
      eliminated_[c] = 1;
      ++eliminated_count_;
      continue;
    }
    active_[kept++] = c;
  }
  active_.resize(kept);
}

double AtneExplorer::expected_improvement(const double* depths) const {
  double sum = 0.0;
  for (std::size_t s = 0; s < kImprovementSamples; ++s) sum += std::max(0.0, -depths[s]);
  return sum / static_cast<double>(kImprovementSamples);
}

std::vector<std::size_t> AtneExplorer::model_picks(std::size_t n) {
  absorb_new_rows();
  std::erase_if(active_, [&](std::size_t c) { return !observations_.is_open(c); });
  const std::size_t count = active_.size();
  const std::size_t width = forests_;
  const std::size_t m = objective_count_;
  // Ranking: the expected improvement (higher first; 0 for all when it is off), then the optimistic
  // prediction's depth in the dominated region (lower first), then the mean over the forests of
  // their predictions' depth.
  const bool improvement = options_.expected_improvement;
  // A batch moves the sample depths (its picks act as front points): on a copy, only then.
  const std::size_t samples = improvement && n > 1 ? kImprovementSamples : 0;
  std::vector<double> sample_depth(count * samples), gain(count, 0.0);
  std::vector<double> depth(count), margin(count * width), mean_margin(count);
  auto summarise = [&](std::size_t a) {
    double sum = 0.0;
    for (std::size_t f = 0; f < width; ++f) sum += margin[a * width + f];
    mean_margin[a] = sum / static_cast<double>(width);
  };
  for (std::size_t a = 0; a < count; ++a) {
    const std::size_t c = active_[a];
    depth[a] = optimistic_depth_[c];
    for (std::size_t f = 0; f < width; ++f) margin[a * width + f] = forest_depth_[c * width + f];
    summarise(a);
    if (improvement) gain[a] = expected_improvement(sample_depth_.data() + c * kImprovementSamples);
    if (samples > 0)
      std::copy_n(sample_depth_.begin() + static_cast<std::ptrdiff_t>(c * samples), samples,
                  sample_depth.begin() + static_cast<std::ptrdiff_t>(a * samples));
  }
  auto ranks_before = [&](std::size_t a, std::size_t b) {
    if (gain[a] != gain[b]) return gain[a] > gain[b];
    if (depth[a] != depth[b]) return depth[a] < depth[b];
    if (mean_margin[a] != mean_margin[b]) return mean_margin[a] < mean_margin[b];
    return tie_rank_[active_[a]] < tie_rank_[active_[b]];
  };
  std::vector<bool> taken(count, false);
  std::vector<std::size_t> picks;
  while (picks.size() < n) {
    std::size_t best = count;
    for (std::size_t a = 0; a < count; ++a) {
      if (taken[a]) continue;
      if (best == count || ranks_before(a, best)) best = a;
    }
    if (best == count) break;
    taken[best] = true;
    picks.push_back(active_[best]);
    if (picks.size() == n) break;
    // The pick's predictions act as an evaluated point for the rest of the batch: each depth
    // becomes the deeper of itself and min_j (value_j - the pick's value_j).
    const std::size_t chosen = active_[best];
    auto deepen = [&](double& depth_so_far, const auto& value, const auto& point) {
      double inside = kInfinity;
      for (std::size_t j = 0; j < m; ++j) inside = std::min(inside, value(j) - point(j));
      depth_so_far = std::max(depth_so_far, inside);
    };
    for (std::size_t a = 0; a < count; ++a) {
      if (taken[a]) continue;
      const std::size_t c = active_[a];
      deepen(depth[a], [&](std::size_t j) { return optimistic(c, j); }, [&](std::size_t j) { return optimistic(chosen, j); });
      for (std::size_t f = 0; f < width; ++f)
        deepen(margin[a * width + f], [&](std::size_t j) { return predicted(c, f, j); },
               [&](std::size_t j) { return predicted(chosen, f, j); });
      summarise(a);
      if (samples == 0) continue;
      for (std::size_t s = 0; s < samples; ++s)
        deepen(sample_depth[a * samples + s], [&](std::size_t j) { return sampled(c, s, j); },
               [&](std::size_t j) { return tree_mean_[chosen * m + j]; });
      gain[a] = expected_improvement(sample_depth.data() + a * samples);
    }
  }
  return picks;
}

std::vector<std::size_t> AtneExplorer::revived_picks(std::size_t n) {
  // Every open candidate was predicted at the latest fit (elimination is re-decided there), so
  // its optimistic prediction is current; a permanently eliminated one was not and ranks last.
  std::vector<std::pair<double, std::size_t>> ranked;
  const bool predicted = !options_.permanent_elimination;
  for (std::size_t c = 0; c < observations_.pool().size(); ++c) {
    if (!observations_.is_open(c)) continue;
    const double depth = predicted ? domination([&](std::size_t j) { return optimistic(c, j); }, no_margin()) : kInfinity;
    ranked.emplace_back(depth, c);
  }
  const std::size_t count = std::min(n, ranked.size());
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(count), ranked.end());
  std::vector<std::size_t> picks;
  for (std::size_t k = 0; k < count; ++k) picks.push_back(ranked[k].second);
  return picks;
}

ExplorerEntry atne_explorer_entry() {
  using O = AtneOptions;
  return typed_explorer_entry<AtneExplorer, O>(
      "atne", "ATNE: forests eliminate designs predicted not Pareto-optimal (Meng et al., DATE 2016)",
      {bound_option<O>("initial_samples", &O::initial_samples, OptionRange::at_least(0),
                       "designs of the TED initial sample; 0: 2% of the pool, 10 to 40"),
       bound_option<O>("forests", [](O& o) -> std::size_t& { return o.ensemble.forests; }, OptionRange::at_least(1),
                       "bootstrap forests per objective"),
       bound_option<O>("trees", [](O& o) -> std::size_t& { return o.ensemble.forest.trees; },
                       OptionRange::at_least(1), "trees per forest"),
       bound_option<O>("threshold_quantile", &O::threshold_quantile, OptionRange::closed(0, 1),
                       "quantile of the mis-ordered pairs' gaps that becomes a forest's threshold"),
       bound_option<O>("elimination_votes", &O::elimination_votes, OptionRange::closed(0, 1),
                       "fraction of the forests whose vote eliminates a design"),
       bound_option<O>("optimistic_quantile", &O::optimistic_quantile, OptionRange::closed(0, 1),
                       "quantile of the trees' predictions used as the optimistic prediction"),
       bound_option<O>("expected_improvement", &O::expected_improvement, OptionRange::any(),
                       "rank by the expected improvement of the front under the trees' mean and spread first"),
       bound_option<O>("retrain_growth", &O::retrain_growth, OptionRange::at_least(0),
                       "refit once the evaluated designs grew by this fraction (0: every tell)"),
       bound_option<O>("permanent_elimination", &O::permanent_elimination, OptionRange::any(),
                       "an eliminated design never comes back (as in the paper)"),
       bound_option<O>("self_stop", &O::self_stop, OptionRange::any(),
                       "stop once every design left is evaluated (off: go on with the eliminated ones)"),
       bound_option<O>("ted_pool_fraction", &O::ted_pool_fraction, OptionRange::closed(0, 1),
                       "with ted_initial: TED on a seeded random subset of this fraction of the pool"),
       bound_option<O>("ted_initial", &O::ted_initial, OptionRange::any(),
                       "initial sample by TED (as in the paper) instead of maximin from a seeded random design")});
}

}  // namespace codse
