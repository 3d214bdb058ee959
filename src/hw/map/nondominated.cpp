#include "hw/map/nondominated.hpp"

#include <algorithm>
#include <limits>
#include <numeric>

namespace codse::hw {
namespace {

std::vector<std::uint32_t> lexicographic_order(const std::vector<double>& keys, std::size_t dims) {
  const std::size_t n = keys.size() / dims;
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    const double* ra = &keys[a * dims];
    const double* rb = &keys[b * dims];
    for (std::size_t j = 0; j < dims; ++j)
      if (ra[j] != rb[j]) return ra[j] < rb[j];
    return a < b;
  });
  return order;
}

// Sorted by (f1, f2), a row survives when its f2 is below every f2 seen before it; an identical
// row that follows has an equal f2 and is dropped.
std::vector<std::uint32_t> sweep_2d(const std::vector<double>& keys, const std::vector<std::uint32_t>& order,
                                    std::size_t limit) {
  std::vector<std::uint32_t> kept;
  double best = std::numeric_limits<double>::infinity();
  for (const auto row : order) {
    const double f2 = keys[row * 2 + 1];
    if (f2 < best) {
      kept.push_back(row);
      best = f2;
      if (kept.size() > limit) break;
    }
  }
  return kept;
}

std::vector<std::uint32_t> filter_nd(const std::vector<double>& keys, std::size_t dims,
                                     const std::vector<std::uint32_t>& order, std::size_t limit) {
  // Rows before a row in lexicographic order are <= in the first dimension, so a kept row
  // dominates (or equals) the candidate exactly when it is <= in dimensions 1..dims-1.
  // Kept rows are probed in an order where a row that just dominated a candidate moves halfway
  // to the front (the transpose heuristic of self-organising lists): dominated candidates tend
  // to share dominators, so most are rejected after a few probes instead of a scan.
  const std::size_t rest = dims - 1;
  std::vector<double> front;          // kept rows without their first dimension
  std::vector<std::uint32_t> kept;    // in lexicographic order
  std::vector<std::uint32_t> probes;  // positions in kept, in probing order
  for (const auto row : order) {
    const double* candidate = &keys[row * dims + 1];
    bool dominated = false;
    for (std::size_t p = 0, n = probes.size(); p < n; ++p) {
      const double* other = &front[probes[p] * rest];
      std::size_t j = 0;
      while (j < rest && other[j] <= candidate[j]) ++j;
      if (j == rest) {
        std::swap(probes[p], probes[p / 2]);
        dominated = true;
        break;
      }
    }
    if (dominated) continue;
    probes.push_back(static_cast<std::uint32_t>(kept.size()));
    kept.push_back(row);
    front.insert(front.end(), candidate, candidate + rest);
    if (kept.size() > limit) break;
  }
  return kept;
}

}  // namespace

std::vector<std::uint32_t> nondominated_rows(const std::vector<double>& keys, std::size_t dims, std::size_t limit) {
  if (keys.empty() || dims == 0) return keys.empty() ? std::vector<std::uint32_t>{} : std::vector<std::uint32_t>{0};
  const auto order = lexicographic_order(keys, dims);
  if (dims == 1) return {order.front()};
  if (dims == 2) return sweep_2d(keys, order, limit);
  return filter_nd(keys, dims, order, limit);
}

}  // namespace codse::hw
