#include "explore/kernel_density.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace codse::explore {

KernelDensity::KernelDensity(std::vector<std::vector<double>> points, double min_bandwidth)
    : points_(std::move(points)) {
  if (points_.empty()) throw std::invalid_argument("kernel density of no points");
  const auto dims = points_.front().size();
  const auto n = static_cast<double>(points_.size());
  const double scott = std::pow(n, -1.0 / (static_cast<double>(dims) + 4.0));
  bandwidths_.assign(dims, min_bandwidth);
  for (std::size_t d = 0; d < dims; ++d) {
    double mean = 0.0, square = 0.0;
    for (const auto& p : points_) mean += p.at(d);
    mean /= n;
    for (const auto& p : points_) square += (p[d] - mean) * (p[d] - mean);
    const double sigma = points_.size() > 1 ? std::sqrt(square / (n - 1.0)) : 0.0;
    bandwidths_[d] = std::max(min_bandwidth, sigma * scott);
  }
}

double KernelDensity::density(const std::vector<double>& x) const {
  if (x.size() != bandwidths_.size()) throw std::invalid_argument("kernel density: wrong dimension");
  double norm = 1.0;
  for (double h : bandwidths_) norm *= h * std::sqrt(2.0 * std::numbers::pi);
  double sum = 0.0;
  for (const auto& p : points_) {
    double exponent = 0.0;
    for (std::size_t d = 0; d < x.size(); ++d) {
      const double z = (x[d] - p[d]) / bandwidths_[d];
      exponent += z * z;
    }
    sum += std::exp(-0.5 * exponent);
  }
  return sum / (static_cast<double>(points_.size()) * norm);
}

}  // namespace codse::explore
