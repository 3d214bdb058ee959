#pragma once
// A Device is a target FPGA as data: capacities, primitive geometries, clock limits, off-chip
// bandwidth and power coefficients. Devices come from a JSON catalog compiled into codse
// (data/devices.json, DeviceCatalog) that users extend with their own files (docs/MAPPING.md,
// Devices). A Device is plain data: what codse fits for it (its Calibration) is kept beside it in
// the catalog and looked up by name.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace codse::hw {

/// One depth x width configuration of a memory primitive (e.g. RAMB18 as 1024 x 18).
struct MemoryShape {
  std::int64_t depth = 0;
  std::int64_t width = 0;
};

/// One way Yosys's memory_libmap can use the blocks (a mode of the family's brams*.txt): an
/// instance of `blocks` primitives (a RAMB36 is 2 RAMB18, a cascaded pair of RAMB36 4) at
/// memory_libmap's cost per instance, with the depth x width configurations it offers.
struct LibmapMode {
  std::int64_t blocks = 1;
  double cost = 0.0;
  std::vector<MemoryShape> shapes;
};

/// How Yosys packs a memory into the blocks: its modes, the byte (write-enable granularity, 0
/// when the block has no byte enables) each written word is padded to, and what a bit of a ROM
/// costs in logic (memory_libmap -logic-cost-rom: 1/64 on xc7, its default 1/16 elsewhere),
/// which a ROM without an attribute is weighed against.
struct MemoryLibmap {
  std::int64_t byte = 0;
  double logic_rom_bit_cost = 0.0;
  std::vector<LibmapMode> modes;
  bool present() const { return !modes.empty(); }
};

/// A kind of memory block: block RAM (RAMB18, EBR) or large RAM (URAM288, SPRAM).
struct MemoryBlock {
  std::string name;
  std::int64_t count = 0;
  std::vector<MemoryShape> shapes;  // every aspect ratio one block can take
  MemoryLibmap libmap;              // how Yosys packs memories into these blocks (may be absent)
  bool present() const { return count > 0 && !shapes.empty(); }
};

/// Hard multiplier blocks: count and the widths of one multiplier (a_bits x b_bits, signed).
struct DspBlock {
  std::string name;
  std::int64_t count = 0;
  int a_bits = 0;
  int b_bits = 0;
};

/// Dynamic power coefficients: microwatts per MHz per used primitive at toggle_rate.
struct PowerCoefficients {
  double lut_uw_per_mhz = 0.0;
  double ff_uw_per_mhz = 0.0;
  double dsp_uw_per_mhz = 0.0;
  double bram_uw_per_mhz = 0.0;
  double uram_uw_per_mhz = 0.0;
  double toggle_rate = 0.125;  // the activity the coefficients were taken at
};

struct Device {
  std::string name;
  std::string board;
  std::string part;
  std::string family;       // the fabric: xc7, xcup, ice40 or ecp5 (it selects the synthesis flow)
  std::string description;  // the family in words ("Zynq-7000 (Artix-7 fabric, 28 nm)")
  std::int64_t lut = 0;
  std::int64_t ff = 0;
  int lut_inputs = 6;
  std::int64_t lutram_depth = 0;  // entries of one LUT used as RAM (64 for LUT6); 0: no LUTRAM
  std::int64_t lutram_luts = 0;   // LUTs that can be RAM (SLICEM)
  DspBlock dsp;
  MemoryBlock bram;
  MemoryBlock uram;
  double max_clock_mhz = 0.0;
  double default_clock_mhz = 0.0;
  double offchip_gbps = 0.0;  // 0: the board has no external memory the fabric can stream from
  double static_power_w = 0.0;
  int dsp_auto_min_product_bits = 9;  // multiplier_style auto uses DSPs from this product width
  PowerCoefficients power;
  std::vector<std::string> sources;

  /// Entries of one LUT used as a read-only memory (2^lut_inputs).
  std::int64_t lut_rom_depth() const { return std::int64_t{1} << lut_inputs; }
  bool has_offchip_memory() const { return offchip_gbps > 0.0; }
};

}  // namespace codse::hw
