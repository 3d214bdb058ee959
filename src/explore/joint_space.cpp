#include "explore/joint_space.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <Eigen/Core>

#include "core/hypervolume.hpp"
#include "core/pareto_front.hpp"

namespace codse::explore {
namespace {

bool is_accuracy_metric(const std::string& metric) { return metric == "error" || metric == "accuracy"; }

Eigen::MatrixXd as_matrix(const std::vector<std::vector<double>>& points, std::size_t columns) {
  Eigen::MatrixXd m(static_cast<Eigen::Index>(points.size()), static_cast<Eigen::Index>(columns));
  for (std::size_t r = 0; r < points.size(); ++r)
    for (std::size_t c = 0; c < columns; ++c) m(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = points[r][c];
  return m;
}

}  // namespace

JointSpace::JointSpace(std::vector<Objective> objectives) : objectives_(std::move(objectives)) {}

std::optional<std::vector<double>> JointSpace::point(const Trial& trial) const {
  if (trial.status != TrialStatus::complete) return std::nullopt;
  std::vector<double> p;
  for (const auto& o : objectives_) {
    const auto it = trial.metrics.values.find(o.metric);
    if (it == trial.metrics.values.end() || !std::isfinite(it->second)) return std::nullopt;
    double v = it->second;
    if (!is_accuracy_metric(o.metric)) v = std::log10(std::max(v, 1e-9));
    p.push_back(o.minimised(v));
  }
  return p;
}

std::vector<std::size_t> JointSpace::front(const std::vector<Trial>& trials) const {
  std::vector<std::vector<double>> points;
  std::vector<std::size_t> index;
  for (std::size_t i = 0; i < trials.size(); ++i)
    if (auto p = point(trials[i])) {
      points.push_back(std::move(*p));
      index.push_back(i);
    }
  if (points.empty()) return {};
  std::vector<std::size_t> result;
  for (auto row : pareto_front(as_matrix(points, objectives_.size()))) result.push_back(index[row]);
  return result;
}

std::vector<double> JointSpace::reference(const std::vector<Trial>& first) const {
  std::vector<double> worst(objectives_.size(), -std::numeric_limits<double>::infinity());
  for (const auto& trial : first)
    if (auto p = point(trial))
      for (std::size_t c = 0; c < p->size(); ++c) worst[c] = std::max(worst[c], (*p)[c]);
  std::vector<double> reference;
  for (std::size_t c = 0; c < objectives_.size(); ++c) {
    const auto& o = objectives_[c];
    if (is_accuracy_metric(o.metric)) reference.push_back(o.minimised(o.metric == "error" ? 1.0 : 0.0));
    else reference.push_back(std::isfinite(worst[c]) ? worst[c] + 1.0 : 10.0);
  }
  return reference;
}

double JointSpace::hypervolume(const std::vector<Trial>& trials, const std::vector<double>& reference) const {
  std::vector<std::vector<double>> points;
  for (const auto& trial : trials)
    if (auto p = point(trial)) points.push_back(std::move(*p));
  if (points.empty()) return 0.0;
  Eigen::RowVectorXd ref(static_cast<Eigen::Index>(reference.size()));
  for (std::size_t c = 0; c < reference.size(); ++c) ref(static_cast<Eigen::Index>(c)) = reference[c];
  return codse::hypervolume(as_matrix(points, objectives_.size()), ref);
}

}  // namespace codse::explore
