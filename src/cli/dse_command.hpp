#pragma once
// `codse dse`: explore a TableSpace (a CSV of evaluated designs) with any explorer and report how
// close the evaluated front came to the table's true front.

#include <CLI/CLI.hpp>

namespace codse {

/// Adds the dse subcommand to app; its callback runs the exploration.
void add_dse_command(CLI::App& app);

}  // namespace codse
