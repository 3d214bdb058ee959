#pragma once
// `codse hw rtl` (Verilog for a network under a mapping) and `codse hw verify` (that Verilog
// simulated with Verilator against the IntegerModel, bit for bit, with measured cycles beside the
// analytic estimate). Registered under the `hw` subcommand.

#include <CLI/CLI.hpp>

namespace codse {

void add_hw_rtl_commands(CLI::App& hw);

}  // namespace codse
