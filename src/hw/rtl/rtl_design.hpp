#pragma once
// RTL generation: the Verilog-2005 accelerator of (Network, IntegerModel, Mapping). write_rtl
// writes a directory with the library modules (src/hw/rtl/verilog, compiled into codse), one generated
// top level per network with valid/ready streams, the weight / threshold memories as .mem files
// ($readmemh) and, for every unit with a Mapping entry or an own kind, a stand-alone wrapper module
// with that unit's parameters and memories, so that synthesis can run layer by layer.

#include <filesystem>
#include <string>
#include <vector>

#include "hw/model/mapping.hpp"
#include "nn/integer/integer_model.hpp"
#include "nn/ir/network.hpp"

namespace codse::hw {

struct RtlDesign {
  std::string top;                               // module name of the network's top level
  std::filesystem::path dir;                     // the output directory
  std::vector<std::filesystem::path> files;      // every .v file of the top level (library + generated)
  struct LayerModule {
    std::string layer;                           // the network layer (or op) the unit computes
    std::string module;                          // its stand-alone top module
    std::vector<std::filesystem::path> files;    // the .v files that module needs (its .mem files are in dir)
  };
  std::vector<LayerModule> layers;
};

/// Writes the design into out_dir (created; existing files of the same names are replaced).
/// Throws InputError when the model and mapping do not fit the templates (names the op / layer).
RtlDesign write_rtl(const nn::Network& network, const nn::IntegerModel& model, const Mapping& mapping,
                    const std::filesystem::path& out_dir);

}  // namespace codse::hw
