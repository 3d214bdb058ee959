#pragma once
// Yosys's cell statistics (`stat -json`) as the primitives codse counts. Each family's cell
// library maps to LUT / FF / DSP / BRAM18 / URAM / LUTRAM:
//   xc7, xcup  LUT1..LUT6 and INV (a LUT1); FD*E flip-flops; DSP48E1/E2; RAMB18E* = 1 and RAMB36E* = 2 BRAM18;
//              URAM288; distributed RAM and SRLs (RAM64X1D, RAM32M, SRLC32E...) count the LUTs
//              they occupy, in lut and lutram (UG474's sizes: RAM64X1D 2, RAM32M 4, ...)
//   ice40      SB_LUT4; SB_DFF*; SB_MAC16; SB_RAM40_4K (the EBR, counted as bram18: the device's
//              block RAM primitive); SB_SPRAM256KA as uram
//   ecp5       LUT4, CCU2C = 2 LUT4 (one slice); TRELLIS_FF; MULT18X18D; DP16KD / PDPW16KD;
//              TRELLIS_DPR16X4 = 4 LUT4 of distributed RAM
// Carry chains, wide-function muxes (MUXF7/F8, PFUMX, L6MUX21), clock buffers and IO cells take
// no LUT: they are parts of a slice the LUTs already occupy. Any other cell is listed as unmapped.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "hw/model/estimate.hpp"
#include "hw/synth/synth_target.hpp"

namespace codse::hw {

struct SynthStats {
  std::map<std::string, std::int64_t> cells;  // cell type -> count, as Yosys reported
  Resources resources;
  std::vector<std::string> unmapped;  // cell types that are no primitive codse knows
};

/// Counts primitives in a cell histogram.
SynthStats count_primitives(const std::map<std::string, std::int64_t>& cells, SynthFamily family);

/// Parses `stat -json` output (the "design" section: the whole hierarchy under the top).
/// Throws runtime_error naming source when the text is not Yosys statistics.
SynthStats parse_synth_stats(std::string_view json_text, SynthFamily family, const std::string& source);

}  // namespace codse::hw
