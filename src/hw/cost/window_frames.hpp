#pragma once
// The two frame banks of codse's sliding-window unit (src/hw/rtl/verilog/codse_swu.v), in front
// of every conv and max pool of the codse RTL: the unit stores a whole input frame per bank,
// height x width x channels / lanes words of lanes elements, while it streams the windows of the
// other. FINN's ConvolutionInputGenerator keeps k + stride rows instead; the uncalibrated model
// counts those (FINN-R), the calibrated one what codse's RTL builds.

#include <cstdint>

#include "hw/model/device.hpp"
#include "hw/model/estimate.hpp"

namespace codse::hw {

/// Bits of one element on codse's streams: bipolar values (1-bit signed) travel as 2-bit two's
/// complement (+1 = 01, -1 = 11); every other element as its own bits.
int rtl_element_bits(int bits, bool is_signed);

/// Elements per word of a stream of `channels` that codse's RTL plan gives `lanes`: lanes when they
/// divide the channels, else one (the plan's fallback).
std::int64_t rtl_stream_lanes(std::int64_t channels, std::int64_t lanes);

/// Both banks of a frame of height x width pixels of `channels` elements of element_bits, `lanes`
/// elements per word, as Yosys infers the memory (inferred_buffer_memory: LUTRAM or block RAM,
/// whichever memory_libmap finds cheaper).
Resources window_frames(const Device& device, std::int64_t height, std::int64_t width, std::int64_t channels,
                        std::int64_t lanes, int element_bits);

}  // namespace codse::hw
