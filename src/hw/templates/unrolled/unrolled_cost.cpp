// The dataflow-unrolled template: every layer a fully parallel circuit up to a reuse factor R,
// as hls4ml's latency strategy builds it (Duarte et al., "Fast inference of deep neural
// networks in FPGAs for particle physics", JINST 13 P07027, 2018): each multiplier serves R
// products per input vector, so a dense layer takes R cycles per vector and needs
// ceil(MW x MH / R) multipliers. At R = 1 with the weights in logic the weights are constants
// folded into the circuit: a zero weight costs nothing, a +-2^k weight is a shift (wiring), the
// rest are constant-coefficient multipliers. With R > 1, or weights in a memory, the
// multipliers are shared and read their weights from a ROM or block RAM R entries deep
// (hls4ml's resource strategy), and zeros are not skipped.
#include <algorithm>
#include <cmath>

#include "hw/cost/arithmetic_cost.hpp"
#include "hw/cost/memory_cost.hpp"
#include "hw/cost/unit_cost.hpp"
#include "hw/templates/unrolled/unrolled_cost.hpp"

namespace codse::hw {
namespace {

// Control and interface logic of one layer (codse's assumption: hls4ml layers are mostly
// datapath; the FSM and the valid/ready chain are small).
constexpr double layer_base_luts = 100.0;
constexpr double layer_base_ffs = 100.0;

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

/// Constant weights (R = 1, weights in logic). LUTs: the non-trivial constant multipliers plus
/// an adder-tree input of w + a bits for every non-zero product; registers: hls4ml pipelines
/// the tree, about one register stage every other level (half the product bits) plus the
/// accumulators.
void add_constant_weights(const Unit& unit, const LayerMapping& mapping, const Device& device, UnitCost& cost) {
  const int w = unit.weight_bits, a = unit.input_bits;
  const double products = static_cast<double>(unit.mw * unit.mh);
  const double nonzero = std::round(products * unit.nonzero_fraction);
  const double general = std::round(nonzero * (1.0 - unit.shift_weight_fraction));
  auto& r = cost.resources;
  if (multipliers_in_dsp(device, mapping.multipliers, w, a, unit.input_signed))
    r.dsp += general * dsps_per_multiplier(device, w, a);
  else
    r.lut += general * constant_multiplier_luts(w, a);
  r.lut += nonzero * (w + a);
  r.ff += nonzero * (w + a) / 2.0 + static_cast<double>(unit.mh) * unit.acc_bits;
}

/// Shared multipliers: ceil(MW x MH / R) generic multipliers, one accumulator per output, the
/// weights R entries deep and (multipliers x W) bits wide in the chosen storage.
void add_shared_weights(const Unit& unit, const LayerMapping& mapping, const Device& device, UnitCost& cost) {
  const int w = unit.weight_bits, a = unit.input_bits;
  const std::int64_t reuse = mapping.reuse;
  const std::int64_t multipliers = ceil_div(unit.mw * unit.mh, reuse);
  const double m = static_cast<double>(multipliers);
  auto& r = cost.resources;
  if (multipliers_in_dsp(device, mapping.multipliers, w, a, unit.input_signed))
    r.dsp += m * dsps_per_multiplier(device, w, a);
  else
    r.lut += m * lut_multiplier_luts(w, a);
  r.lut += m * (w + a) + static_cast<double>(unit.mh) * unit.acc_bits;
  r.ff += m * (w + a) + static_cast<double>(unit.mh) * unit.acc_bits;
  const std::int64_t width = multipliers * w;
  switch (mapping.storage) {
    case WeightStorage::logic:
      r.lut += static_cast<double>(lut_memory_luts(reuse, width, device.lut_rom_depth()));
      break;
    case WeightStorage::lutram: {
      const auto luts = static_cast<double>(lut_memory_luts(reuse, width, device.lutram_depth));
      r.lut += luts;
      r.lutram += luts;
      break;
    }
    case WeightStorage::bram:
      r.bram18 += static_cast<double>(blocks_needed(device.bram, reuse, width));
      break;
    case WeightStorage::uram:
      r.uram += static_cast<double>(blocks_needed(device.uram, reuse, width));
      break;
    case WeightStorage::offchip:
      break;  // rejected by validation: the unrolled template keeps its weights on chip
  }
}

/// The activation of every output computed in a cycle (ceil(MH / R) of them): thresholds as
/// FINN-R's comparators with their constants in LUT ROM, or a shift as acc + B LUTs.
void add_requant(const Unit& unit, std::int64_t reuse, const Device& device, UnitCost& cost) {
  const double lanes = static_cast<double>(ceil_div(unit.mh, reuse));
  auto& r = cost.resources;
  if (unit.requant == Requant::shift) {
    r.lut += lanes * (unit.acc_bits + unit.output_bits);
  } else if (unit.requant == Requant::thresholds) {
    const std::int64_t width = std::int64_t{unit.thresholds} * unit.acc_bits;
    r.lut += lanes * static_cast<double>(width + lut_memory_luts(reuse, width, device.lut_rom_depth()));
  }
  r.ff += lanes * unit.output_bits;
}

}  // namespace

UnitCost unrolled_matrix_vector_cost(const Unit& unit, const LayerMapping& mapping, const Device& device) {
  UnitCost cost;
  const std::int64_t reuse = mapping.reuse;
  // A vector every R cycles; a conv2d reads its input one pixel (all channels) per cycle through
  // a line buffer (hls4ml io_stream), so it also needs in_height x in_width cycles.
  const std::int64_t compute_cycles = unit.pixels * reuse;
  const std::int64_t read_cycles =
      unit.is_conv ? std::int64_t{unit.in_height + 2 * unit.padding} * (unit.in_width + 2 * unit.padding) : 0;
  cost.cycles = std::max(compute_cycles, read_cycles);
  cost.limiter = read_cycles > compute_cycles ? Limiter::memory : Limiter::compute;
  // Latency adds the adder tree's depth and an input and output register stage.
  cost.latency_cycles =
      cost.cycles + static_cast<std::int64_t>(std::ceil(std::log2(static_cast<double>(unit.mw)))) + 2;

  cost.resources.lut = layer_base_luts;
  cost.resources.ff = layer_base_ffs;
  if (reuse == 1 && mapping.storage == WeightStorage::logic)
    add_constant_weights(unit, mapping, device, cost);
  else
    add_shared_weights(unit, mapping, device, cost);
  add_requant(unit, reuse, device, cost);
  if (unit.is_conv) {
    // hls4ml's line buffer: kernel - 1 rows of the padded input, one pixel of all channels wide.
    const Resources buffer = buffer_memory(device, std::int64_t{unit.kernel - 1} * (unit.in_width + 2 * unit.padding),
                                           std::int64_t{unit.in_channels} * unit.input_bits);
    cost.resources += buffer;
  }
  return cost;
}

}  // namespace codse::hw
