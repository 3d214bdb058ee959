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

/// The same with 0 as "off" (unroll 0, 2, 4, 8 or 0, 5, 10, 25, 50 on the CHStone tables): the
/// positive values are multiplicative and 0 sits one halving below the smallest of them. Linear
/// scaling squeezed every small factor next to 0 (issue 15).
bool multiplicative_with_zero(const Knob& knob) {
  const auto& v = knob.values();
  return v.size() >= 3 && v.front() == 0.0 && v[1] > 0.0 && v.back() >= 8.0 * v[1];
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
    const bool with_zero = multiplicative_with_zero(knob);
    const bool log_scale = with_zero || multiplicative(knob);
    const double zero_as = with_zero ? knob.values()[1] / 2.0 : 0.0;
    auto transform = [&](double v) { return log_scale ? std::log2(v == 0.0 && with_zero ? zero_as : v) : v; };
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
