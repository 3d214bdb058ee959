#include "hw/memory_cost.hpp"

#include <limits>

namespace codse::hw {
namespace {

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

constexpr std::int64_t lutram_buffer_limit_bits = 1024;

}  // namespace

std::int64_t blocks_needed(const MemoryBlock& block, std::int64_t depth, std::int64_t width) {
  if (depth <= 0 || width <= 0) return 0;
  std::int64_t best = std::numeric_limits<std::int64_t>::max();
  for (const auto& shape : block.shapes) {
    const auto blocks = ceil_div(depth, shape.depth) * ceil_div(width, shape.width);
    if (blocks < best) best = blocks;
  }
  return best;
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

}  // namespace codse::hw
