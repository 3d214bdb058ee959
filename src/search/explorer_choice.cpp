#include "search/explorer_choice.hpp"

#include <fmt/format.h>

namespace codse {

// The rule, from bench/dse/generalisation.sh (16 tables of 224 to 10,799 designs, 5 seeds, krg
// ADRS at 5% and 10% of each table; bench/dse/RESULTS.md):
//  - below kForestBudget evaluations epsilon-PAL was better on every table measured (budgets of
//    11 to 64 on the CHStone tables: ATNE's forests, fitted on a few dozen designs, did no better
//    than random sampling, while the GPs already ranked the designs);
//  - from about 100 evaluations on, ATNE was better on most tables, and it costs far less time
//    on large pools (epsilon-PAL's posterior grows with pool x evaluations).
// The pool size enters only through the budget; it is reported so the user sees both.
constexpr std::size_t kForestBudget = 100;

ExplorerChoice choose_explorer(std::size_t pool_size, std::size_t budget) {
  if (budget < kForestBudget)
    return {"epal", fmt::format("budget {} < {} evaluations on {} designs: Gaussian processes learn from fewer",
                                budget, kForestBudget, pool_size)};
  return {"atne", fmt::format("budget {} >= {} evaluations on {} designs", budget, kForestBudget, pool_size)};
}

}  // namespace codse
