#pragma once
// `codse report STUDY.sqlite [--study NAME] --out report.html`: one self-contained HTML page of a
// study (Pareto plots, hypervolume, front designs with drill down, hints) that works offline.

#include <CLI/CLI.hpp>

namespace codse {

/// Adds the report subcommand to app; its callback writes the page.
void add_report_command(CLI::App& app);

}  // namespace codse
