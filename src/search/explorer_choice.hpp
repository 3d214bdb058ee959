#pragma once
// `--algo auto`: which explorer to run on a finite pool, from the pool's size and the budget.
// The rule and the measurements behind it are in explorer_choice.cpp (bench/dse/RESULTS.md).

#include <cstddef>
#include <string>

namespace codse {

struct ExplorerChoice {
  std::string explorer;  ///< a registered explorer name
  std::string reason;    ///< one line for the user: why this one
};

/// The explorer `--algo auto` runs for a pool of pool_size designs and a budget of evaluations.
ExplorerChoice choose_explorer(std::size_t pool_size, std::size_t budget);

}  // namespace codse
