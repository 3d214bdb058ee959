#pragma once
// `codse explore CONFIG.yaml [--db STUDY.sqlite] [--resume]`: the main job, the co-exploration of
// networks and hardware (explore/co_exploration.hpp). Every trial is stored in the SQLite study as
// it finishes, weights go to STUDY.artifacts/ next to it; --resume continues a killed run.

#include <CLI/CLI.hpp>

namespace codse {

void add_explore_command(CLI::App& app);

}  // namespace codse
