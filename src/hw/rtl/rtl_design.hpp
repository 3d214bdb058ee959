#pragma once
// RTL generation: the Verilog-2005 accelerator of (Network, IntegerModel, Mapping). write_rtl
// writes a directory with the library modules (src/hw/rtl/verilog, compiled into codse), one generated
// top level per network with valid/ready streams, the weight / threshold memories as .mem files
// ($readmemh) and, for every unit with a Mapping entry or an own kind, a stand-alone wrapper module
// with that unit's parameters and memories, so that synthesis can run layer by layer. Weights in
// UltraRAM / SPRAM are not in the bitstream: they come in through a load port (WeightLoad).

#include <cstdint>
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
  /// A layer whose weights live in UltraRAM / SPRAM (storage uram), which the bitstream does not
  /// initialise: the top level has a load stream for it that must carry `beats` words after reset
  /// before the first input is taken (codse_mvau.v, WEIGHT_STYLE 3).
  struct WeightLoad {
    std::string layer;
    std::string port;                            // the top level's <port>_valid, _ready, _data
    int width = 0;                               // bits per beat: PE x SIMD x weight bits
    int pe = 1;                                  // PE p's word is bits [p width/pe +: width/pe]
    std::int64_t beats = 0;                      // NF x SF: one per memory address, in order
    std::filesystem::path file;                  // the beats in order, hex, one per line
  };
  std::vector<WeightLoad> loads;                 // in unit order
};

/// Writes the design into out_dir (created; existing files of the same names are replaced).
/// Throws InputError when the model and mapping do not fit the templates (names the op / layer).
RtlDesign write_rtl(const nn::Network& network, const nn::IntegerModel& model, const Mapping& mapping,
                    const std::filesystem::path& out_dir);

}  // namespace codse::hw
