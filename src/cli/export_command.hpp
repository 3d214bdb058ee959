#pragma once

#include <CLI/CLI.hpp>

namespace codse {

/// `codse export`: one design (a study's trial, or network + weights [+ mapping] files) into a
/// directory of files for codse, FINN and hls4ml; or a study's trials as a CSV / JSON table.
void add_export_command(CLI::App& app);

}  // namespace codse
