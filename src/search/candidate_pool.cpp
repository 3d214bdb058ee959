#include "search/candidate_pool.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace codse {
namespace {

/// Knobs whose values are positive and span a factor of 8 or more are unroll factors, partition
/// factors, sizes: their effect is multiplicative, so surrogates see log2 of them.
bool multiplicative(const Knob& knob) {
  const auto& v = knob.values();
  return v.front() > 0.0 && v.back() >= 8.0 * v.front();
}

}  // namespace

CandidatePool::CandidatePool(Space space, std::vector<Design> designs)
    : space_(std::move(space)), designs_(std::move(designs)) {
  const auto dim = space_.dimension();
  features_.resize(static_cast<Eigen::Index>(designs_.size()), static_cast<Eigen::Index>(dim));
  index_of_.reserve(designs_.size());
  for (std::size_t i = 0; i < designs_.size(); ++i) {
    if (designs_[i].values.size() != dim)
      throw std::invalid_argument(fmt::format("candidate {} has {} values, the space has {} knobs", i,
                                              designs_[i].values.size(), dim));
    if (!index_of_.emplace(designs_[i], i).second)
      throw std::invalid_argument(fmt::format("candidate {} appears twice", i));
  }
  for (std::size_t k = 0; k < dim; ++k) {
    const auto& knob = space_.knobs()[k];
    const bool log_scale = multiplicative(knob);
    auto transform = [&](double v) { return log_scale ? std::log2(v) : v; };
    const double lo = transform(knob.values().front());
    const double span = transform(knob.values().back()) - lo;
    for (std::size_t i = 0; i < designs_.size(); ++i)
      features_(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(k)) =
          span > 0.0 ? (transform(designs_[i].values[k]) - lo) / span : 0.0;
  }
}

std::optional<std::size_t> CandidatePool::index_of(const Design& design) const {
  const auto it = index_of_.find(design);
  if (it == index_of_.end()) return std::nullopt;
  return it->second;
}

}  // namespace codse
