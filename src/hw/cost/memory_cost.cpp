#include "hw/cost/memory_cost.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace codse::hw {
namespace {

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

constexpr std::int64_t lutram_buffer_limit_bits = 1024;
// memory_libmap's cost of a RAMB18 (Yosys's brams_xc4v.txt), for blocks without a libmap.
constexpr double tiled_block_cost = 129.0;
// memory_libmap's cost of a bit of RAM built from logic (its -logic-cost-ram default).
constexpr double logic_ram_bit_cost = 1.0;

/// A memory tiled by one block shape: blocks in all, rows of them stacked in depth.
struct Tiling {
  std::int64_t blocks = 0;
  std::int64_t rows = 0;
};

/// The tiling with fewest blocks, of those the one with fewest rows; zeros for an empty memory.
/// A block without shapes holds nothing: the most blocks there are, 0 rows.
Tiling best_tiling(const MemoryBlock& block, std::int64_t depth, std::int64_t width) {
  if (depth <= 0 || width <= 0) return {};
  Tiling best{std::numeric_limits<std::int64_t>::max(), 0};
  for (const auto& shape : block.shapes) {
    const Tiling tiling{ceil_div(depth, shape.depth) * ceil_div(width, shape.width), ceil_div(depth, shape.depth)};
    if (tiling.blocks < best.blocks || (tiling.blocks == best.blocks && tiling.rows < best.rows)) best = tiling;
  }
  return best;
}

}  // namespace

std::int64_t blocks_needed(const MemoryBlock& block, std::int64_t depth, std::int64_t width) {
  return best_tiling(block, depth, width).blocks;
}

Packing packed_memory(const MemoryBlock& block, std::int64_t depth, std::int64_t width, MemoryAccess access) {
  if (depth <= 0 || width <= 0) return {};
  if (!block.libmap.present()) {
    const Tiling tiling = best_tiling(block, depth, width);
    return {tiling.blocks, tiling.rows, tiled_block_cost * static_cast<double>(tiling.blocks)};
  }
  const bool written = access == MemoryAccess::written;
  Packing best{0, 0, std::numeric_limits<double>::infinity()};
  for (const auto& mode : block.libmap.modes) {
    // memory_libmap keeps the best cost of a mode in an int, so a later shape must beat it truncated.
    double mode_best = std::numeric_limits<double>::infinity();
    Packing mode_packing;
    for (const auto& shape : mode.shapes) {
      const std::int64_t byte = written ? (block.libmap.byte == 0 || block.libmap.byte > shape.width ? shape.width
                                                                                                 : block.libmap.byte)
                                        : 1;
      const std::int64_t rows = ceil_div(depth, shape.depth);
      const std::int64_t instances = ceil_div(rows * ceil_div(width, byte) * byte, shape.width);
      double cost = mode.cost * static_cast<double>(instances) + 0.5 * static_cast<double>((rows - 1) * width);
      if (written && rows > 1) cost += 0.5 * static_cast<double>(rows);
      if (cost < mode_best) {
        mode_best = std::trunc(cost);
        mode_packing = {instances * mode.blocks, rows, cost};
      }
    }
    if (mode_packing.cost < best.cost) best = mode_packing;
  }
  return best;
}

std::optional<Packing> rom_in_block_ram(const Device& device, std::int64_t depth, std::int64_t width) {
  const auto& libmap = device.bram.libmap;
  if (!device.bram.present() || !libmap.present() || depth <= 1 || width <= 0) return std::nullopt;
  const Packing packing = packed_memory(device.bram, depth, width, MemoryAccess::read_only);
  const double logic_cost = libmap.logic_rom_bit_cost * static_cast<double>(depth * width);
  if (packing.cost < logic_cost) return packing;
  return std::nullopt;
}

std::int64_t lut_memory_luts(std::int64_t depth, std::int64_t width, std::int64_t entries_per_lut) {
  if (depth <= 0 || width <= 0) return 0;
  return width * ceil_div(depth, entries_per_lut);
}

Resources buffer_memory(const Device& device, std::int64_t depth, std::int64_t width) {
  Resources cost;
  if (depth <= 0 || width <= 0) return cost;
  const bool lutram = device.lutram_depth > 0;
  const auto as_lutram = [&] {
    cost.lut = cost.lutram = static_cast<double>(lut_memory_luts(depth, width, device.lutram_depth));
  };
  if (depth <= 2) {
    cost.ff = static_cast<double>(depth * width);
  } else if (lutram && depth * width <= lutram_buffer_limit_bits) {
    as_lutram();
  } else if (device.bram.present()) {
    cost.bram18 = static_cast<double>(blocks_needed(device.bram, depth, width));
  } else if (lutram) {
    as_lutram();
  } else {
    cost.ff = static_cast<double>(depth * width);
  }
  return cost;
}

namespace {

/// The LUTs selecting the read word among the rows of blocks a deep memory is packed into
/// (packed_memory's rows), per bit a 4:1 mux per LUT6 (with MUXF7/F8) or a 2:1 mux per LUT4,
/// plus the row decode.
double block_row_mux_luts(const Device& device, std::int64_t rows, std::int64_t width) {
  const std::int64_t rows_per_lut = device.lut_inputs >= 6 ? 3 : 1;
  return rows > 1 ? static_cast<double>(width * ceil_div(rows - 1, rows_per_lut) + rows) : 0.0;
}

/// Banks of Xilinx LUTRAM cells of cell_depth x cell_width (RAM32M, RAM64M) holding a written
/// depth x width memory, and memory_libmap's cost: 8 a cell (widthscale 7: 1 a cell and 7 per
/// cell-width of the word a bank), 0.5 a bit a bank past the first for the read mux and 0.5 a
/// bank for the write decode.
struct LutramBanks {
  std::int64_t banks = 0;
  std::int64_t cells = 0;
  double cost = 0.0;
};

LutramBanks lutram_banks(std::int64_t depth, std::int64_t width, std::int64_t cell_depth, std::int64_t cell_width) {
  LutramBanks l;
  l.banks = ceil_div(depth, cell_depth);
  l.cells = l.banks * ceil_div(width, cell_width);
  l.cost = static_cast<double>(l.cells) + 7.0 * static_cast<double>(l.banks * width) / static_cast<double>(cell_width);
  if (l.banks > 1) l.cost += 0.5 * static_cast<double>((l.banks - 1) * width + l.banks);
  return l;
}

}  // namespace

Resources inferred_buffer_memory(const Device& device, std::int64_t depth, std::int64_t width) {
  Resources cost;
  if (depth <= 0 || width <= 0) return cost;
  const Packing packing = packed_memory(device.bram, depth, width, MemoryAccess::written);
  const auto in_block_ram = [&] {
    cost.bram18 = static_cast<double>(packing.blocks);
    cost.lut = block_row_mux_luts(device, packing.rows, width);
  };
  if (device.lutram_depth < 64 || !device.bram.present()) {
    if (depth > 2 && device.lutram_depth == 0 && device.bram.present() && device.bram.libmap.present()) {
      // memory_libmap weighs block RAM against the bits in logic (-logic-cost-ram, 1 a bit):
      // flip-flops written in place, read through a mux over the words, and the read register.
      if (packing.cost < logic_ram_bit_cost * static_cast<double>(depth * width)) {
        in_block_ram();
        cost.ff = static_cast<double>(width);
      } else {
        cost.ff = static_cast<double>((depth + 1) * width);
        cost.lut = block_row_mux_luts(device, depth, width);
      }
      return cost;
    }
    cost = buffer_memory(device, depth, width);
    cost.ff += static_cast<double>(width);  // the read register
    if (cost.bram18 > 0) {
      cost.bram18 = static_cast<double>(packing.blocks);
      cost.lut += block_row_mux_luts(device, packing.rows, width);
    }
    return cost;
  }
  // LUTRAM: Yosys's simple dual-port cells (lutrams_xc5v.txt), RAM32M (32 x 6) or RAM64M
  // (64 x 3), in banks of 32 or 64 words, whichever memory_libmap scores lower.
  const LutramBanks lutram = std::min(lutram_banks(depth, width, 32, 6), lutram_banks(depth, width, 64, 3),
                                      [](const LutramBanks& a, const LutramBanks& b) { return a.cost < b.cost; });
  if (lutram.cost <= packing.cost) {
    cost.lutram = 4.0 * static_cast<double>(lutram.cells);
    const std::int64_t mux = lutram.banks > 1 ? width * ceil_div(lutram.banks - 1, 3) + lutram.banks : 0;
    cost.lut = cost.lutram + static_cast<double>(mux);
    cost.ff = static_cast<double>(width);
  } else {
    in_block_ram();
  }
  return cost;
}

}  // namespace codse::hw
