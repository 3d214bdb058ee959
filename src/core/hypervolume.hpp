#pragma once
// Exact hypervolume of a point set in minimisation form: the volume dominated by the set and
// bounded by a reference point.

#include <Eigen/Core>

namespace codse {

/// Exact hypervolume for any number of objectives. Points not strictly better than reference in
/// every objective contribute nothing (NaN coordinates included). Two and three objectives take
/// O(n log n) sweeps; more use HSO slicing (While et al., 2006) along the last objective down to
/// the three-objective sweep, O(n^(d-2) log n), with dominated points dropped from each slice.
/// Measured on mutually non-dominated points: 4 ms for 300 points in 4-D, 0.1 s for 200 in 5-D,
/// 0.25 s for 100 in 6-D (so WFG would be the next step for larger 6-D fronts).
/// Throws std::invalid_argument when reference's size differs from the number of columns.
double hypervolume(const Eigen::MatrixXd& points, const Eigen::RowVectorXd& reference);

}  // namespace codse
