#pragma once
// Which Yosys flow synthesizes for a device, and the script that runs it. The family is read from
// the device's DSP primitive (DSP48E1: 7-series, DSP48E2: UltraScale+, SB_MAC16: iCE40,
// MULT18X18D: ECP5), the one field every catalog entry has that names the fabric exactly.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hw/model/device.hpp"

namespace codse::hw {

enum class SynthFamily { xc7, xcup, ecp5, ice40 };

std::string_view to_string(SynthFamily family);

/// Throws InputError naming the device when codse has no Yosys flow for it.
SynthFamily synth_family(const Device& device);

/// What one Yosys run reads and writes.
struct SynthScriptSpec {
  SynthFamily family = SynthFamily::xc7;
  bool use_dsp = true;                // iCE40: synth_ice40 -dsp (SB_MAC16, UP5K only)
  std::string top;
  std::vector<std::string> verilog;   // files to read, as the script should name them
  std::vector<std::pair<std::string, std::string>> parameters;  // chparam on the top module
  std::string stat_json;              // where `stat -json` goes
  std::string netlist_json;           // where the netlist goes for nextpnr; empty: not written
};

/// The Yosys script (one command per line):
///   xc7, xcup: synth_xilinx -family F -flatten -noiopad (no IBUF/OBUF per port). Not -abc9:
///              Yosys 0.23's abc9_ops aborts (std::out_of_range) on designs with a RAMB36E1 in
///              true-dual-port shape, which block-RAM weight memories of 600 x 20 or 1024 x 36
///              bits get (YosysHQ/yosys issue 3384, open); abc is as fast on our units (a
///              5000-LUT unit: 29 s abc, 35 s abc9) but gives more LUTs with MUXF7/F8, and is
///              much slower on wide LUT-only multipliers (TOOLCHAIN.md section 2: 600 s at 64 x 8).
///   ecp5:      synth_ecp5;   ice40: synth_ice40 [-dsp]
/// then stat -json (with -tech xilinx on Xilinx) into stat_json.
/// Loaded weight memories (codse_mvau.v WEIGHT_STYLE 3, storage uram) carry ram_style "ultra",
/// which Yosys 0.23's memory_libmap maps to its huge RAM on request: SB_SPRAM256KA on iCE40,
/// URAM288 on xcup. -spram / -uram are not given: they only let memory_libmap choose a huge RAM
/// for memories without that attribute too (-no-auto-huge otherwise), which the estimate counts
/// as block RAM, so its uram and the synthesized uram would no longer count the same memories.
std::string yosys_script(const SynthScriptSpec& spec);

}  // namespace codse::hw
