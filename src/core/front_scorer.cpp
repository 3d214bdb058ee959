#include "core/front_scorer.hpp"

#include <limits>

#include <fmt/format.h>

#include "core/error.hpp"

#include "core/hypervolume.hpp"
#include "core/pareto_front.hpp"

namespace codse {
namespace {

constexpr double hypervolume_reference = 1.1;

/// The first row (in order) of rows whose value in column is not > 0, if any.
std::optional<std::size_t> first_non_positive(const Eigen::MatrixXd& values, Eigen::Index column,
                                              const std::vector<std::size_t>& rows) {
  for (const auto r : rows)
    if (!(values(static_cast<Eigen::Index>(r), column) > 0.0)) return r;
  return std::nullopt;
}

}  // namespace

Eigen::MatrixXd objective_matrix(const TableSpace& table, const std::vector<Objective>& objectives) {
  Eigen::MatrixXd values(static_cast<Eigen::Index>(table.size()),
                         static_cast<Eigen::Index>(objectives.size()));
  for (std::size_t j = 0; j < objectives.size(); ++j) {
    table.require_numeric(objectives[j].metric);
    const auto& column = table.column(objectives[j].metric);
    for (std::size_t r = 0; r < table.size(); ++r)
      values(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(j)) = column[r];
  }
  return values;
}

FrontScorer::FrontScorer(Eigen::MatrixXd values, std::vector<Objective> objectives)
    : values_(std::move(values)), objectives_(std::move(objectives)) {
  const auto m = static_cast<Eigen::Index>(objectives_.size());
  minimised_ = values_;
  for (Eigen::Index j = 0; j < m; ++j) {
    senses_.push_back(objectives_[static_cast<std::size_t>(j)].sense);
    if (senses_.back() == Sense::maximize) minimised_.col(j) *= -1.0;
  }
  true_front_ = pareto_front(minimised_);
  reference_set_ = select_rows(values_, true_front_);
  lower_ = minimised_.colwise().minCoeff();
  ranges_ = minimised_.colwise().maxCoeff() - lower_;
  true_hypervolume_ = hypervolume(normalised(true_front_),
                                  Eigen::RowVectorXd::Constant(m, hypervolume_reference));
  // krg takes 1/x of every minimised value and divides by the true front's maximised values;
  // classic takes 1/x of every maximised value and divides by the true front's minimised values.
  // Any design may be evaluated, so "every value" means every row of the table.
  std::vector<std::size_t> every_row(static_cast<std::size_t>(values_.rows()));
  for (std::size_t r = 0; r < every_row.size(); ++r) every_row[r] = r;
  for (const auto form : {AdrsForm::krg, AdrsForm::classic}) {
    for (Eigen::Index j = 0; j < m && !undefined_[static_cast<std::size_t>(form)]; ++j) {
      const auto& objective = objectives_[static_cast<std::size_t>(j)];
      const bool inverted = (form == AdrsForm::krg) == (objective.sense == Sense::minimize);
      const auto row = first_non_positive(values_, j, inverted ? every_row : true_front_);
      if (!row) continue;
      undefined_[static_cast<std::size_t>(form)] = fmt::format(
          "objective {} is {} in row {} of the table{}, and this form {} it", objective.to_string(),
          values_(static_cast<Eigen::Index>(*row), j), *row, inverted ? "" : " (on the true front)",
          inverted ? "takes 1/x of" : "divides by");
    }
  }
}

Eigen::MatrixXd FrontScorer::normalised(const std::vector<std::size_t>& rows) const {
  Eigen::MatrixXd points = select_rows(minimised_, rows);
  for (Eigen::Index j = 0; j < points.cols(); ++j) {
    const double range = ranges_(j) > 0.0 ? ranges_(j) : 1.0;
    points.col(j) = (points.col(j).array() - lower_(j)) / range;
  }
  return points;
}

double FrontScorer::adrs(AdrsForm form, const std::vector<std::size_t>& evaluated_rows) const {
  if (const auto& why = undefined(form))
    throw InputError(fmt::format("ADRS {} is not defined: {}", to_string(form), *why));
  return codse::adrs(form, reference_set_, select_rows(values_, evaluated_rows), senses_, ranges_);
}

FrontQuality FrontScorer::score(const std::vector<std::size_t>& evaluated_rows) const {
  FrontQuality quality;
  quality.evaluations = evaluated_rows.size();
  quality.true_front_size = true_front_.size();
  const auto front = pareto_front(select_rows(minimised_, evaluated_rows));
  quality.front_size = front.size();
  if (!undefined(AdrsForm::krg)) quality.adrs_krg = adrs(AdrsForm::krg, evaluated_rows);
  if (!undefined(AdrsForm::classic)) quality.adrs_classic = adrs(AdrsForm::classic, evaluated_rows);
  quality.adrs_range = adrs(AdrsForm::range, evaluated_rows);
  const auto m = static_cast<Eigen::Index>(objectives_.size());
  const double hv = hypervolume(normalised(evaluated_rows),
                                Eigen::RowVectorXd::Constant(m, hypervolume_reference));
  quality.hypervolume_ratio = true_hypervolume_ > 0.0 ? hv / true_hypervolume_ : 0.0;
  return quality;
}

}  // namespace codse
