// The dataflow-folded template: FINN's matrix-vector-activation unit (MVAU) with PE output lanes
// and SIMD input lanes, one per layer, and for conv2d the sliding-window unit (SWU) in front.
//
// Sources: Umuroglu et al., "FINN", FPGA 2017; Blott et al., "FINN-R", ACM TRETS 2018; the
// estimates in FINN's code (src/finn/custom_op/fpgadataflow/matrixvectoractivation.py,
// hls/matrixvectoractivation_hls.py, hls/convolutioninputgenerator_hls.py), which implement the
// FINN-R formulas. Where codse deviates it says so below.
#include <algorithm>
#include <cmath>

#include "hw/cost/arithmetic_cost.hpp"
#include "hw/templates/folded/folded_terms.hpp"
#include "hw/cost/memory_cost.hpp"
#include "hw/cost/unit_cost.hpp"
#include "hw/cost/window_frames.hpp"
#include "hw/cost/window_logic.hpp"
#include "hw/templates/folded/folded_cost.hpp"

namespace codse::hw {
namespace {

// FINN-R's LUT model: c0 + c1 * PE * (per-PE datapath) + memories. c0 = 300 LUTs of control and
// stream interfaces per MVAU, c1 = 1.1 for the packing losses the paper measured.
constexpr double mvau_base_luts = 300.0;
constexpr double mvau_lut_factor = 1.1;
// FINN's SWU LUT estimate is a constant 300 plus its buffer when that is in LUTRAM.
constexpr double swu_base_luts = 300.0;
// Control FFs (counters, stream handshakes) of a unit: codse's assumption, small next to the
// datapath registers.
constexpr double control_ffs = 100.0;
// An AXI4 read master that streams weights from DRAM (FINN's "external" weights through an
// IODMA): codse's assumption for its size, about what a small Xilinx AXI DataMover takes.
constexpr double dma_luts = 1000.0;
constexpr double dma_ffs = 1500.0;

struct MvauShape {
  std::int64_t pe, simd;
  std::int64_t neuron_fold;   // MH / PE: output groups per input vector
  std::int64_t synapse_fold;  // MW / SIMD: input groups per output group
};

/// LUTs of one PE's datapath: multipliers, adder tree, accumulator (FINN-R), or for 1-bit
/// weights and inputs XNOR-popcount: about one LUT per lane, the XNOR merged into the first
/// stage of a compressor tree (Preusser, "Generic and universal parallel matrix summation with
/// a flexible compression goal for Xilinx FPGAs", FPL 2017, reaches below one LUT6 per input
/// bit), then the accumulator.
double datapath_luts_per_pe(const Unit& unit, std::int64_t simd, bool in_dsp) {
  const double lanes = static_cast<double>(simd);
  if (unit.xnor) return lanes + unit.acc_bits;
  const int w = unit.weight_bits, a = unit.input_bits;
  const double multipliers = in_dsp ? 0.0 : lanes * lut_multiplier_luts(w, a);
  const double adder_tree = static_cast<double>(w + a) * (2.0 * lanes - 1.0);  // FINN-R
  return multipliers + adder_tree + unit.acc_bits;
}

/// Requantization per PE. Thresholds: FINN-R's comparators, (2^B - 1) x accumulator bits per
/// PE, with the thresholds in LUT ROM (FINN-R's thr_luts = (2^B - 1) acc ceil(TMEM / 64) per PE,
/// TMEM = MH / PE; LUT4 devices hold 16 entries per LUT). Shift: an adder for rounding and a
/// clip to B bits, acc + B LUTs per PE (codse's model; no memory, the bias is the
/// accumulator's initial value).
void add_requant(const Unit& unit, const MvauShape& shape, const Device& device, double& luts_per_pe,
                 double& memory_luts) {
  switch (unit.requant) {
    case Requant::none:
      break;
    case Requant::shift:
      luts_per_pe += unit.acc_bits + unit.output_bits;
      break;
    case Requant::thresholds: {
      const std::int64_t width = std::int64_t{unit.thresholds} * unit.acc_bits;
      luts_per_pe += static_cast<double>(width);
      memory_luts += static_cast<double>(shape.pe * lut_memory_luts(shape.neuron_fold, width, device.lut_rom_depth()));
      break;
    }
  }
}

/// The weight memory: one memory per PE, WMEM = (MH/PE)(MW/SIMD) deep and SIMD x W bits wide
/// (FINN-R; FINN's embedded weights partition the array by PE). Block RAM and URAM count from
/// the device's shapes (FINN's bram_estimation / uram_estimation; codse's RTL counts its block
/// RAM as Yosys packs it, in folded_terms); LUTRAM and LUT ROM hold
/// lutram_depth or 2^k entries per LUT. Off-chip weights are streamed from DRAM for every input
/// vector, as FINN's "external" mem_mode streams them, through a DMA engine.
void add_weight_memory(const Unit& unit, const LayerMapping& mapping, const MvauShape& shape,
                       const Device& device, UnitCost& cost) {
  const std::int64_t depth = shape.neuron_fold * shape.synapse_fold;
  const std::int64_t width = shape.simd * unit.weight_bits;
  auto& r = cost.resources;
  switch (mapping.storage) {
    case WeightStorage::bram:
      r.bram18 += static_cast<double>(shape.pe * blocks_needed(device.bram, depth, width));
      break;
    case WeightStorage::uram:
      r.uram += static_cast<double>(shape.pe * blocks_needed(device.uram, depth, width));
      break;
    case WeightStorage::lutram: {
      const auto luts = static_cast<double>(shape.pe * lut_memory_luts(depth, width, device.lutram_depth));
      r.lut += luts;
      r.lutram += luts;
      break;
    }
    case WeightStorage::logic:
      r.lut += static_cast<double>(shape.pe * lut_memory_luts(depth, width, device.lut_rom_depth()));
      break;
    case WeightStorage::offchip:
      cost.offchip_bytes = static_cast<double>(unit.mw * unit.mh * unit.weight_bits) / 8.0 *
                           static_cast<double>(unit.pixels);
      r.lut += dma_luts;
      r.ff += dma_ffs;
      break;
  }
}

/// The sliding-window unit of a conv2d. FINN-R (uncalibrated): k + stride line buffers, each
/// IFMDim x IFMChannels / SIMD deep and SIMD x A bits wide (ConvolutionInputGenerator_hls
/// .bram_estimation), placed by buffer_memory, 300 LUTs of address logic (FINN's lut_estimation)
/// and registers for one input and one output word. Calibrated (codse's RTL): codse_swu's two
/// frame banks, SIMD channels per word (window_frames), and its counters, address adds and
/// padding select (window_logic).
void add_sliding_window(const Unit& unit, std::int64_t simd, const Device& device, bool codse_rtl, UnitCost& cost) {
  auto& r = cost.resources;
  if (codse_rtl) {
    const int bits = rtl_element_bits(unit.input_bits, unit.input_signed);
    const WindowShape window{unit.in_channels, unit.in_height, unit.in_width, unit.kernel,  unit.stride,
                             unit.padding,     unit.out_height, unit.out_width, simd, bits};
    r += window_frames(device, unit.in_height, unit.in_width, unit.in_channels, simd, bits);
    r += window_logic_cost(device, window_counts(window));
    return;
  }
  const std::int64_t width = simd * unit.input_bits;
  const std::int64_t padded_width = unit.in_width + 2 * unit.padding;
  const Resources buffer = buffer_memory(device, padded_width * (unit.in_channels / simd), width);
  const double count = static_cast<double>(unit.kernel + unit.stride);
  r.lut += swu_base_luts + count * buffer.lut;
  r.lutram += count * buffer.lutram;
  r.bram18 += count * buffer.bram18;
  r.ff += count * buffer.ff + 2.0 * static_cast<double>(width) + control_ffs;
}

}  // namespace

std::int64_t sliding_window_cycles(const Unit& unit, std::int64_t simd) {
  // FINN ConvolutionInputGenerator_hls.get_exp_cycles (2-D, no dilation, mmv 1): fill k rows,
  // then per output row the larger of writing its windows and reading the next stride rows.
  const std::int64_t fold = unit.in_channels / simd;
  const std::int64_t ifm_w = unit.in_width + 2 * unit.padding;
  const std::int64_t k = unit.kernel;
  const std::int64_t write_block = unit.out_width * k * k * fold;
  const std::int64_t read_block = unit.stride * ifm_w * fold;
  return ifm_w * k * fold + unit.out_height * std::max(write_block, read_block);
}

UnitCost folded_matrix_vector_cost(const Unit& unit, const LayerMapping& mapping, const Device& device,
                                   const Calibration& calibration) {
  const MvauShape shape{mapping.pe, mapping.simd, unit.mh / mapping.pe, unit.mw / mapping.simd};
  UnitCost cost;

  // Cycles: FINN MVAU.get_exp_cycles, (MH/PE)(MW/SIMD) per input vector, one vector per output
  // pixel. A conv2d's SWU runs beside it; whichever is slower sets the unit's cycles.
  const std::int64_t mvau_cycles = shape.neuron_fold * shape.synapse_fold * unit.pixels;
  const std::int64_t swu_cycles = unit.is_conv ? sliding_window_cycles(unit, shape.simd) : 0;
  cost.cycles = std::max(mvau_cycles, swu_cycles);
  cost.limiter = swu_cycles > mvau_cycles ? Limiter::memory : Limiter::compute;
  // Latency: FINN's critical-path estimate sums the units' cycles (dataflow_performance).
  cost.latency_cycles = cost.cycles;

  const int w = unit.weight_bits, a = unit.input_bits;
  const bool in_dsp = products_in_dsp(unit, mapping, device);
  double luts_per_pe = datapath_luts_per_pe(unit, shape.simd, in_dsp);
  double memory_luts = 0.0;
  add_requant(unit, shape, device, luts_per_pe, memory_luts);
  auto& r = cost.resources;
  r.lut = std::ceil(mvau_base_luts + mvau_lut_factor * static_cast<double>(shape.pe) * luts_per_pe) + memory_luts;
  if (in_dsp) r.dsp = static_cast<double>(shape.pe * shape.simd * dsps_per_multiplier(device, w, a));

  // Registers (codse's model, checked against the yosys counts of TOOLCHAIN.md section 2: a
  // 16-lane 4-bit unit has 151 FFs = 2 x 16 x 4 operand bits + accumulator + control): the
  // input word (SIMD x A, shared by the PEs), per PE the weight word, the accumulator and the
  // output; DSPs absorb the operand registers. Plus the depth-2 FIFO on the output stream
  // (FINN's default InsertFIFO depth).
  const double pe = static_cast<double>(shape.pe), simd = static_cast<double>(shape.simd);
  const double per_pe_ffs = (in_dsp ? 0.0 : simd * w) + unit.acc_bits + unit.output_bits;
  r.ff = (in_dsp ? 0.0 : simd * a) + pe * per_pe_ffs + control_ffs + 2.0 * pe * unit.output_bits;

  add_weight_memory(unit, mapping, shape, device, cost);
  if (calibration.by_terms) {
    // The device's fitted coefficients of the parts of codse's RTL (hw/model/calibration.hpp), with the
    // block RAM of codse_mvau's two-bank input buffer (2 SF words of SIMD x A bits) when Yosys
    // puts it there (FINN-R, the uncalibrated model, counts no input buffer).
    apply_term_calibration(calibration, folded_terms(unit, mapping, device), r);
    const Resources affine = output_affine_cost(unit, mapping, device);
    r.lut += affine.lut;
    r.ff += affine.ff;
    if (mapping.storage == WeightStorage::offchip) {
      r.lut += dma_luts;
      r.ff += dma_ffs;
    }
  }
  if (unit.is_conv) add_sliding_window(unit, shape.simd, device, calibration.by_terms, cost);
  // The linear correction of older catalogs (identity unless the catalog entry has one).
  calibration.apply(cost.resources);
  return cost;
}

}  // namespace codse::hw
