#pragma once
// ATNE: Adaptive Threshold Non-Pareto Elimination (Meng, Althoff, Gautier, Kastner, "Adaptive
// Threshold Non-Pareto Elimination: Re-thinking Machine Learning for System Level Design Space
// Exploration on FPGAs", DATE 2016).
//
// The loop, as in the paper:
//  1. Initial sample by transductive experimental design (TED, see ted_design.hpp) on the
//     candidates' features.
//  2. One ensemble of bootstrap random forests per objective (ForestEnsemble), fitted to the
//     evaluated designs.
//  3. An adaptive elimination threshold per forest and objective, fitted to the ranking errors
//     that forest makes on the evaluated designs: over every pair of evaluated designs whose
//     out-of-bag predictions are in the wrong order, the gap between their true values; the
//     threshold is the threshold_quantile of those gaps. It shrinks as the forests improve.
//  4. Non-Pareto elimination by vote: forest f votes against an unevaluated candidate when an
//     evaluated design beats the forest's prediction for it by more than f's threshold in every
//     objective; a candidate with at least elimination_votes of the forests voting is
//     eliminated, permanently.
//  5. The next sample is the candidate hardest to eliminate: fewest votes, then the largest
//     predicted margin from being dominated by the evaluated front (averaged over the forests).
//  6. Done when every candidate left (not eliminated) has been evaluated.
//
// Choices and deviations:
//  - Positive objectives are modelled as log(value) (negated log for maximised positive ones):
//    latencies and areas span orders of magnitude, and differences of logs are relative
//    differences, which is what ADRS measures. Thresholds are therefore relative margins.
//  - TED runs on a seeded random subset of at most ted.subset_limit candidates (the kernel is
//    dense); the paper runs it on the whole pool.
//  - The models are refitted once the evaluated set has grown by retrain_growth (5%) since the
//    last fit (every tell while fewer than 20 designs are known), not on every tell, to bound the
//    run time on large pools; between fits, each tell still updates the evaluated front and
//    eliminates against it.
//  - Batch asks pick greedily: after each pick, the forests' predictions for it join the
//    evaluated front as a pseudo point (for ranking only, never for elimination), so designs
//    predicted close to it lose priority.
//  - A failed trial removes its design from the candidates; it is not used for training.
//  - The ranking uses (mean - optimism * spread) over the forests of the predicted margin; the
//    paper ranks by votes only.

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
  EnsembleOptions ensemble = default_ensemble();
  /// Quantile of the mis-ordered pairs' true gaps that becomes a forest's threshold.
  double threshold_quantile = 0.9;
  /// Fraction of the forests whose vote eliminates a candidate.
  double elimination_votes = 0.5;
  /// Refit once the evaluated designs grew by this fraction since the last fit (0: every tell).
  double retrain_growth = 0.05;
  /// Weight of the forests' disagreement in the ranking (0: mean margin only).
  double optimism = 0.0;
  bool front_pairs = false;
  bool overprediction = false;
  bool rank_with_thresholds = false;

  static EnsembleOptions default_ensemble();
};

class AtneExplorer final : public Explorer {
 public:
  explicit AtneExplorer(const ExplorerSetup& setup, AtneOptions options = {});

  std::string_view name() const override { return "atne"; }
  std::vector<Design> ask(std::size_t n) override;
  void tell(const Trial& trial) override;
  bool done() const override;

  /// Candidates eliminated so far (never evaluated after that).
  std::size_t eliminated_count() const { return eliminated_count_; }
  bool is_eliminated(std::size_t candidate) const { return eliminated_[candidate] != 0; }
  /// Thresholds of the latest fit, forest-major: thresholds()[f * objectives + j].
  const std::vector<double>& thresholds() const { return thresholds_; }

 private:
  enum class Scale { identity, log, negated_log };

  std::vector<std::size_t> initial_picks(std::size_t n);
  std::vector<std::size_t> random_picks(std::size_t n);
  std::vector<std::size_t> model_picks(std::size_t n);
  bool fit_due() const;
  void fit();
  void fit_thresholds();
  void predict_active();
  void refresh_front();
  void eliminate();
  double scaled(std::size_t objective, double minimised) const;
  /// Forest f's prediction of objective j for candidate c (valid for active candidates).
  double predicted(std::size_t c, std::size_t f, std::size_t j) const {
    return predictions_[(c * forests_ + f) * objective_count_ + j];
  }
  /// How far point (per objective: value(j) - margin(j)) is inside the region the front
  /// dominates: > 0 means dominated with room to spare.
  template <class Value, class Margin>
  double domination(const Value& value, const Margin& margin) const;

  Observations observations_;
  AtneOptions options_;
  std::uint64_t seed_;
  ForestRng rng_;
  std::size_t objective_count_;
  std::size_t forests_;
  std::size_t votes_needed_;

  std::vector<std::size_t> ted_;  ///< the initial sample, in pick order (computed on first ask)
  bool started_ = false;
  std::size_t ted_next_ = 0;
  std::size_t pending_ = 0;

  std::vector<unsigned char> eliminated_;
  std::size_t eliminated_count_ = 0;
  std::vector<std::size_t> active_;  ///< open, not eliminated, predicted at the latest fit
  std::vector<Scale> scales_;
  Eigen::MatrixXd scaled_values_;  ///< scaled values of the complete trials (rows in tell order)
  Eigen::MatrixXd front_;          ///< the non-dominated rows of scaled_values_
  std::vector<ForestEnsemble> models_;  ///< one per objective
  std::vector<double> thresholds_;
  std::vector<double> predictions_;  ///< candidate x forest x objective
  bool fitted_ = false;
  bool refit_needed_ = false;  ///< a told value does not fit the current scales
  std::size_t fitted_on_ = 0;  ///< complete trials at the latest fit
  std::size_t fits_ = 0;
};

}  // namespace codse
