#pragma once
// What a memory of depth x width bits costs on a device: block RAMs from the primitive's
// aspect ratios, LUTs when built from LUTs, and where buffers go when nobody chose.

#include <cstdint>
#include <optional>

#include "hw/model/device.hpp"
#include "hw/model/estimate.hpp"

namespace codse::hw {

/// Blocks needed for a depth x width memory: the best shape of the block, each shape tiling the
/// memory in ceil(depth / d) x ceil(width / w) blocks. This is FINN's BRAM formula (Blott et al.,
/// FINN-R, TRETS 2018; MVAU.bram_estimation) with the aspect ratio chosen from the device's list
/// instead of by a width rule: for RAMB18 it gives FINN's count or fewer. 0 for an empty memory.
std::int64_t blocks_needed(const MemoryBlock& block, std::int64_t depth, std::int64_t width);

/// Whether a memory is only read (a weight ROM) or also written (a buffer, a FIFO).
enum class MemoryAccess { read_only, written };

/// A memory packed into blocks: primitives in all (a RAMB36 counts 2 RAMB18), the rows of words
/// its read mux selects among, and the cost that chose it.
struct Packing {
  std::int64_t blocks = 0;
  std::int64_t rows = 0;
  double cost = 0.0;
};

/// How Yosys 0.23's memory_libmap packs a depth x width memory into the block (block.libmap,
/// memory_libmap's handle_geom): for each mode and shape d x w, the memory's ceil(depth / d) rows
/// of d words lie side by side and their bit columns fill ceil(rows x width / w) instances, each
/// row's word padded to the byte when the memory is written. Cost: the mode's cost per
/// instance, 0.5 per bit per extra row (the read mux) and 0.5 per row when written (the write
/// decode); the cheapest wins. Measured with synth_xilinx: 18,432 x 32 bits is 16 RAMB36 at
/// 2,048 x 18 (9 rows, 288 bit columns), where one shape tiling (blocks_needed) needs 36 RAMB18;
/// 2,304 x 32 is 5 RAMB18 at 512 x 36. A block without a libmap: blocks_needed's tiling.
Packing packed_memory(const MemoryBlock& block, std::int64_t depth, std::int64_t width, MemoryAccess access);

/// Where Yosys puts a ROM that no attribute places (codse_channel_params' per-channel ROMs): in
/// block RAM when packing it there (packed_memory) costs less than its bits in logic at the
/// libmap's logic_rom_bit_cost, else in LUTs (nullopt; also without a libmap). Measured on xc7: a
/// 512 x 24-bit threshold ROM (logic 192) takes a RAMB18 (129); 512 x 12 bits (96) stays in LUTs.
std::optional<Packing> rom_in_block_ram(const Device& device, std::int64_t depth, std::int64_t width);

/// LUTs for a depth x width memory when each LUT holds entries_per_lut one-bit entries (64 for a
/// LUT6 as RAM or ROM, 16 for a LUT4): ceil(depth / entries) LUTs per bit of width, FINN-R's
/// distributed-memory term (MVAU_hls.lut_estimation, c2 = PE * SIMD * W * ceil(WMEM / 64)).
std::int64_t lut_memory_luts(std::int64_t depth, std::int64_t width, std::int64_t entries_per_lut);

/// A read-write buffer (line buffer, FIFO) placed as synthesis tools do when no one says where:
/// two entries or fewer in flip-flops; up to 1 Kbit in LUTRAM when the device has it (Vivado
/// keeps small memories out of block RAM); otherwise block RAM, or LUTRAM, or flip-flops,
/// whichever the device has.
Resources buffer_memory(const Device& device, std::int64_t depth, std::int64_t width);

/// Where Yosys's memory_libmap puts a depth x width memory with one write port and one
/// synchronous read port when no attribute says where (codse_mvau's input buffer, codse_swu's
/// frames). With LUTRAM: the cheaper of Xilinx LUTRAM (RAM32M = 32 x 6 or RAM64M = 64 x 3 bits,
/// banks of them for deeper memories, at lutrams_xc5v.txt's cost with memory_libmap's read-mux
/// and write-decode scores) and block RAM (packed_memory). Measured with synth_xilinx (Yosys
/// 0.23): 2..32 x 8..64 bits and 64 x 16..64 bits in RAM32M / RAM64M, 128 and 256 x 8 in banks of
/// RAM64M with a LUT mux, 512 and 1024 x 8 in one RAMB18E1; in corpus layers' block RAM counts,
/// 96 x 24 in 3 banks of RAM32M and 98 x 48 in a RAMB36E1. LUTs: 4 per cell, plus per bit a LUT6 (4:1 mux, with MUXF7/F8) per 3 extra
/// banks and one write-decode LUT per bank. The read register stays in flip-flops with LUTRAM
/// and moves into the block with block RAM. Without LUTRAM (iCE40): block RAM when it costs
/// less than the bits in logic (1 a bit), else flip-flops read through a mux. A block RAM in
/// more than one row of words adds the LUT mux over the rows.
Resources inferred_buffer_memory(const Device& device, std::int64_t depth, std::int64_t width);

}  // namespace codse::hw
