#pragma once
// `codse hw rtl` (Verilog for a network under a mapping) and `codse hw verify` (that Verilog
// simulated with Verilator against the IntegerModel, bit for bit, with measured cycles beside the
// analytic estimate). Registered under the `hw` subcommand.

#include <string>

#include <CLI/CLI.hpp>

#include "nn/integer/integer_model.hpp"

namespace codse {

/// The integer model of hw rtl, verify and synth: --integer-model, checked against --network
/// (nn::integer_model_difference), or exported from --weights. Throws InputError when both or
/// neither are given and when the model is of another network (naming both files).
nn::IntegerModel load_integer_model(const nn::Network& network, const std::string& network_file,
                                    const std::string& weights_file, const std::string& integer_model_file);

void add_hw_rtl_commands(CLI::App& hw);

}  // namespace codse
