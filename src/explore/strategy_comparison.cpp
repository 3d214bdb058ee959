#include "explore/strategy_comparison.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include <Eigen/Core>
#include <fmt/format.h>

#include "core/error.hpp"
#include "core/hypervolume.hpp"
#include "core/pareto_front.hpp"
#include "explore/joint_space.hpp"

namespace codse::explore {
namespace {

using Points = std::vector<std::vector<double>>;

Eigen::MatrixXd as_matrix(const Points& points, std::size_t columns) {
  Eigen::MatrixXd m(static_cast<Eigen::Index>(points.size()), static_cast<Eigen::Index>(columns));
  for (std::size_t r = 0; r < points.size(); ++r)
    for (std::size_t c = 0; c < columns; ++c) m(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = points[r][c];
  return m;
}

double median(std::vector<double> values) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(values.begin(), values.end());
  const auto n = values.size();
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

}  // namespace

StrategyComparison compare_strategies(const std::vector<StrategyRun>& runs, const std::vector<Objective>& objectives,
                                      const std::string& reference_strategy) {
  const JointSpace space(objectives);
  const auto d = objectives.size();
  StrategyComparison out;
  out.reference = reference_strategy;
  std::set<std::uint64_t> seeds;
  for (const auto& run : runs) {
    if (std::find(out.strategies.begin(), out.strategies.end(), run.strategy) == out.strategies.end())
      out.strategies.push_back(run.strategy);
    seeds.insert(run.seed);
  }
  out.seeds.assign(seeds.begin(), seeds.end());
  if (std::find(out.strategies.begin(), out.strategies.end(), reference_strategy) == out.strategies.end())
    throw InputError(fmt::format("compare: no run of the reference strategy '{}'", reference_strategy));

  for (const auto seed : out.seeds) {
    std::map<std::string, Points> points;
    std::map<std::string, const StrategyRun*> by_strategy;
    Points pooled;
    for (const auto& run : runs) {
      if (run.seed != seed) continue;
      if (by_strategy.contains(run.strategy))
        throw InputError(fmt::format("compare: two runs of strategy '{}' with seed {}", run.strategy, seed));
      by_strategy[run.strategy] = &run;
      auto& p = points[run.strategy];
      for (const auto& trial : run.trials)
        if (auto point = space.point(trial)) p.push_back(std::move(*point));
      pooled.insert(pooled.end(), p.begin(), p.end());
    }
    for (const auto& strategy : out.strategies)
      if (!by_strategy.contains(strategy))
        throw InputError(fmt::format("compare: seed {} has no run of strategy '{}'", seed, strategy));
    // Ideal and nadir of the pooled front.
    std::vector<double> ideal(d, std::numeric_limits<double>::infinity()), nadir(d, -std::numeric_limits<double>::infinity());
    if (!pooled.empty())
      for (auto row : pareto_front(as_matrix(pooled, d)))
        for (std::size_t c = 0; c < d; ++c) {
          ideal[c] = std::min(ideal[c], pooled[row][c]);
          nadir[c] = std::max(nadir[c], pooled[row][c]);
        }
    const Eigen::RowVectorXd reference = Eigen::RowVectorXd::Constant(static_cast<Eigen::Index>(d), 1.1);
    std::map<std::string, double> volume;
    for (const auto& strategy : out.strategies) {
      const auto& run = *by_strategy.at(strategy);
      RunScore score;
      score.strategy = strategy;
      score.seed = seed;
      std::set<double> networks;
      for (const auto& trial : run.trials) networks.insert(trial.design.values.at(0));
      score.networks = networks.size();
      const auto& p = points.at(strategy);
      score.joint_trials = p.size();
      score.front = p.empty() ? 0 : pareto_front(as_matrix(p, d)).size();
      Points scaled;
      for (const auto& point : p) {
        std::vector<double> s(d);
        for (std::size_t c = 0; c < d; ++c) {
          const double span = nadir[c] - ideal[c];
          // A constant objective on the pooled front counts every point at its value as 0.
          s[c] = span > 0 ? (point[c] - ideal[c]) / span : (point[c] <= ideal[c] ? 0.0 : 2.0);
        }
        scaled.push_back(std::move(s));
      }
      score.hypervolume = scaled.empty() ? 0.0 : hypervolume(as_matrix(scaled, d), reference);
      volume[strategy] = score.hypervolume;
      out.runs.push_back(score);
    }
    for (const auto& strategy : out.strategies)
      if (strategy != reference_strategy)
        out.ratios[strategy].push_back(volume[strategy] > 0 ? volume[reference_strategy] / volume[strategy]
                                                            : std::numeric_limits<double>::infinity());
  }
  for (const auto& [strategy, values] : out.ratios) out.median_ratio[strategy] = median(values);
  for (const auto& strategy : out.strategies) {
    std::vector<double> values;
    for (const auto& run : out.runs)
      if (run.strategy == strategy) values.push_back(run.hypervolume);
    out.median_hypervolume[strategy] = median(values);
  }
  return out;
}

std::string comparison_markdown(const StrategyComparison& c) {
  std::string text = "| seed | strategy | networks | joint trials | own front | hypervolume |\n| --- | --- | ---: | ---: | ---: | ---: |\n";
  for (const auto& run : c.runs)
    text += fmt::format("| {} | {} | {} | {} | {} | {:.4f} |\n", run.seed, run.strategy, run.networks, run.joint_trials,
                        run.front, run.hypervolume);
  text += "\n| strategy | median hypervolume |\n| --- | ---: |\n";
  for (const auto& strategy : c.strategies)
    text += fmt::format("| {} | {:.4f} |\n", strategy, c.median_hypervolume.at(strategy));
  std::string seeds_header, seeds_rule;
  for (const auto seed : c.seeds) seeds_header += fmt::format(" seed {} |", seed), seeds_rule += " ---: |";
  text += fmt::format("\n| {} / | {} median |\n| --- |{} ---: |\n", c.reference, seeds_header, seeds_rule);
  for (const auto& [strategy, values] : c.ratios) {
    std::string row = fmt::format("| {} |", strategy);
    for (double v : values) row += fmt::format(" {:.2f}x |", v);
    text += fmt::format("{} {:.2f}x |\n", row, c.median_ratio.at(strategy));
  }
  return text;
}

}  // namespace codse::explore
