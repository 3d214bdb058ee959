#include "hw/templates/folded/folded_terms.hpp"

#include <algorithm>
#include <cmath>

#include "hw/cost/arithmetic_cost.hpp"
#include "hw/model/device.hpp"
#include "hw/model/estimate.hpp"
#include "hw/model/mapping.hpp"
#include "hw/cost/memory_cost.hpp"
#include "hw/cost/window_frames.hpp"
#include "hw/model/workload.hpp"

namespace codse::hw {
namespace {

/// $clog2(n + 1): the bits of a counter that reaches n (the RTL's localparams AW, BW, FW).
double counter_bits(std::int64_t n) { return std::ceil(std::log2(static_cast<double>(n) + 1.0)); }

/// A LUT ROM of `columns` distinct columns and `words` words: a LUT per column and 2^k words.
double lut_rom_luts(double columns, std::int64_t words, const Device& device) {
  return columns * std::ceil(static_cast<double>(words) / static_cast<double>(device.lut_rom_depth()));
}

}  // namespace

double threshold_bits(const Unit& unit) {
  const double acc = unit.acc_bits;
  const double typical = std::ceil(acc + 2.0 - 0.5 * std::log2(static_cast<double>(std::max<std::int64_t>(unit.mw, 1))));
  return std::clamp(typical, 1.0, acc + 1.0);
}

int rtl_weight_bits(const Unit& unit) {
  if (unit.bipolar_weights) return 1;
  return unit.weight_bits == 1 && unit.weight_signed ? 2 : unit.weight_bits;  // pruned: ternary
}

bool products_in_dsp(const Unit& unit, const LayerMapping& mapping, const Device& device) {
  return !unit.bipolar_weights &&
         multipliers_in_dsp(device, mapping.multipliers, rtl_weight_bits(unit), unit.input_bits, unit.input_signed);
}

double distinct_columns(double columns, std::int64_t words) {
  if (words >= 62) return columns;  // 2^words patterns: no two random columns coincide
  const double patterns = std::ldexp(1.0, static_cast<int>(words)) - 2.0;
  if (patterns <= 0.0) return 0.0;
  return patterns * (1.0 - std::pow(1.0 - 1.0 / patterns, columns));
}

double varying_bit_fraction(std::int64_t words) {
  if (words <= 1) return 0.0;
  return 1.0 - std::ldexp(1.0, static_cast<int>(1 - std::min<std::int64_t>(words, 1100)));
}

FoldedTerms folded_terms(const Unit& unit, const LayerMapping& mapping, const Device& device) {
  FoldedTerms t;
  const double pe = mapping.pe, simd = mapping.simd;
  const std::int64_t nf = unit.mh / mapping.pe, sf = unit.mw / mapping.simd, depth = nf * sf;
  // Arithmetic widths: w as the RTL stores it, the input as the multiplier sees it (a sign bit
  // more for signed inputs; for unsigned ones the extension bit is 0 and synthesis drops it).
  // Bipolar inputs travel as 2-bit two's complement (+1 = 01, -1 = 11).
  const int w = rtl_weight_bits(unit), a = rtl_element_bits(unit.input_bits, unit.input_signed);
  const int acc = unit.acc_bits;
  const double a_used = a + (unit.input_signed ? 1 : 0);
  const bool in_dsp = products_in_dsp(unit, mapping, device);
  const bool weights_in_luts = mapping.storage == WeightStorage::logic || mapping.storage == WeightStorage::lutram;
  // A LUT ROM's columns: each weight bit over the depth words, the bipolar weights' constant low
  // bit removed; the ROM's read register keeps one flip-flop per distinct non-constant column.
  const double rom_columns =
      weights_in_luts ? distinct_columns(pe * simd * unit.weight_bits, depth) : 0.0;

  // codse_mvau.v: counters wcount and sf to 2 SF, waddr to NF x SF.
  const double counters = counter_bits(depth) + 2.0 * counter_bits(2 * sf);
  const double requant_phase = unit.requant == Requant::none ? 0.0 : counter_bits(nf);
  t[LutTerm::control] = 1.0;
  t[LutTerm::counters] = counters + requant_phase;
  // Partial-product bits; in a LUT ROM, Yosys sees the weights and folds the bits that are the
  // same in every word into the products (a shallow ROM has many); block RAM hides them.
  // XNOR-popcount (binarized layers): no multipliers, a popcount of SIMD one-bit terms per PE, a
  // datapath of its own with a coefficient of its own.
  // Bipolar weights (w = 1) on other inputs: each PE sums the inputs its +1 weights select and the
  // PEs share one sum of all inputs (codse_mvau.v), the same adder trees as a popcount, one per
  // input bit: a_used popcount terms per weight, and a_used per SIMD lane for the shared sum.
  // Bipolar inputs (+-1, 2 bits in the RTL) times multi-bit weights: Yosys reduces the product to a
  // conditional negation of the weight, its w bits (Unit::bipolar_inputs: not under zero padding).
  const bool popcount = unit.xnor || unit.bipolar_weights;
  const double partial_products = in_dsp || popcount ? 0.0 : pe * simd * w * (unit.bipolar_inputs ? 1.0 : a_used);
  const double varying = weights_in_luts ? varying_bit_fraction(depth) : 1.0;
  t[LutTerm::multipliers] = partial_products * varying;
  t[LutTerm::constant_multipliers] = partial_products * (1.0 - varying);
  t[LutTerm::weight_bit_adds] = in_dsp || popcount ? 0.0 : pe * simd * w * varying;
  t[LutTerm::products] = popcount ? 0.0 : pe * simd;
  t[LutTerm::adders] = popcount ? 0.0 : pe * simd * (w + a_used);
  t[LutTerm::popcount_terms] = unit.xnor ? pe * simd : unit.bipolar_weights ? (pe + 1.0) * simd * a_used : 0.0;
  t[LutTerm::tree_levels] = pe * simd * counter_bits(mapping.simd);
  t[LutTerm::accumulators] = pe * acc;
  t[LutTerm::weight_memory] = lut_rom_luts(rom_columns, depth, device);
  // Block-RAM weights as Yosys packs them; in more than one row of words Yosys muxes the rows'
  // read data, about 3 LUTs a bit read on xc7 whatever the depth (ROMs of 2,304 to 18,432 x 32
  // bits: 101 to 128 LUTs).
  const std::int64_t word_bits = static_cast<std::int64_t>(mapping.simd) * w;
  if (mapping.storage == WeightStorage::bram) {
    const Packing weights = packed_memory(device.bram, depth, word_bits, MemoryAccess::read_only);
    t.bram18 = pe * static_cast<double>(weights.blocks);
    if (weights.rows > 1) t[LutTerm::stacked_memory] = pe * simd * w;
  }
  const Resources buffer = inferred_buffer_memory(device, 2 * sf, mapping.simd * a);
  t[LutTerm::input_buffer] = buffer.lut;
  t.bram18 += buffer.bram18;

  // codse_thresholds.v: per lane STEPS comparators of CW = acc + 2 bits and a conditional
  // negation; the thresholds in a ROM of NF words (constants when NF = 1) read a channel ahead
  // (codse_channel_params.v), a LUT ROM like the weights' with a read register of its distinct
  // columns. codse_shift_requant.v: an adder and a clamp per lane.
  const double cw = acc + 2;
  double threshold_columns = 0.0;
  switch (unit.requant) {
    case Requant::none: break;
    case Requant::thresholds:
      if (nf > 1) {
        // Yosys may put the ROM in block RAM (no attribute places it): no LUT ROM and no read
        // register then, but a read mux over its rows of blocks when it has several.
        const double rom_bits = pe * unit.thresholds * threshold_bits(unit);
        if (const auto packing = rom_in_block_ram(device, nf, static_cast<std::int64_t>(rom_bits))) {
          t.bram18 += static_cast<double>(packing->blocks);
          if (packing->rows > 1) t[LutTerm::stacked_memory] += rom_bits;
        } else {
          threshold_columns = distinct_columns(rom_bits, nf);
          t[LutTerm::weight_memory] += lut_rom_luts(threshold_columns, nf, device);
        }
      }
      t[LutTerm::requant] = pe * (unit.thresholds + 1) * cw;
      break;
    case Requant::shift: t[LutTerm::requant] = pe * (acc + unit.output_bits); break;
  }

  t[FfTerm::control] = 7.0 + counters + (unit.requant == Requant::none ? 0.0 : 1.0 + requant_phase);
  t[FfTerm::operands] = (buffer.bram18 > 0.0 ? 0.0 : buffer.ff) + rom_columns;  // the buffer's read register, or all of it
  t[FfTerm::accumulators] = 2.0 * pe * acc;
  t[FfTerm::requant] = unit.requant == Requant::none ? 0.0 : pe * unit.output_bits + threshold_columns;
  t[FfTerm::block_ram_reads] = (mapping.storage == WeightStorage::bram ? pe * simd * w : 0.0) +
                               (buffer.bram18 > 0.0 ? simd * a : 0.0);
  return t;
}

Resources output_affine_cost(const Unit& unit, const LayerMapping& mapping, const Device& device) {
  constexpr double fraction_bits = 24.0, offset_bits = fraction_bits + 3.0;
  Resources r;
  if (!unit.output_affine) return r;
  const double pe = mapping.pe;
  const std::int64_t nf = unit.mh / mapping.pe;
  const double offset_columns = nf > 1 ? distinct_columns(pe * offset_bits, nf) : 0.0;
  r.lut = pe * (unit.acc_bits + 2) + lut_rom_luts(offset_columns, nf, device);
  r.ff = pe * (unit.acc_bits + fraction_bits + 1.0) + offset_columns;
  return r;
}

void apply_term_calibration(const Calibration& calibration, const FoldedTerms& terms, Resources& r) {
  const auto dot = [](const auto& a, const auto& b) {
    double sum = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) sum += a[i] * b[i];
    return sum;
  };
  r.lut = std::max(dot(calibration.lut_terms, terms.lut), r.lutram);
  r.ff = dot(calibration.ff_terms, terms.ff);
  r.bram18 = terms.bram18;  // the weights' too: Yosys packs them, not FINN's tiling
}

}  // namespace codse::hw
