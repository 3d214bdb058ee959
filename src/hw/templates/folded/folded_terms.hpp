#pragma once
// The parts of a folded matrix-vector unit as codse's RTL builds it (codse_mvau.v and the
// thresholds or shift unit after it), each an analytic count. The calibration (hw/model/calibration.hpp)
// fits one coefficient per term against synthesized units: measured LUTs ~ sum c_i x lut term i,
// measured FFs ~ sum d_i x ff term i. The terms follow what the RTL instantiates, so a good fit
// needs coefficients near 1 for the structural ones (registers) and the fabric's packing factor
// for the logic ones (a multiplier's partial-product bits, an adder's bits).

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "hw/model/calibration.hpp"

namespace codse::hw {

struct Device;
struct LayerMapping;
struct Resources;
struct Unit;

struct FoldedTerms {
  std::array<double, lut_term_count> lut{};
  std::array<double, ff_term_count> ff{};
  double bram18 = 0.0;  // block RAM as Yosys packs it: weights, and input buffer and thresholds when there (not fitted)
  double& operator[](LutTerm term) { return lut[static_cast<std::size_t>(term)]; }
  double& operator[](FfTerm term) { return ff[static_cast<std::size_t>(term)]; }
};

/// Bits of a threshold as codse's RTL stores them (the generator sizes them to the trained values):
/// at most acc + 1, and typically the accumulator's width less half the bits of its fan-in MW,
/// plus two. The accumulator is sized for MW worst-case products; a trained layer's thresholds lie
/// within a few standard deviations of its pre-activations, which grow as sqrt(MW) (measured on
/// 40 layers of 13 networks: within 2 bits on most, bipolar CNV layers below it).
double threshold_bits(const Unit& unit);

/// Bits one weight takes in codse's RTL: one for bipolar weights (+-1, codse_mvau's BIPOLAR_W),
/// two for pruned 1-bit weights (ternary levels in two's complement), else as quantized.
int rtl_weight_bits(const Unit& unit);

/// Whether the unit's products go to DSP blocks: none for bipolar weights (an add or subtract per
/// term), else multipliers_in_dsp for the operand widths codse_mvau multiplies (rtl_weight_bits x
/// the input bits).
bool products_in_dsp(const Unit& unit, const LayerMapping& mapping, const Device& device);

/// Distinct non-constant columns among `columns` random bit columns of a ROM `words` deep: what
/// is left of a LUT ROM and its read register once synthesis removes constant columns and merges
/// equal ones (the expected number of distinct values among n draws from 2^words - 2 patterns).
double distinct_columns(double columns, std::int64_t words);

/// Expected share of a random weight bit column that is not constant over a ROM `words` deep:
/// 1 - 2^(1 - words) (a column of equally likely bits is all 0 or all 1 with probability
/// 2^(1 - words)). Synthesis folds such constant weight bits into the products.
double varying_bit_fraction(std::int64_t words);

/// The terms of a folded matrix-vector unit (without its sliding-window unit and DMA).
FoldedTerms folded_terms(const Unit& unit, const LayerMapping& mapping, const Device& device);

/// codse_affine.v behind the network's last unit (Unit::output_affine): per lane an adder, the
/// offsets in a LUT ROM of NF words read a channel ahead, and the output register. Its widths
/// depend on the trained values; a float32 bias is exact with 24 fraction bits, so the offsets
/// take about 27 bits and the output acc + 25. Structural counts, not fitted: the calibration
/// corpus's layers have no bias.
Resources output_affine_cost(const Unit& unit, const LayerMapping& mapping, const Device& device);

/// The term form of a calibration: sets lut and ff from the unit's terms (lut never below its
/// LUTRAM) and block RAM to the terms' count, Yosys's packing of the weights, the input buffer
/// and the threshold ROM (FINN-R, the uncalibrated model, tiles the weights and counts no more).
void apply_term_calibration(const Calibration& calibration, const FoldedTerms& terms, Resources& resources);

}  // namespace codse::hw
