#pragma once
// Side by side: the final hypervolumes of several studies (strategies) run with the same seeds,
// as bench/explore reports them (`codse explore --compare`).
//
// Per seed, every run of that seed shares one normalisation and one reference point: the joint
// points (JointSpace: error as it is, hardware metrics through log10, minimisation form) of all
// its runs are pooled; each objective is scaled to [0, 1] between the best and the worst value
// on the pooled Pareto front (its ideal and nadir points), and the reference is 1.1 in every
// objective, so a run gets credit for any point within 10% of the range beyond the nadir and a
// dominated run's points add nothing. Then each run's hypervolume is computed exactly
// (core/hypervolume). The nadir of the pooled front rather than the worst of all points keeps a
// run's junk (an untrainable network at 90% error) from stretching the scale. Ratios are of the
// reference strategy's hypervolume to each other strategy's, per seed, and their median.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/objective.hpp"
#include "core/trial.hpp"

namespace codse::explore {

struct StrategyRun {
  std::string strategy;  // e.g. "lemonade", "random", "sequential"
  std::uint64_t seed = 0;
  std::vector<Trial> trials;
};

struct RunScore {
  std::string strategy;
  std::uint64_t seed = 0;
  std::size_t networks = 0;      // distinct network ids among the trials
  std::size_t joint_trials = 0;  // complete trials with every objective (network x mapping)
  std::size_t front = 0;         // the run's own Pareto front
  double hypervolume = 0.0;      // normalised per seed (see the header)
};

struct StrategyComparison {
  std::vector<std::string> strategies;  // in first-seen order
  std::vector<std::uint64_t> seeds;     // ascending
  std::vector<RunScore> runs;           // by seed, then strategy
  /// hypervolume(reference) / hypervolume(other) per other strategy: per seed (in seeds order)
  /// and the median over seeds. Infinite where the other's hypervolume is 0.
  std::map<std::string, std::vector<double>> ratios;
  std::map<std::string, double> median_ratio;
  std::map<std::string, double> median_hypervolume;
  std::string reference;
};

/// Throws InputError when a seed lacks a strategy the others have, or a strategy appears twice
/// for one seed.
StrategyComparison compare_strategies(const std::vector<StrategyRun>& runs, const std::vector<Objective>& objectives,
                                      const std::string& reference_strategy);

/// The comparison as a Markdown table (per seed and strategy: networks, joint trials, front,
/// hypervolume; then the ratios per seed and their median).
std::string comparison_markdown(const StrategyComparison& comparison);

}  // namespace codse::explore
