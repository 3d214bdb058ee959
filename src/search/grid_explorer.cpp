#include "search/grid_explorer.hpp"

#include "search/explorer_registry.hpp"
#include <algorithm>
#include <numeric>

namespace codse {

unsigned GridExplorer::refinement_level(std::size_t i, std::size_t n) {
  if (n <= 1 || i == 0 || i + 1 == n) return 0;
  // Bisect [lo, hi] until i is a midpoint; the number of halvings is the level.
  std::size_t lo = 0, hi = n - 1;
  for (unsigned level = 1;; ++level) {
    const std::size_t mid = (lo + hi) / 2;
    if (i == mid || hi - lo <= 1) return level;
    (i < mid ? hi : lo) = mid;
  }
}

GridExplorer::GridExplorer(const ExplorerSetup& setup)
    : observations_(*setup.pool, setup.objectives), order_(setup.pool->size()) {
  const auto& pool = *setup.pool;
  const auto& knobs = pool.space().knobs();
  std::vector<unsigned> level(pool.size(), 0);
  for (std::size_t i = 0; i < pool.size(); ++i)
    for (std::size_t k = 0; k < knobs.size(); ++k) {
      const auto position = knobs[k].index_of(pool.design(i).values[k]);
      level[i] = std::max(level[i], refinement_level(position, knobs[k].size()));
    }
  std::iota(order_.begin(), order_.end(), std::size_t{0});
  std::stable_sort(order_.begin(), order_.end(),
                   [&](std::size_t a, std::size_t b) { return level[a] < level[b]; });
}

std::vector<Design> GridExplorer::ask(std::size_t n) {
  std::vector<Design> designs;
  for (; next_ < order_.size() && designs.size() < n; ++next_) {
    const auto i = order_[next_];
    if (!observations_.is_open(i)) continue;
    observations_.mark_pending(i);
    designs.push_back(observations_.pool().design(i));
  }
  return designs;
}

void GridExplorer::tell(const Trial& trial) { observations_.record(trial); }

ExplorerEntry grid_explorer_entry() {
  return plain_explorer_entry<GridExplorer>(
      "grid", "grid search, coarse to fine: every knob's ends first, then midpoints, quarter points...");
}

}  // namespace codse
