#pragma once
// The finite set of designs an explorer chooses from: an enumerated Space or the rows of a
// TableSpace. It also holds the designs' feature vectors for surrogates.

#include <cstddef>
#include <optional>
#include <unordered_map>
#include <vector>

#include <Eigen/Core>

#include "core/design.hpp"
#include "core/space.hpp"

namespace codse {

class CandidatePool {
 public:
  /// designs must be distinct and each have space.dimension() values.
  CandidatePool(Space space, std::vector<Design> designs);

  const Space& space() const { return space_; }
  const std::vector<Design>& designs() const { return designs_; }
  const Design& design(std::size_t i) const { return designs_[i]; }
  std::size_t size() const { return designs_.size(); }
  std::optional<std::size_t> index_of(const Design& design) const;

  /// size() x dimension() matrix of features in [0, 1]: each knob's value is mapped through log2
  /// when the knob's values are all positive and span at least a factor of 8 (unroll factors,
  /// partition factors and sizes act multiplicatively), or are 0 and positive values spanning a
  /// factor of 8 (0 then counts as half the smallest positive value), then scaled by the knob's
  /// min and max.
  /// Constant knobs become 0. Surrogates learn on these.
  const Eigen::MatrixXd& features() const { return features_; }

 private:
  Space space_;
  std::vector<Design> designs_;
  std::unordered_map<Design, std::size_t, DesignKeyHash> index_of_;
  Eigen::MatrixXd features_;
};

}  // namespace codse
