#include "hw/cost/memory_cost.hpp"

#include <algorithm>
#include <limits>

namespace codse::hw {
namespace {

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

constexpr std::int64_t lutram_buffer_limit_bits = 1024;

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

std::int64_t block_rows(const MemoryBlock& block, std::int64_t depth, std::int64_t width) {
  return best_tiling(block, depth, width).rows;
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

/// The LUTs selecting the read word among the blocks a deep memory is split into: Yosys's
/// memory_libmap stacks ceil(depth / shape depth) rows of blocks (block_rows: the shape that needs
/// fewest blocks, then fewest rows) and muxes their outputs in logic per bit, a 4:1 mux per LUT6 (with MUXF7/F8) or a
/// 2:1 mux per LUT4, plus the row decode.
double block_row_mux_luts(const Device& device, std::int64_t depth, std::int64_t width) {
  const std::int64_t rows = std::max<std::int64_t>(block_rows(device.bram, depth, width), 1);
  const std::int64_t rows_per_lut = device.lut_inputs >= 6 ? 3 : 1;
  return rows > 1 ? static_cast<double>(width * ceil_div(rows - 1, rows_per_lut) + rows) : 0.0;
}

Resources inferred_buffer_memory(const Device& device, std::int64_t depth, std::int64_t width) {
  Resources cost;
  if (depth <= 0 || width <= 0) return cost;
  if (device.lutram_depth < 64 || !device.bram.present()) {
    cost = buffer_memory(device, depth, width);
    cost.ff += static_cast<double>(width);  // the read register
    if (cost.bram18 > 0) cost.lut += block_row_mux_luts(device, depth, width);
    return cost;
  }
  constexpr double lutram_cell_cost = 8.0, bram_block_cost = 129.0;
  const std::int64_t narrow = ceil_div(depth, 32) * ceil_div(width, 6);  // RAM32M
  const std::int64_t banks = ceil_div(depth, 64);
  const std::int64_t wide = banks * ceil_div(width, 3);  // RAM64M
  const std::int64_t cells = depth <= 32 ? std::min(narrow, wide) : wide;
  const std::int64_t blocks = blocks_needed(device.bram, depth, width);
  if (lutram_cell_cost * static_cast<double>(cells) <= bram_block_cost * static_cast<double>(blocks)) {
    cost.lutram = 4.0 * static_cast<double>(cells);
    const std::int64_t mux = banks > 1 ? width * ceil_div(banks - 1, 3) + banks : 0;
    cost.lut = cost.lutram + static_cast<double>(mux);
    cost.ff = static_cast<double>(width);
  } else {
    cost.bram18 = static_cast<double>(blocks);
    cost.lut = block_row_mux_luts(device, depth, width);
  }
  return cost;
}

}  // namespace codse::hw
