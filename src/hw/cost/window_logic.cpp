#include "hw/cost/window_logic.hpp"

#include <bit>

#include "hw/cost/memory_cost.hpp"
#include "hw/cost/window_frames.hpp"

namespace codse::hw {
namespace {

/// Bits of a counter over 0 .. n-1 ($clog2(n); a counter over one value is a constant, 0 bits).
double counter_bits(std::int64_t n) {
  return n > 1 ? static_cast<double>(std::bit_width(static_cast<std::uint64_t>(n - 1))) : 0.0;
}

double ones(std::int64_t n) { return static_cast<double>(std::popcount(static_cast<std::uint64_t>(n))); }

/// LUTs per count on a fabric of k-input LUTs, fitted by bench/hw/window_units.py against Yosys
/// 0.23 (synth_xilinx on xc7 for 6-input LUTs, synth_ice40 for 4-input LUTs).
struct LogicCoefficients {
  double base, counters, address, padding, compare;
};

const LogicCoefficients& coefficients(int lut_inputs) {
  static constexpr LogicCoefficients lut6{0.0, 1.110, 1.228, 1.067, 1.345};  // 60 windows, seed 1
  static constexpr LogicCoefficients lut4{28.796, 0.754, 1.617, 1.015, 2.881};  // 60 windows, seed 1
  return lut_inputs >= 6 ? lut6 : lut4;
}

}  // namespace

WindowCounts window_counts(const WindowShape& w) {
  const std::int64_t lanes = rtl_stream_lanes(w.channels, w.lanes);
  const std::int64_t fold = w.channels / lanes;
  const std::int64_t frame = w.height * w.width * fold;
  // codse_swu's localparams: AW addresses both banks; YW, XW the window rows and columns.
  const double aw = counter_bits(2 * frame + 1);
  const double yw = counter_bits((w.out_height - 1) * w.stride + w.kernel + 1);
  const double xw = counter_bits((w.out_width - 1) * w.stride + w.kernel + 1);
  WindowCounts c;
  c.counters = aw + counter_bits(fold) + 2 * counter_bits(w.kernel) + counter_bits(w.out_width) +
               counter_bits(w.out_height);
  // times(y, IN_W) and times(., FOLD) add one shifted copy per set bit; y and x one per STRIDE bit.
  c.address = aw * (ones(w.width) + ones(fold)) + (yw + xw) * ones(w.stride);
  // The output select exists only when some window reaches outside the frame.
  const bool leaves = w.padding > 0 || (w.out_height - 1) * w.stride + w.kernel > w.height + w.padding ||
                      (w.out_width - 1) * w.stride + w.kernel > w.width + w.padding;
  c.padding = leaves ? static_cast<double>(lanes * w.element_bits) : 0.0;
  // The counters, the bank and full flags and out_valid; the output word is the frames' read
  // register (window_frames: flip-flops beside LUTRAM, inside block RAM).
  c.flip_flops = c.counters + 4;
  return c;
}

WindowCounts max_unit_counts(std::int64_t lanes, int element_bits, int window_size, std::int64_t fold) {
  WindowCounts c;
  const double word = static_cast<double>(lanes * element_bits);
  c.counters = counter_bits(fold) + counter_bits(window_size);
  c.compare = word;
  // The output word and out_valid; the running maximum is max_unit_memory's.
  c.flip_flops = c.counters + word + 1;
  return c;
}

Resources max_unit_memory(const Device& device, std::int64_t lanes, int element_bits, std::int64_t fold) {
  const std::int64_t word = lanes * element_bits;
  Resources r;
  if (fold <= 1) {
    r.ff = static_cast<double>(word);
    return r;
  }
  // best[cg] is read at a registered address, which Yosys merges into a synchronous read port: a
  // memory placed as any inferred buffer (LUTRAM or block RAM on xc7, EBR on iCE40). In LUTRAM the
  // data is read asynchronously behind that address register, so no read register follows.
  r = inferred_buffer_memory(device, fold, word);
  if (r.lutram > 0) r.ff = 0.0;
  return r;
}

Resources window_logic_cost(const Device& device, const WindowCounts& counts) {
  const auto& k = coefficients(device.lut_inputs);
  Resources r;
  r.lut = k.base + k.counters * counts.counters + k.address * counts.address + k.padding * counts.padding +
          k.compare * counts.compare;
  r.ff = counts.flip_flops;
  return r;
}

}  // namespace codse::hw
