#include "search/explorer_choice.hpp"

#include <fmt/format.h>

namespace codse {

// The rule, from bench/dse (RESULTS.md): 16 tables of 224 to 10,799 designs from six tool flows,
// 5 seeds, krg ADRS at 5% and 10% of each table (budgets of 11 to 1,079), and a 200,000-design
// synthetic table at 1%:
//  - two objectives: epsilon-PAL had the lower mean ADRS at both budgets (1.68% / 0.76% against
//    ATNE's 1.82% / 0.90%) and neither won by budget or pool size: each was better on some
//    tables at every size, so the budget does not decide;
//  - three objectives (the three CHStone tables): ATNE was better at both budgets (5.45% / 3.07%
//    against 6.20% / 3.45%);
//  - from kLargePool designs: ATNE, whose memory does not grow with the evaluations (on 200,000
//    designs and 2,000 evaluations epsilon-PAL peaked at 1,084 MB, ATNE at 323 MB plus the 102 MB
//    of its expected-improvement samples; the same CPU time).
constexpr std::size_t kLargePool = 100000;

ExplorerChoice choose_explorer(std::size_t pool_size, std::size_t budget, std::size_t objectives) {
  if (pool_size >= kLargePool)
    return {"atne", fmt::format("{} designs >= {}: forests keep memory bounded (budget {})", pool_size, kLargePool, budget)};
  if (objectives >= 3)
    return {"atne", fmt::format("{} objectives on {} designs, budget {}: forests did better with 3 objectives",
                                objectives, pool_size, budget)};
  return {"epal", fmt::format("{} objective(s) on {} designs, budget {}: Gaussian processes did better", objectives,
                              pool_size, budget)};
}

}  // namespace codse
