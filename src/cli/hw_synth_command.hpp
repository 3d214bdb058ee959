#pragma once
// `codse hw synth` (a network's RTL through Yosys layer by layer, cached, and on iCE40 through
// nextpnr-ice40 and icepack) and `codse hw calibrate` (the analytic estimator's per-family
// coefficients fitted to a corpus of synthesized layers). Registered under the `hw` subcommand.

#include <CLI/CLI.hpp>

namespace codse {

void add_hw_synth_commands(CLI::App& hw);

}  // namespace codse
