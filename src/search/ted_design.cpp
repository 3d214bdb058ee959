#include "search/ted_design.hpp"

#include <algorithm>
#include <numeric>

#include "core/random_draws.hpp"
#include "learn/forest_rng.hpp"

namespace codse {
namespace {

/// The rows TED chooses among: all of them, or a seeded random subset in ascending order.
std::vector<std::size_t> candidate_rows(std::size_t rows, std::size_t limit, std::uint64_t seed) {
  std::vector<std::size_t> all(rows);
  std::iota(all.begin(), all.end(), std::size_t{0});
  if (rows <= limit) return all;
  ForestRng rng(seed);
  draw::shuffle_prefix(std::span(all), limit, [&](std::size_t m) { return rng.below(m); });
  all.resize(limit);
  std::sort(all.begin(), all.end());
  return all;
}

Eigen::MatrixXd squared_distances(const Eigen::MatrixXd& points) {
  const Eigen::VectorXd norms = points.rowwise().squaredNorm();
  Eigen::MatrixXd d = -2.0 * points * points.transpose();
  d.colwise() += norms;
  d.rowwise() += norms.transpose();
  return d.cwiseMax(0.0);
}

/// Median of the off-diagonal squared distances (1 when the points all coincide).
double median_heuristic(const Eigen::MatrixXd& distances) {
  std::vector<double> upper;
  const Eigen::Index n = distances.rows();
  upper.reserve(static_cast<std::size_t>(n * (n - 1) / 2));
  for (Eigen::Index j = 1; j < n; ++j)
    for (Eigen::Index i = 0; i < j; ++i) upper.push_back(distances(i, j));
  if (upper.empty()) return 1.0;
  auto middle = upper.begin() + static_cast<std::ptrdiff_t>(upper.size() / 2);
  std::nth_element(upper.begin(), middle, upper.end());
  return *middle > 0.0 ? *middle : 1.0;
}

}  // namespace

std::vector<std::size_t> ted_select(const Eigen::MatrixXd& features, std::size_t count,
                                    const TedOptions& options, std::uint64_t seed) {
  const auto rows = candidate_rows(static_cast<std::size_t>(features.rows()),
                                   std::max<std::size_t>(options.subset_limit, 1), seed);
  Eigen::MatrixXd points(static_cast<Eigen::Index>(rows.size()), features.cols());
  for (std::size_t k = 0; k < rows.size(); ++k)
    points.row(static_cast<Eigen::Index>(k)) = features.row(static_cast<Eigen::Index>(rows[k]));
  Eigen::MatrixXd kernel = squared_distances(points);
  kernel = (-kernel.array() / median_heuristic(kernel)).exp().matrix();

  std::vector<std::size_t> picked;
  std::vector<bool> taken(rows.size(), false);
  Eigen::VectorXd column;
  while (picked.size() < std::min(count, rows.size())) {
    const Eigen::RowVectorXd reach = kernel.colwise().squaredNorm();
    Eigen::Index best = -1;
    double best_score = -1.0;
    for (Eigen::Index i = 0; i < kernel.cols(); ++i) {
      const double score = reach[i] / (kernel(i, i) + options.regularisation);
      if (!taken[static_cast<std::size_t>(i)] && score > best_score) {
        best = i;
        best_score = score;
      }
    }
    taken[static_cast<std::size_t>(best)] = true;
    picked.push_back(rows[static_cast<std::size_t>(best)]);
    column = kernel.col(best);
    kernel.noalias() -= column * column.transpose() / (column[best] + options.regularisation);
  }
  return picked;
}

}  // namespace codse
