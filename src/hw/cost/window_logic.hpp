#pragma once
// The logic of codse's sliding-window unit (src/hw/rtl/verilog/codse_swu.v) and max unit
// (codse_maxpool.v), as the calibrated estimator (codse's RTL) counts it. What each instantiates
// is read off the RTL as counts: counter bits (the write address and the window counters, each as
// wide as its range), address bits (the shifted adds that turn a window position into a frame
// address), padding bits (the zero / minimum select on the output word, when a window can leave
// the frame) and compare bits (the max unit's compare and select per element bit). LUTs are
// those counts times LUTs per count for the fabric's LUT size, fitted against Yosys on random
// windows and pools (bench/hw/window_units.py, RESULTS.md "Window units"); flip-flops are
// counted. The frames themselves are window_frames's.

#include <cstdint>

#include "hw/model/device.hpp"
#include "hw/model/estimate.hpp"

namespace codse::hw {

/// One codse_swu instance: the input frame, the window and the stream format.
struct WindowShape {
  std::int64_t channels = 1, height = 1, width = 1;  // the input frame, before padding
  int kernel = 1, stride = 1, padding = 0;
  std::int64_t out_height = 1, out_width = 1;
  std::int64_t lanes = 1;  // elements per stream word (channels % lanes == 0, else 1 as the RTL plan)
  int element_bits = 1;    // rtl_element_bits
};

/// The structural counts of one codse_swu (max_unit adds its own).
struct WindowCounts {
  double counters = 0, address = 0, padding = 0, compare = 0;
  double flip_flops = 0;
};

WindowCounts window_counts(const WindowShape& window);
/// codse_maxpool behind a window of `window_size` positions (kernel^2) and `fold` channel groups.
WindowCounts max_unit_counts(std::int64_t lanes, int element_bits, int window_size, std::int64_t fold);

/// codse_maxpool's running maximum of `fold` channel groups: registers for one group, else a
/// memory of fold words read at a registered address (inferred_buffer_memory).
Resources max_unit_memory(const Device& device, std::int64_t lanes, int element_bits, std::int64_t fold);

/// LUTs and flip-flops of the counted logic on the device (its LUT size picks the coefficients).
Resources window_logic_cost(const Device& device, const WindowCounts& counts);

}  // namespace codse::hw
