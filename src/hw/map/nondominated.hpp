#pragma once
// A Pareto filter for the HAL's large candidate sets: rows stored row-major in one flat array
// (cache-friendly for millions of rows, unlike core::pareto_front's column-major matrix), and
// identical rows collapsed to one, since the HAL needs one representative per cost vector.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace codse::hw {

/// Indices of the rows of `keys` (rows of `dims` values each, row-major, all minimised) that no
/// other row dominates, keeping only the first (lowest index) of identical rows, in
/// lexicographic order of the rows. One dimension: the minimum; two: sort and sweep,
/// O(n log n); more: sort lexicographically, then test each row against the rows kept so far
/// (skipping the first dimension, which the order already settles), O(n log n + n |front| d).
/// With a limit, stops as soon as more than `limit` rows are kept and returns those (callers
/// that only want small fronts use it to give up early).
std::vector<std::uint32_t> nondominated_rows(const std::vector<double>& keys, std::size_t dims,
                                             std::size_t limit = static_cast<std::size_t>(-1));

}  // namespace codse::hw
