#include "search/maximin_design.hpp"

#include <limits>

namespace codse {

std::vector<std::size_t> maximin_select(const Eigen::MatrixXd& features, std::size_t count, std::size_t first) {
  std::vector<std::size_t> picks;
  const auto rows = static_cast<std::size_t>(features.rows());
  if (count == 0 || rows == 0) return picks;
  Eigen::VectorXd nearest = Eigen::VectorXd::Constant(features.rows(), std::numeric_limits<double>::infinity());
  std::size_t next = first;
  while (picks.size() < count) {
    picks.push_back(next);
    nearest = nearest.cwiseMin((features.rowwise() - features.row(static_cast<Eigen::Index>(next))).rowwise().squaredNorm());
    Eigen::Index best = 0;
    nearest.maxCoeff(&best);
    if (nearest(best) <= 0.0) break;  // every design coincides with a pick
    next = static_cast<std::size_t>(best);
  }
  return picks;
}

}  // namespace codse
