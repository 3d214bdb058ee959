#pragma once
// `--algo auto`: which explorer to run on a finite pool, from the pool's size, the budget and the
// number of objectives.
// The rule and the measurements behind it are in explorer_choice.cpp (bench/dse/RESULTS.md).

#include <cstddef>
#include <string>

namespace codse {

struct ExplorerChoice {
  std::string explorer;  ///< a registered explorer name
  std::string reason;    ///< one line for the user: why this one
};

/// The explorer `--algo auto` runs for a pool of pool_size designs, a budget of evaluations and
/// that many objectives.
ExplorerChoice choose_explorer(std::size_t pool_size, std::size_t budget, std::size_t objectives);

}  // namespace codse
