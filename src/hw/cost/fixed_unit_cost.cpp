// Units without knobs: max pooling, residual adds and stand-alone requantization. Each takes
// one pixel of all channels per cycle, so it needs in_height x in_width cycles per inference
// (codse's choice: these units are cheap next to the matrix-vector units, and at one pixel per
// cycle they are never slower than the convolution feeding them, which needs at least one cycle
// per output pixel).
#include <algorithm>
#include <cmath>

#include "hw/cost/memory_cost.hpp"
#include "hw/cost/window_frames.hpp"
#include "hw/cost/unit_cost.hpp"

namespace codse::hw {
namespace {

constexpr double base_luts = 100.0;
constexpr double base_ffs = 50.0;

/// Requantizing one channel of `in_bits` to the unit's output: a shift is an adder and a clip
/// (in + B LUTs); thresholds use a binary search over the 2^B - 1 thresholds, B comparator
/// stages of in bits (FINN's Thresholding_rtl), with the thresholds in LUT ROM.
double requant_luts_per_channel(const Unit& unit, int in_bits, const Device& device) {
  if (unit.requant == Requant::shift) return in_bits + unit.output_bits;
  if (unit.requant == Requant::thresholds)
    return static_cast<double>(unit.output_bits * in_bits +
                               lut_memory_luts(unit.thresholds, in_bits, device.lut_rom_depth()));
  return 0.0;
}

UnitCost pool_cost(const Unit& unit, const Device& device, bool streamed, bool codse_rtl) {
  UnitCost cost;
  // codse's streaming RTL: codse_swu and codse_maxpool scale with the lanes of the stream, which the
  // mapping of the layer upstream sets, so the Estimator counts all of it there (rtl_pool).
  if (codse_rtl && streamed) return cost;
  const double channel_bits = static_cast<double>(unit.in_channels) * unit.input_bits;
  // A max of two values per channel: a comparator and a 2:1 select, about 1.5 LUTs per bit.
  cost.resources.lut = base_luts + 1.5 * channel_bits;
  cost.resources.ff = base_ffs + channel_bits;  // the running maximum
  // One output row of partial maxima (FINN's StreamingMaxPool buffers a row).
  if (!codse_rtl)
    cost.resources += buffer_memory(device, unit.out_width, std::int64_t{unit.in_channels} * unit.input_bits);
  return cost;
}

UnitCost add_cost(const Unit& unit, const Device& device, bool streamed, bool codse_rtl) {
  UnitCost cost;
  if (codse_rtl && streamed) return cost;  // rtl_add_cost, at the producer's lanes
  const double channels = static_cast<double>(unit.in_channels);
  const int sum_bits = unit.input_bits + 1;
  cost.resources.lut = base_luts + channels * (sum_bits + requant_luts_per_channel(unit, sum_bits, device));
  cost.resources.ff = base_ffs + channels * unit.output_bits;
  return cost;
}

UnitCost requant_cost(const Unit& unit, const Device& device) {
  UnitCost cost;
  const double channels = static_cast<double>(unit.in_channels);
  cost.resources.lut = base_luts + channels * requant_luts_per_channel(unit, unit.input_bits, device);
  cost.resources.ff = base_ffs + channels * unit.output_bits;
  return cost;
}

}  // namespace

UnitCost fixed_unit_cost(const Unit& unit, const Device& device, bool streamed, bool codse_rtl) {
  UnitCost cost;
  switch (unit.kind) {
    case UnitKind::pool: cost = pool_cost(unit, device, streamed, codse_rtl); break;
    case UnitKind::add: cost = add_cost(unit, device, streamed, codse_rtl); break;
    case UnitKind::requant: cost = requant_cost(unit, device); break;
    case UnitKind::matrix_vector: return cost;  // costed by the templates
  }
  cost.cycles = std::int64_t{unit.in_height} * unit.in_width;
  cost.latency_cycles = cost.cycles;
  cost.limiter = Limiter::compute;
  // The depth-2 FIFO on the output stream (one pixel of all channels per word); codse's RTL
  // connects its units directly (its only FIFO is an add's skip FIFO, skip_fifo_cost).
  if (streamed && !codse_rtl) cost.resources.ff += 2.0 * unit.out_channels * unit.output_bits;
  return cost;
}

Resources skip_fifo_cost(const Unit& add, const Device& device, std::int64_t latency_difference,
                         std::int64_t ii_cycles) {
  // One pixel of all channels per word: a stream whose lanes are the channels.
  return rtl_skip_fifo_cost(add, device, latency_difference, ii_cycles, add.in_channels);
}

Resources rtl_skip_fifo_cost(const Unit& add, const Device& device, std::int64_t latency_difference,
                             std::int64_t ii_cycles, std::int64_t lanes) {
  lanes = rtl_stream_lanes(add.in_channels, lanes);
  const std::int64_t words_per_inference = std::int64_t{add.out_height} * add.out_width * (add.in_channels / lanes);
  const double arriving = static_cast<double>(latency_difference) * static_cast<double>(words_per_inference) /
                          static_cast<double>(std::max<std::int64_t>(ii_cycles, 1));
  const std::int64_t depth = std::max<std::int64_t>(2, static_cast<std::int64_t>(std::ceil(arriving)));
  return buffer_memory(device, depth, lanes * add.input_bits);
}

Resources rtl_add_cost(const Unit& add, const Device& device, std::int64_t lanes) {
  lanes = rtl_stream_lanes(add.in_channels, lanes);
  const int sum_bits = add.input_bits + 1;
  Resources r;
  r.lut = base_luts + static_cast<double>(lanes) * (sum_bits + requant_luts_per_channel(add, sum_bits, device));
  r.ff = base_ffs + static_cast<double>(lanes * add.output_bits);
  return r;
}

double dynamic_power_w(const Resources& r, const Device& device, double clock_mhz, double toggle_rate) {
  const auto& c = device.power;
  const double microwatts_per_mhz = r.lut * c.lut_uw_per_mhz + r.ff * c.ff_uw_per_mhz + r.dsp * c.dsp_uw_per_mhz +
                                    r.bram18 * c.bram_uw_per_mhz + r.uram * c.uram_uw_per_mhz;
  return microwatts_per_mhz * clock_mhz * (toggle_rate / c.toggle_rate) * 1e-6;
}

}  // namespace codse::hw
