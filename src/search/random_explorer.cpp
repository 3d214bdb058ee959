#include "search/random_explorer.hpp"

#include "search/explorer_registry.hpp"
#include <numeric>
#include <random>

#include "core/random_draws.hpp"

namespace codse {

RandomExplorer::RandomExplorer(const ExplorerSetup& setup)
    : observations_(*setup.pool, setup.objectives), order_(setup.pool->size()) {
  std::iota(order_.begin(), order_.end(), std::size_t{0});
  // Fisher-Yates by hand: std::shuffle's draws are implementation-defined, ours are the same on
  // every standard library, so a seed names one run everywhere.
  std::mt19937_64 rng(setup.seed);
  draw::shuffle(std::span(order_), [&](std::size_t m) { return rng() % m; });
}

std::vector<Design> RandomExplorer::ask(std::size_t n) {
  std::vector<Design> designs;
  for (; next_ < order_.size() && designs.size() < n; ++next_) {
    const auto i = order_[next_];
    if (!observations_.is_open(i)) continue;
    observations_.mark_pending(i);
    designs.push_back(observations_.pool().design(i));
  }
  return designs;
}

void RandomExplorer::tell(const Trial& trial) { observations_.record(trial); }

ExplorerEntry random_explorer_entry() {
  return plain_explorer_entry<RandomExplorer>("random", "random sampling without replacement (the baseline)");
}

}  // namespace codse
