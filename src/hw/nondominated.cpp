#include "hw/nondominated.hpp"

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
std::vector<std::uint32_t> sweep_2d(const std::vector<double>& keys, const std::vector<std::uint32_t>& order) {
  std::vector<std::uint32_t> kept;
  double best = std::numeric_limits<double>::infinity();
  for (const auto row : order) {
    const double f2 = keys[row * 2 + 1];
    if (f2 < best) {
      kept.push_back(row);
      best = f2;
    }
  }
  return kept;
}

std::vector<std::uint32_t> filter_nd(const std::vector<double>& keys, std::size_t dims,
                                     const std::vector<std::uint32_t>& order) {
  // Rows before a row in lexicographic order are <= in the first dimension, so a kept row
  // dominates (or equals) the candidate exactly when it is <= in dimensions 1..dims-1.
  const std::size_t rest = dims - 1;
  std::vector<double> front;  // kept rows without their first dimension
  std::vector<std::uint32_t> kept;
  for (const auto row : order) {
    const double* candidate = &keys[row * dims + 1];
    bool dominated = false;
    for (std::size_t k = 0, n = kept.size(); k < n && !dominated; ++k) {
      const double* other = &front[k * rest];
      std::size_t j = 0;
      while (j < rest && other[j] <= candidate[j]) ++j;
      dominated = j == rest;
    }
    if (dominated) continue;
    kept.push_back(row);
    front.insert(front.end(), candidate, candidate + rest);
  }
  return kept;
}

}  // namespace

std::vector<std::uint32_t> nondominated_rows(const std::vector<double>& keys, std::size_t dims) {
  if (keys.empty() || dims == 0) return keys.empty() ? std::vector<std::uint32_t>{} : std::vector<std::uint32_t>{0};
  const auto order = lexicographic_order(keys, dims);
  if (dims == 1) return {order.front()};
  if (dims == 2) return sweep_2d(keys, order);
  return filter_nd(keys, dims, order);
}

}  // namespace codse::hw
