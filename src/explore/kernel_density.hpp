#pragma once
// A Gaussian kernel density estimate over points in a few dimensions, as LEMONADE uses over the
// cheap objectives of its population: product kernels with Scott's rule bandwidth per dimension
// (sigma * n^(-1/(d+4))), floored so that a population of one point or of equal values still has a
// usable density.

#include <cstddef>
#include <vector>

namespace codse::explore {

class KernelDensity {
 public:
  /// points: rows of equal size (at least one). min_bandwidth floors every dimension's bandwidth.
  KernelDensity(std::vector<std::vector<double>> points, double min_bandwidth);

  /// The density at x (same dimension as the points).
  double density(const std::vector<double>& x) const;
  const std::vector<double>& bandwidths() const { return bandwidths_; }

 private:
  std::vector<std::vector<double>> points_;
  std::vector<double> bandwidths_;
};

}  // namespace codse::explore
