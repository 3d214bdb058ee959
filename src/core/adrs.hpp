#pragma once
// Average Distance from Reference Set (ADRS): how far an approximate Pareto front is from the
// true one, in the three forms the design-space-exploration literature uses.

#include <string_view>
#include <vector>

#include <Eigen/Core>

#include "core/objective.hpp"

namespace codse {

/// The three ADRS forms. Gamma is the reference set (the true Pareto front), Omega the
/// approximation; every form is a mean over gamma in Gamma of the distance from gamma to the
/// closest omega in Omega, and every form returns a fraction (0.01 = 1%), never percent.
enum class AdrsForm {
  /// Kastner's group (ATNE, Meng et al. DATE 2016). Objectives become maximised values y
  /// (y = 1/x for a minimised objective, y = x for a maximised one);
  ///   ADRS = mean_gamma min_omega max(0, max_j (gamma_j - omega_j) / gamma_j)   on y.
  /// Minimised objectives need x > 0 and maximised ones a reference x > 0.
  krg,
  /// Palermo et al.; Liu and Carloni. On minimised values z (z = x for a minimised objective;
  /// z = 1/x for a maximised one, so that relative differences stay meaningful, hence x > 0);
  ///   ADRS = mean_gamma min_omega max_j max(0, (omega_j - gamma_j) / gamma_j)   on z.
  /// The reference values z must be > 0.
  classic,
  /// As classic, but each difference is divided by ranges_j, the objective's max - min over the
  /// whole table, as epsilon-PAL (Zuluaga et al.) reports it. Maximised objectives are negated
  /// (a range-normalised difference does not depend on the sign), so any finite value works.
  /// A zero range makes that objective's difference count as 0.
  range,
};

/// "krg", "classic" or "range".
std::string_view to_string(AdrsForm form);

/// ADRS of approximation with respect to reference, both holding points (rows) in their original
/// units, senses giving each column's direction. ranges (max - min of each objective over the
/// whole table, length = number of objectives) is used by AdrsForm::range only.
///
/// Returns a fraction: 0 when approximation covers every reference point (contains it or a point
/// at least as good), +infinity when approximation is empty. A dominated omega never beats the
/// omega that dominates it, so passing every evaluated point gives the same value as passing only
/// their Pareto front. Cost O(|reference| |approximation| m).
///
/// Throws std::invalid_argument when reference is empty, the column counts, senses and ranges
/// disagree, a value is not finite, or a value the form inverts or divides by is not > 0 (see
/// each form).
double adrs(AdrsForm form, const Eigen::MatrixXd& reference, const Eigen::MatrixXd& approximation,
            const std::vector<Sense>& senses, const Eigen::RowVectorXd& ranges = {});

}  // namespace codse
