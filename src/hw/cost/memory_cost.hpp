#pragma once
// What a memory of depth x width bits costs on a device: block RAMs from the primitive's
// aspect ratios, LUTs when built from LUTs, and where buffers go when nobody chose.

#include <cstdint>

#include "hw/model/device.hpp"
#include "hw/model/estimate.hpp"

namespace codse::hw {

/// Blocks needed for a depth x width memory: the best shape of the block, each shape tiling the
/// memory in ceil(depth / d) x ceil(width / w) blocks. This is FINN's BRAM formula (Blott et al.,
/// FINN-R, TRETS 2018; MVAU.bram_estimation) with the aspect ratio chosen from the device's list
/// instead of by a width rule: for RAMB18 it gives FINN's count or fewer. 0 for an empty memory.
std::int64_t blocks_needed(const MemoryBlock& block, std::int64_t depth, std::int64_t width);

/// Rows of blocks stacked in depth for a depth x width memory, with the shape blocks_needed picks
/// (of those that need fewest blocks, the one with fewest rows, which needs no read mux when it
/// has one): more than one when no such shape is deep enough. 0 for an empty memory.
std::int64_t block_rows(const MemoryBlock& block, std::int64_t depth, std::int64_t width);

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
/// synchronous read port when no attribute says where (codse_mvau's input buffer), on a device
/// with LUTRAM and block RAM: the cheaper of Xilinx LUTRAM (cost 8 per RAM32M = 32 x 6 or
/// RAM64M = 64 x 3 bits, banks of them for deeper memories; Yosys's lutrams_*.txt) and block RAM
/// (cost 129 per RAMB18; brams_*.txt). Measured with synth_xilinx (Yosys 0.23): 2..32 x 8..64 bits
/// and 64 x 16..64 bits in RAM32M / RAM64M, 128 and 256 x 8 in banks of RAM64M with a LUT mux,
/// 512 and 1024 x 8 in one RAMB18E1. LUTs: 4 per cell, plus per bit a LUT6 (4:1 mux, with
/// MUXF7/F8) per 3 extra banks and one write-decode LUT per bank. The read register stays in
/// flip-flops with LUTRAM and moves into the block with block RAM. Without LUTRAM: buffer_memory.
/// A block RAM deeper than one block's shape adds the LUT mux over its rows of blocks (a RAMB18
/// frame of 4608 x 64 bits: 9 rows, 201 LUTs; Yosys 0.23 measured 280 with the window's logic).
Resources inferred_buffer_memory(const Device& device, std::int64_t depth, std::int64_t width);

}  // namespace codse::hw
