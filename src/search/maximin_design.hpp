#pragma once
// Maximin (farthest-point) initial design: each pick is the candidate farthest, in features, from
// the picks so far. Started from a given candidate, it reaches the corners of the knob space first
// (every knob at an end of its range), and in hardware spaces those corners are the extremes of the
// front: everything unrolled is the fastest design, nothing unrolled the smallest. epsilon-PAL and
// ATNE start from it.

#include <cstddef>
#include <vector>

#include <Eigen/Core>

namespace codse {

/// Picks up to count distinct rows of features, first `first`, then farthest-point; stops early
/// once every row coincides with a pick. Deterministic; among rows equally far, Eigen's maxCoeff
/// decides.
std::vector<std::size_t> maximin_select(const Eigen::MatrixXd& features, std::size_t count, std::size_t first);

}  // namespace codse
