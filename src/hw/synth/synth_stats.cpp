#include "hw/synth/synth_stats.hpp"

#include <set>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace codse::hw {
namespace {

bool starts_with(const std::string& text, std::string_view prefix) { return text.rfind(prefix, 0) == 0; }

/// LUTs a Xilinx distributed-RAM or shift-register cell occupies (UG474, "Distributed RAM" and
/// "Shift Registers"); 0 when the cell is not one.
int xilinx_lutram_luts(const std::string& cell) {
  static const std::map<std::string, int, std::less<>> luts = {
      {"RAM32X1S", 1}, {"RAM32X1D", 2}, {"RAM64X1S", 1}, {"RAM64X1D", 2},  {"RAM128X1S", 2},
      {"RAM128X1D", 4}, {"RAM256X1S", 4}, {"RAM256X1D", 8}, {"RAM32M", 4},  {"RAM64M", 4},
      {"RAM32M16", 8}, {"RAM64M8", 8},  {"RAM512X1S", 8}, {"SRL16E", 1},   {"SRLC16E", 1},
      {"SRLC32E", 1}};
  const auto found = luts.find(cell);
  return found == luts.end() ? 0 : found->second;
}

/// Cells that occupy no LUT of their own.
bool is_free_cell(const std::string& cell) {
  static const std::set<std::string, std::less<>> free = {
      "BUFG", "BUFGCTRL", "BUFH", "CARRY4", "CARRY8", "MUXF7", "MUXF8", "MUXF9", "VCC", "GND", "IBUF", "OBUF",
      "IOBUF", "SB_CARRY", "SB_IO", "SB_GB", "SB_GB_IO", "PFUMX", "L6MUX21", "TRELLIS_IO", "VHI", "VLO",
      "$scopeinfo"};
  return free.count(cell) > 0;
}

/// Adds count cells of one type; false when the type is unknown.
bool add_xilinx(Resources& r, const std::string& cell, double count) {
  // abc9 leaves inverters as INV cells; each takes a LUT1.
  if ((starts_with(cell, "LUT") && cell.size() == 4) || cell == "INV") {
    r.lut += count;
  } else if (starts_with(cell, "FD") || cell == "LDCE" || cell == "LDPE") {
    r.ff += count;
  } else if (starts_with(cell, "DSP48E")) {
    r.dsp += count;
  } else if (starts_with(cell, "RAMB18") || starts_with(cell, "FIFO18")) {
    r.bram18 += count;
  } else if (starts_with(cell, "RAMB36") || starts_with(cell, "FIFO36")) {
    r.bram18 += 2.0 * count;
  } else if (cell == "URAM288") {
    r.uram += count;
  } else if (const int luts = xilinx_lutram_luts(cell); luts > 0) {
    r.lut += luts * count;
    r.lutram += luts * count;
  } else {
    return false;
  }
  return true;
}

bool add_ice40(Resources& r, const std::string& cell, double count) {
  if (cell == "SB_LUT4") {
    r.lut += count;
  } else if (starts_with(cell, "SB_DFF")) {
    r.ff += count;
  } else if (cell == "SB_MAC16") {
    r.dsp += count;
  } else if (starts_with(cell, "SB_RAM40_4K")) {
    r.bram18 += count;
  } else if (cell == "SB_SPRAM256KA") {
    r.uram += count;
  } else {
    return false;
  }
  return true;
}

bool add_ecp5(Resources& r, const std::string& cell, double count) {
  if (cell == "LUT4") {
    r.lut += count;
  } else if (cell == "CCU2C") {
    r.lut += 2.0 * count;
  } else if (cell == "TRELLIS_FF") {
    r.ff += count;
  } else if (cell == "MULT18X18D") {
    r.dsp += count;
  } else if (cell == "DP16KD" || cell == "PDPW16KD") {
    r.bram18 += count;
  } else if (cell == "TRELLIS_DPR16X4") {
    r.lut += 4.0 * count;
    r.lutram += 4.0 * count;
  } else {
    return false;
  }
  return true;
}

}  // namespace

SynthStats count_primitives(const std::map<std::string, std::int64_t>& cells, SynthFamily family) {
  SynthStats stats;
  stats.cells = cells;
  for (const auto& [cell, count] : cells) {
    if (is_free_cell(cell)) continue;
    const auto n = static_cast<double>(count);
    bool known = false;
    switch (family) {
      case SynthFamily::xc7:
      case SynthFamily::xcup: known = add_xilinx(stats.resources, cell, n); break;
      case SynthFamily::ice40: known = add_ice40(stats.resources, cell, n); break;
      case SynthFamily::ecp5: known = add_ecp5(stats.resources, cell, n); break;
    }
    if (!known) stats.unmapped.push_back(cell);
  }
  return stats;
}

SynthStats parse_synth_stats(std::string_view json_text, SynthFamily family, const std::string& source) {
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(json_text);
  } catch (const nlohmann::json::parse_error& e) {
    throw std::runtime_error(fmt::format("{}: Yosys statistics are not valid JSON: {}", source, e.what()));
  }
  if (!document.contains("design") || !document["design"].contains("num_cells_by_type"))
    throw std::runtime_error(fmt::format("{}: no design.num_cells_by_type in the Yosys statistics", source));
  std::map<std::string, std::int64_t> cells;
  for (const auto& [cell, count] : document["design"]["num_cells_by_type"].items()) {
    if (!count.is_number_integer())
      throw std::runtime_error(fmt::format("{}: cell count of {} is not a whole number", source, cell));
    cells[cell] = count.get<std::int64_t>();
  }
  return count_primitives(cells, family);
}

}  // namespace codse::hw
