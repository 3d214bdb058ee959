#include "search/explorer_choice.hpp"

#include <fmt/format.h>

namespace codse {

// The rule, from bench/dse (RESULTS.md): 16 tables of 224 to 10,799 designs from six tool flows,
// 5 seeds, krg ADRS at 5% and 10% of each table (budgets of 11 to 1,079), and a 200,000-design
// synthetic table at 1%:
//  - two objectives: epsilon-PAL had the lower mean ADRS at both budgets (1.68% / 0.76% against
//    ATNE's 1.82% / 0.90%), and neither won by budget or pool size: each was better on some
//    tables at every size;
//  - three objectives (the three CHStone tables): ATNE was better at both budgets (5.45% / 3.07%
//    against 6.20% / 3.45%);
//  - cost: a GP's posterior grows with designs x evaluations (and its factor with the square of
//    the evaluations), forests do not. The largest run measured, 200,000 designs x 2,000
//    evaluations, took epsilon-PAL 666 MB and 131 s (ATNE 427 MB, 227 s); beyond that product
//    ATNE runs, whose cost stays linear.
constexpr double kLargestMeasuredGp = 200000.0 * 2000.0;

ExplorerChoice choose_explorer(std::size_t pool_size, std::size_t budget, std::size_t objectives) {
  const double size = static_cast<double>(pool_size) * static_cast<double>(budget);
  if (size > kLargestMeasuredGp)
    return {"atne", fmt::format("{} designs x budget {} is beyond what Gaussian processes were measured at "
                                "(200,000 x 2,000); forests stay linear",
                                pool_size, budget)};
  if (objectives >= 3)
    return {"atne", fmt::format("{} objectives on {} designs, budget {}: forests did better with 3 objectives",
                                objectives, pool_size, budget)};
  return {"epal", fmt::format("{} objective(s) on {} designs, budget {}: Gaussian processes did better", objectives,
                              pool_size, budget)};
}

}  // namespace codse
