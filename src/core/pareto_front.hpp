#pragma once
// Pareto dominance, Pareto fronts and non-dominated sorting. All functions take points as the
// rows of a matrix in minimisation form (use Objective::minimised first), with no NaN values.

#include <cstddef>
#include <vector>

#include <Eigen/Core>

namespace codse {

/// a dominates b: a is no worse in every objective and better in at least one.
bool dominates(const Eigen::Ref<const Eigen::RowVectorXd>& a,
               const Eigen::Ref<const Eigen::RowVectorXd>& b);

/// Row indices of the non-dominated points, ascending. Identical points are all kept.
/// Two objectives take an O(n log n) sort-and-sweep path; more sort lexicographically and filter
/// each point against the front kept so far, O(n log n + n |front| m).
std::vector<std::size_t> pareto_front(const Eigen::MatrixXd& points);

/// Deb's fast non-dominated sort: fronts[0] is the Pareto front, fronts[1] the front once
/// fronts[0] is removed, and so on. Indices within a front ascend. O(m n^2) time, O(n^2) memory.
std::vector<std::vector<std::size_t>> non_dominated_sort(const Eigen::MatrixXd& points);

/// Crowding distance of the points of one front (NSGA-II), one value per entry of front, in the
/// same order. Per objective, the front's points are sorted (ties by position in front) and each
/// inner point adds (next - previous) / (max - min); the two extreme points get infinity. An
/// objective in which every point of the front is equal (zero range) adds 0 to every point.
std::vector<double> crowding_distance(const Eigen::MatrixXd& points,
                                      const std::vector<std::size_t>& front);

/// The rows of points listed in indices, in that order.
Eigen::MatrixXd select_rows(const Eigen::MatrixXd& points, const std::vector<std::size_t>& indices);

}  // namespace codse
