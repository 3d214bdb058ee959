#include "learn/forest_features.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace codse {

BinnedFeatures::BinnedFeatures(const Eigen::MatrixXd& x)
    : rows_(static_cast<std::size_t>(x.rows())),
      values_(static_cast<std::size_t>(x.cols())),
      bins_(static_cast<std::size_t>(x.rows() * x.cols())) {
  for (std::size_t f = 0; f < values_.size(); ++f) {
    const auto column = x.col(static_cast<Eigen::Index>(f));
    std::vector<double>& distinct = values_[f];
    distinct.assign(column.begin(), column.end());
    if (std::any_of(distinct.begin(), distinct.end(), [](double v) { return std::isnan(v); }))
      throw std::invalid_argument("BinnedFeatures: feature " + std::to_string(f) + " has NaN");
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    max_bin_count_ = std::max(max_bin_count_, distinct.size());
    std::uint32_t* bins = bins_.data() + f * rows_;
    for (std::size_t r = 0; r < rows_; ++r) {
      const auto at = std::lower_bound(distinct.begin(), distinct.end(), column(static_cast<Eigen::Index>(r)));
      bins[r] = static_cast<std::uint32_t>(at - distinct.begin());
    }
  }
}

}  // namespace codse
