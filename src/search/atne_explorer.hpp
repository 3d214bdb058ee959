#pragma once
// ATNE: Adaptive Threshold Non-Pareto Elimination (Meng, Althoff, Gautier, Kastner, "Adaptive
// Threshold Non-Pareto Elimination: Re-thinking Machine Learning for System Level Design Space
// Exploration on FPGAs", DATE 2016).
//
// The loop, as in the paper (deviations below):
//  1. Initial sample by transductive experimental design (TED, see ted_design.hpp) on the
//     candidates' features; by default here a maximin design instead.
//  2. One ensemble of bootstrap random forests per objective (ForestEnsemble), fitted to the
//     evaluated designs.
//  3. An adaptive elimination threshold per forest and objective, fitted to the ranking errors
//     that forest makes on the evaluated designs: over every pair of evaluated designs whose
//     out-of-bag predictions are in the wrong order, the gap between their true values; the
//     threshold is the threshold_quantile of those gaps. It shrinks as the forests improve.
//  4. Non-Pareto elimination by vote: forest f votes against an unevaluated candidate when an
//     evaluated design beats the forest's prediction for it by more than f's threshold in every
//     objective; a candidate with at least elimination_votes of the forests voting is eliminated.
//  5. The next sample is the candidate hardest to eliminate (see "ranking" below).
//  6. Done when every candidate left (not eliminated) has been evaluated (self_stop only; by
//     default the run then goes on with the eliminated candidates, least dominated first).
//
// Choices and deviations, each measured on the Spector-HLS tables and the tables of other tool
// flows (bench/dse/, RESULTS.md):
//  - Initial sample by maximin (maximin_design.hpp) from the seed's random first candidate, not
//    TED (ted_initial = true restores it). TED picks representative, central designs; maximin
//    reaches the corners of the knob space, which in hardware spaces are the ends of the front
//    (all unrolled, nothing unrolled). Over 15 tables of 6 tool flows, mean krg ADRS at 10% of
//    each table went from 1.76% (TED) to 0.83%, on the CHStone tables (budgets of 11 to 64) from
//    8.0% to 3.0%.
//  - Positive objectives are modelled as log(value) (negated log for maximised positive ones):
//    latencies and areas span orders of magnitude, and differences of logs are relative
//    differences, which is what ADRS measures. Thresholds are therefore relative margins.
//  - Optimistic guard. Besides the forests' means, each candidate gets an optimistic prediction
//    per objective: the optimistic_quantile (25%) of the predictions of all the ensemble's trees.
//    A candidate whose optimistic prediction is not dominated by the evaluated front is never
//    eliminated, whatever the votes. Why: forests average away a lone surprising design (on
//    mergesort the Pareto front is three outlier rows with 2-8 slices where their neighbours have
//    ~250); a quarter of the trees still reproduce it for its knob-space neighbours, which the
//    forest means hide.
//  - Ranking (the paper ranks by votes). First by the expected improvement of the evaluated
//    front (expected_improvement): each candidate's objectives are approximated as independent
//    normals with the mean and standard deviation of all its trees' predictions (the random-forest
//    uncertainty of SMAC), and the improvement of a sample is how far it lies outside the region
//    the front dominates (additive epsilon, 0 inside); the mean over kImprovementSamples fixed
//    draws, stratified (see below). Ties (typically all 0) are broken by the optimistic
//    prediction's depth in the dominated region, then the forests' mean margin, then a seeded
//    random order. Why: a quantile
//    of tree predictions never leaves the range of the values seen, so once mergesort's first
//    outlier (the lowest latency of the table, 8 slices) was evaluated no candidate could be
//    predicted to beat it, and the ranking kept asking designs tied with it on latency (41.7%
//    ADRS at 5% of the table in 5 seeds of 5); a normal with the trees' spread extends below the
//    lowest value seen, where the outlier's neighbours are (0% in 5 of 5).
//  - The expected improvement's draws are a Latin hypercube: per objective one draw in each of
//    the kImprovementSamples equally likely strata of the normal, paired across objectives by a
//    seeded permutation, instead of independent draws. The same memory, a less noisy estimate:
//    64 independent draws misranked candidates whose improvements differ by less than their
//    sampling noise. Over 15 tables, 5 seeds, mean krg ADRS at 10% went from 0.902% to 0.795%
//    (0.53x to 0.47x Optuna's TPE; on chstone_adpcm_decode from 2.08% to 0.92%); 256
//    independent draws had measured 0.843% with four times the memory.
//  - Elimination is re-decided at every refit (permanent_elimination = false): a candidate the
//    old models voted out comes back if the new ones do not. In the paper it is permanent; with
//    permanent elimination the mergesort outliers' neighbours are eliminated before the first
//    outlier is found, and ADRS stays at 30-40% there. Between refits eliminations only grow.
//  - With ted_initial, TED runs on a seeded random subset of ted_pool_fraction of the candidates
//    (at most ted.subset_limit: the kernel is dense); the paper runs it on the whole pool, which
//    made the initial sample, and most short runs, the same for every seed.
//  - The models are refitted once the evaluated set has grown by retrain_growth (5%) since the
//    last fit (every tell while fewer than 20 designs are known), not on every tell, to bound the
//    run time on large pools; between fits each tell still updates the evaluated front and
//    eliminates against it. When those eliminations leave nothing to evaluate the models are
//    refitted at once, so done() always reflects models fitted on every result.
//  - Batch asks pick greedily: after each pick its predictions (tree mean, and optimistic and
//    forest predictions for the tie-breaks) join the evaluated front as a pseudo point (for
//    ranking only, never for elimination), so designs predicted close to it lose priority.
//  - A failed trial removes its design from the candidates; it is not used for training. If
//    fewer than three initial designs succeed, random open designs are asked until three have.

#include <cstddef>
#include <cstdint>
#include <vector>

#include <Eigen/Core>

#include "learn/forest_ensemble.hpp"
#include "learn/forest_rng.hpp"
#include "search/explorer.hpp"
#include "search/observations.hpp"
#include "search/ted_design.hpp"

namespace codse {

struct AtneOptions {
  /// Designs of the TED initial sample; 0 picks 2% of the pool, at least 10 and at most 40.
  std::size_t initial_samples = 0;
  TedOptions ted;
  /// Per objective: 5 forests of 20 fully grown trees, all features tried at each split.
  EnsembleOptions ensemble = default_ensemble();
  /// Quantile of the mis-ordered pairs' true gaps that becomes a forest's threshold.
  double threshold_quantile = 0.8;
  /// Fraction of the forests whose vote eliminates a candidate.
  double elimination_votes = 0.5;
  /// Quantile of the trees' predictions used as the optimistic prediction.
  double optimistic_quantile = 0.25;
  /// Rank the candidates by their expected improvement of the evaluated front (see the header)
  /// before the optimistic depth; false ranks by the optimistic depth alone.
  bool expected_improvement = true;
  /// Refit once the evaluated designs grew by this fraction since the last fit (0: every tell).
  double retrain_growth = 0.05;
  /// As in the paper: an eliminated candidate never comes back.
  bool permanent_elimination = false;
  /// Stop by itself once every candidate left has been evaluated (the paper's stopping rule).
  /// Off by default: on tables from other tool flows that rule stopped before the front was
  /// complete in far more than 1 run in 20 (bench/dse/RESULTS.md). Off, once nothing is left the
  /// eliminated candidates are asked, least dominated (optimistic prediction) first.
  bool self_stop = false;
  /// With ted_initial, TED runs on a seeded random subset of this fraction of the pool (at least
  /// four times the sample), so the seed varies it; 1 runs TED on the whole pool.
  double ted_pool_fraction = 0.5;
  /// Initial sample by TED, as in the paper, instead of maximin (see the header).
  bool ted_initial = false;

  static EnsembleOptions default_ensemble();
};

class AtneExplorer final : public Explorer {
 public:
  explicit AtneExplorer(const ExplorerSetup& setup, AtneOptions options = {});

  std::string_view name() const override { return "atne"; }
  std::vector<Design> ask(std::size_t n) override;
  void tell(const Trial& trial) override;
  bool done() const override;

  /// Candidates eliminated now (never asked while eliminated).
  std::size_t eliminated_count() const { return eliminated_count_; }
  bool is_eliminated(std::size_t candidate) const { return eliminated_[candidate] != 0; }
  /// Thresholds of the latest fit, forest-major: thresholds()[f * objectives + j].
  const std::vector<double>& thresholds() const { return thresholds_; }
  /// Model fits so far.
  std::size_t fit_count() const { return fits_; }

 private:
  enum class Scale { identity, log, negated_log };

  void start();
  std::vector<std::size_t> initial_picks(std::size_t n);
  std::vector<std::size_t> random_picks(std::size_t n);
  std::vector<std::size_t> model_picks(std::size_t n);
  /// With self_stop off, once no candidate is left: the open eliminated ones, least dominated first.
  std::vector<std::size_t> revived_picks(std::size_t n);
  bool fit_due() const;
  void fit();
  void choose_scales();
  void fit_models();
  void fit_thresholds();
  void predict_active();
  /// Mean over the samples of how far candidate c's sample lies outside the dominated region,
  /// given its per-sample depths.
  double expected_improvement(const double* depths) const;
  void refresh_front();
  void eliminate();
  double scaled(std::size_t objective, double minimised) const;
  /// Forest f's mean prediction of objective j for candidate c (valid for active candidates).
  double predicted(std::size_t c, std::size_t f, std::size_t j) const {
    return predictions_[(c * forests_ + f) * objective_count_ + j];
  }
  double optimistic(std::size_t c, std::size_t j) const {
    return optimistic_[c * objective_count_ + j];
  }
  /// Sample s of candidate c's normal approximation (trees' mean and spread), objective j.
  double sampled(std::size_t c, std::size_t s, std::size_t j) const {
    return tree_mean_[c * objective_count_ + j] +
           tree_spread_[c * objective_count_ + j] * normal_draws_[s * objective_count_ + j];
  }
  /// How deep the point (value(j) - margin(j))_j lies inside the region the evaluated front
  /// dominates: > 0 dominated with room to spare, <= 0 not dominated (additive epsilon).
  template <class Value, class Margin>
  double domination(const Value& value, const Margin& margin) const;
  /// The three dominations every active candidate needs (optimistic; each forest's mean with and
  /// without its threshold), over the whole front: after a fit.
  void compute_depths();
  /// Folds the rows told since into those dominations. Between fits the front only gains rows
  /// (a row it loses is dominated by the one that replaced it, which lies at least as deep), so
  /// the deepest over the new front is the deepest over the old one and the new rows: the same
  /// numbers as recomputing over the front, in O(active) per told row instead of O(active front).
  void absorb_new_rows();

  Observations observations_;
  AtneOptions options_;
  std::uint64_t seed_;
  ForestRng rng_;
  std::size_t objective_count_;
  std::size_t forests_;
  std::size_t votes_needed_;

  std::vector<std::size_t> initial_;  ///< the initial sample, in pick order (computed on first ask)
  /// A seeded random rank per candidate: the last tie-break of model_picks, so that candidates the
  /// forests cannot tell apart are asked in random order rather than in table order.
  std::vector<std::size_t> tie_rank_;
  bool started_ = false;
  std::size_t initial_next_ = 0;
  std::size_t pending_ = 0;

  std::vector<unsigned char> eliminated_;
  std::size_t eliminated_count_ = 0;
  std::vector<std::size_t> active_;  ///< open, not eliminated, predicted at the latest fit
  std::vector<Scale> scales_;
  Eigen::MatrixXd scaled_values_;  ///< scaled values of the complete trials (rows in tell order)
  Eigen::MatrixXd front_;          ///< the non-dominated rows of scaled_values_
  std::vector<ForestEnsemble> models_;  ///< one per objective
  /// The pool's features, row-major so that a tree walk touches one cache line per candidate.
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> features_;
  std::vector<double> thresholds_;
  std::vector<double> predictions_;  ///< candidate x forest x objective: forest means
  std::vector<double> optimistic_;   ///< candidate x objective: tree-prediction quantile
  std::vector<double> tree_mean_;    ///< candidate x objective: mean of all the trees' predictions
  std::vector<double> tree_spread_;  ///< candidate x objective: their standard deviation
  /// kImprovementSamples x objective standard normal draws, stratified per objective (a Latin
  /// hypercube), fixed per explorer (its seed).
  std::vector<double> normal_draws_;
  /// candidate x sample: domination depth of mean + spread * draw (expected_improvement).
  std::vector<double> sample_depth_;
  std::vector<double> tree_buffer_;  ///< per-tree predictions of the active candidates
  std::vector<double> optimistic_depth_;  ///< candidate: domination of the optimistic prediction
  std::vector<double> vote_depth_;        ///< candidate x forest: domination minus the threshold
  std::vector<double> forest_depth_;      ///< candidate x forest: domination of the forest mean
  Eigen::Index depth_rows_ = 0;           ///< rows of scaled_values_ folded into the depths
  bool fitted_ = false;
  bool refit_needed_ = false;  ///< a told value does not fit the current scales
  std::size_t fitted_on_ = 0;  ///< complete trials at the latest fit
  std::size_t fits_ = 0;
};

}  // namespace codse
