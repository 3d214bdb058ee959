#pragma once
// Training inputs of regression trees, prepared once per data set and shared by every tree of a
// forest (and by every forest of an ensemble): each feature's distinct values, sorted, and each
// row's position ("bin") among them. Split search then works on bins, so a node costs
// O(rows + distinct values) per feature with no sorting; knob features have only a handful of
// distinct values, which makes that search cheap.

#include <cstddef>
#include <cstdint>
#include <vector>

#include <Eigen/Core>

namespace codse {

class BinnedFeatures {
 public:
  BinnedFeatures() = default;
  /// x holds one row per sample and one column per feature; values must not be NaN.
  explicit BinnedFeatures(const Eigen::MatrixXd& x);

  std::size_t rows() const { return rows_; }
  std::size_t features() const { return values_.size(); }
  /// Sorted distinct values of feature f.
  const std::vector<double>& values(std::size_t f) const { return values_[f]; }
  std::size_t bin_count(std::size_t f) const { return values_[f].size(); }
  /// Index of row r's value of feature f in values(f).
  std::uint32_t bin(std::size_t r, std::size_t f) const { return bins_[f * rows_ + r]; }
  /// Bins of feature f for every row (contiguous, rows() long).
  const std::uint32_t* feature_bins(std::size_t f) const { return bins_.data() + f * rows_; }
  /// Row r's original value of feature f.
  double value(std::size_t r, std::size_t f) const { return values_[f][bin(r, f)]; }
  /// Largest bin_count over the features.
  std::size_t max_bin_count() const { return max_bin_count_; }

 private:
  std::size_t rows_ = 0;
  std::size_t max_bin_count_ = 0;
  std::vector<std::vector<double>> values_;
  std::vector<std::uint32_t> bins_;  ///< feature-major: the split search scans one feature at a time
};

}  // namespace codse
