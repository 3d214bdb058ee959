#pragma once
// `codse explore CONFIG --dry-run`: the plan of a run without running it or creating its store:
// networks, trials, who trains them, and the expected wall time from one calibration (the
// starting network trained once, explore/start_calibration.hpp; arithmetic in explore/run_plan.hpp).

#include <cstddef>
#include <string>

#include "explore/explore_config.hpp"

namespace codse {

/// Prints the plan on stdout. Under mpirun/srun only rank 0 calibrates and prints; the other ranks
/// return at once (no executor exists, so they serve nothing).
void print_explore_plan(const std::string& config_path, const explore::ExploreConfig& config, std::size_t workers);

}  // namespace codse
