#pragma once
// `codse hw`: the hardware side of one network.
//   codse hw estimate --network NET --device NAME [--mapping MAP | --target-fps F] [--json]
//   codse hw map --network NET --device NAME [--objective M:min|max ...] [--constraint M>=V ...]
//                --out FRONT.json
//   codse hw devices
// Every subcommand takes --devices FILE to extend the built-in device catalog. The RTL and
// synthesis subcommands (rtl, verify: hw_rtl_command.hpp; synth, calibrate: hw_synth_command.hpp)
// are registered under it here.

#include <CLI/CLI.hpp>

namespace codse {

/// Adds `hw` with estimate, map, devices and the RTL / synthesis subcommands to app; returns the
/// hw subcommand, for more to register under it.
CLI::App* add_hw_command(CLI::App& app);

}  // namespace codse
