#pragma once
// Scores a set of evaluated designs against an exhaustively known design space: the ADRS forms
// and the hypervolume ratio of the evaluated front to the true front. Used by `codse dse` and by
// the explorer benchmarks (ADRS versus evaluations), so the true front is computed once.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "core/adrs.hpp"
#include "core/objective.hpp"
#include "core/table_space.hpp"

namespace codse {

struct FrontQuality {
  std::size_t evaluations = 0;
  std::size_t front_size = 0;       ///< non-dominated designs among the evaluated ones
  std::size_t true_front_size = 0;  ///< non-dominated designs of the whole table
  /// Fractions (0.01 = 1%). krg and classic invert or divide by objective values, so they are
  /// empty when the table's values make them undefined (e.g. a minimised count that is 0 for most
  /// designs); FrontScorer::undefined says why. The range form and the hypervolume ratio are
  /// defined for every finite table.
  std::optional<double> adrs_krg;
  std::optional<double> adrs_classic;
  double adrs_range = 0.0;
  double hypervolume_ratio = 0.0;   ///< hypervolume(evaluated front) / hypervolume(true front)
};

/// The objective columns of a table as a rows x objectives matrix in original units. Throws
/// InputError naming the file and column if one is missing or not numeric.
Eigen::MatrixXd objective_matrix(const TableSpace& table, const std::vector<Objective>& objectives);

class FrontScorer {
 public:
  /// values: every design's objectives in original units (rows), e.g. from objective_matrix.
  FrontScorer(Eigen::MatrixXd values, std::vector<Objective> objectives);

  /// Hypervolume is computed on objectives normalised to [0, 1] over the table (minimisation
  /// form), with the reference point 1.1 in every objective, so the worst designs still count.
  FrontQuality score(const std::vector<std::size_t>& evaluated_rows) const;
  /// Throws InputError (with the reason of undefined(form)) when the form is not defined here.
  double adrs(AdrsForm form, const std::vector<std::size_t>& evaluated_rows) const;
  /// Why an ADRS form cannot be computed on this table, naming the objective and a row; empty
  /// when it can. Decided on the whole table, not on the rows evaluated, so every run on a table
  /// reports the same forms.
  const std::optional<std::string>& undefined(AdrsForm form) const { return undefined_[static_cast<std::size_t>(form)]; }
  const std::vector<std::size_t>& true_front() const { return true_front_; }

 private:
  Eigen::MatrixXd normalised(const std::vector<std::size_t>& rows) const;

  Eigen::MatrixXd values_;
  std::vector<Objective> objectives_;
  std::vector<Sense> senses_;
  Eigen::MatrixXd minimised_;
  std::vector<std::size_t> true_front_;
  Eigen::MatrixXd reference_set_;
  Eigen::RowVectorXd ranges_;
  Eigen::RowVectorXd lower_;
  double true_hypervolume_ = 0.0;
  std::array<std::optional<std::string>, 3> undefined_;  ///< by AdrsForm
};

}  // namespace codse
