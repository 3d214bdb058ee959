// The fronts and the hypervolume curve of a report, computed with core's pareto_front and
// hypervolume so a report shows the numbers the explorers and benchmarks use.

#include <algorithm>
#include <cmath>
#include <limits>

#include <Eigen/Core>
#include <fmt/format.h>

#include "core/hypervolume.hpp"
#include "core/pareto_front.hpp"
#include "report/report_data.hpp"

namespace codse::report {
namespace {

/// The complete trials whose every objective is a finite number, as rows in minimisation form.
struct ObjectivePoints {
  std::vector<std::size_t> trial_index;  ///< row -> index into ReportData::trials
  Eigen::MatrixXd values;
};

ObjectivePoints objective_points(const ReportData& data) {
  ObjectivePoints points;
  std::vector<Eigen::RowVectorXd> rows;
  for (std::size_t t = 0; t < data.trials.size(); ++t) {
    const auto& trial = data.trials[t];
    if (trial.status != TrialStatus::complete) continue;
    Eigen::RowVectorXd row(static_cast<Eigen::Index>(data.objectives.size()));
    bool usable = true;
    for (std::size_t o = 0; o < data.objectives.size() && usable; ++o) {
      const auto found = trial.metrics.values.find(data.objectives[o].metric);
      usable = found != trial.metrics.values.end() && std::isfinite(found->second);
      if (usable) row(static_cast<Eigen::Index>(o)) = data.objectives[o].minimised(found->second);
    }
    if (!usable) continue;
    points.trial_index.push_back(t);
    rows.push_back(row);
  }
  points.values.resize(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(data.objectives.size()));
  for (std::size_t r = 0; r < rows.size(); ++r) points.values.row(static_cast<Eigen::Index>(r)) = rows[r];
  return points;
}

/// Trial numbers of the given rows, sorted by their values in columns (lexicographically).
std::vector<std::size_t> sorted_trial_numbers(const ReportData& data, const ObjectivePoints& points,
                                              std::vector<std::size_t> rows, const std::vector<Eigen::Index>& columns) {
  std::sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) {
    for (const auto c : columns) {
      const double va = points.values(static_cast<Eigen::Index>(a), c);
      const double vb = points.values(static_cast<Eigen::Index>(b), c);
      if (va != vb) return va < vb;
    }
    return a < b;
  });
  std::vector<std::size_t> numbers;
  for (const auto row : rows) numbers.push_back(data.trials[points.trial_index[row]].number);
  return numbers;
}

std::vector<PairFront> pair_fronts(const ReportData& data, const ObjectivePoints& points) {
  std::vector<PairFront> fronts;
  const auto count = static_cast<Eigen::Index>(data.objectives.size());
  for (Eigen::Index x = 0; x < count; ++x)
    for (Eigen::Index y = x + 1; y < count; ++y) {
      Eigen::MatrixXd pair(points.values.rows(), 2);
      pair.col(0) = points.values.col(x);
      pair.col(1) = points.values.col(y);
      const auto rows = points.values.rows() ? pareto_front(pair) : std::vector<std::size_t>{};
      fronts.push_back({static_cast<std::size_t>(x), static_cast<std::size_t>(y),
                        sorted_trial_numbers(data, points, rows, {x, y})});
    }
  return fronts;
}

/// Scales every objective to [0, 1] over the study's points (a constant objective to 0), the
/// normalisation FrontScorer uses over a table, so studies of different units compare.
Eigen::MatrixXd normalised(const Eigen::MatrixXd& values) {
  Eigen::MatrixXd scaled = values;
  for (Eigen::Index c = 0; c < values.cols(); ++c) {
    const double lo = values.col(c).minCoeff();
    const double range = values.col(c).maxCoeff() - lo;
    scaled.col(c) = (values.col(c).array() - lo) / (range > 0.0 ? range : 1.0);
  }
  return scaled;
}

/// Hypervolume after each trial, in trial order. The set's front is kept incrementally and the
/// hypervolume recomputed only when a trial joins it, so a long study costs one computation per
/// front change rather than per trial.
std::vector<HypervolumePoint> hypervolume_curve(const ReportData& data, const ObjectivePoints& points) {
  std::vector<HypervolumePoint> curve;
  if (points.values.rows() == 0) return curve;
  const Eigen::MatrixXd scaled = normalised(points.values);
  const Eigen::RowVectorXd reference = Eigen::RowVectorXd::Constant(scaled.cols(), 1.1);
  std::vector<Eigen::RowVectorXd> front;
  double value = 0.0;
  std::size_t row = 0;
  for (std::size_t t = 0; t < data.trials.size(); ++t) {
    if (row < points.trial_index.size() && points.trial_index[row] == t) {
      const Eigen::RowVectorXd point = scaled.row(static_cast<Eigen::Index>(row++));
      const bool covered = std::any_of(front.begin(), front.end(), [&](const Eigen::RowVectorXd& kept) {
        return kept == point || dominates(kept, point);
      });
      if (!covered) {
        std::erase_if(front, [&](const Eigen::RowVectorXd& kept) { return dominates(point, kept); });
        front.push_back(point);
        Eigen::MatrixXd matrix(static_cast<Eigen::Index>(front.size()), scaled.cols());
        for (std::size_t f = 0; f < front.size(); ++f) matrix.row(static_cast<Eigen::Index>(f)) = front[f];
        value = hypervolume(matrix, reference);
      }
    }
    curve.push_back({data.trials[t].number, value});
  }
  return curve;
}

}  // namespace

void compute_fronts(ReportData& data) {
  const auto points = objective_points(data);
  std::vector<std::size_t> rows;
  if (points.values.rows() > 0) rows = pareto_front(points.values);
  std::vector<Eigen::Index> columns;
  for (Eigen::Index c = 0; c < points.values.cols(); ++c) columns.push_back(c);
  data.front = sorted_trial_numbers(data, points, rows, columns);
  data.pair_fronts = pair_fronts(data, points);
  if (data.hypervolume.points.empty()) {
    data.hypervolume.source = "computed";
    data.hypervolume.normalisation = fmt::format(
        "objectives in minimisation form scaled to [0, 1] over the study's {} complete trials, reference "
        "point 1.1 in each",
        points.values.rows());
    data.hypervolume.points = hypervolume_curve(data, points);
  }
}

}  // namespace codse::report
