#pragma once
// A Calibration corrects the analytic LUT and FF counts of the folded template's matrix-vector
// units towards what synthesis measures, per device. Two forms:
//  - by terms (what `codse hw calibrate` fits): LUTs = sum c_i x the unit's LUT term i and
//    FFs = sum d_i x FF term i, the terms being the parts codse's RTL instantiates
//    (folded_terms.hpp); the coefficients minimise the mean absolute relative error (small and
//    large layers count alike), none negative;
//  - linear (older catalogs): measured ~ offset + scale x the analytic count.
// The coefficients are stored in the device's catalog entry ("calibration": {...},
// docs/MAPPING.md); a device without one is uncalibrated (the FINN-R model). DSP and block RAM
// counts are structural (the estimator counts them as Yosys infers them) and are not fitted.

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "hw/model/estimate.hpp"

namespace codse::hw {

enum class LutTerm : std::size_t {
  control,        // 1: stream handshakes, bank flags
  counters,       // bits of the fold counters and address (compare and increment)
  multipliers,    // partial-product bits of the LUT multipliers: PE x SIMD x w x a' (a' = a, +1 signed),
                  // the share whose weight bit varies over the ROM's words (all of it in block RAM)
  constant_multipliers,  // the rest: weight bits constant over a shallow LUT ROM (products by constants)
  products,       // dot-product terms, PE x SIMD: one leaf of an adder tree each
  adders,         // bits entering the adder trees: PE x SIMD x (w + a')
  accumulators,   // PE x accumulator bits (accumulate, clear on the first fold)
  weight_memory,  // LUT ROMs (weights; thresholds when NF > 1): distinct columns x ceil(depth / 2^k)
  input_buffer,   // the two-bank input buffer in LUTRAM (inferred_buffer_memory)
  requant,        // thresholds: PE x (steps + 1) comparators of acc + 2 bits; shift: PE x (acc + out)
  popcount_terms, // popcount terms: PE x SIMD of XNOR layers, (PE + 1) x SIMD x input bits of
                  // bipolar weights (instead of products and adders)
  tree_levels,    // PE x SIMD x ceil(log2(SIMD + 1)): a term's way through its adder tree, whose
                  // partial sums widen with each level (a popcount of 64 costs 2.7 LUTs a term in
                  // Yosys, of 4 costs 1.75)
  stacked_memory, // PE x SIMD x w, the weight bits read from a block-RAM weight memory that Yosys
                  // packs in more than one row of words (packed_memory's rows > 1), and a threshold
                  // ROM's bits likewise: the read mux over the rows, about 3 LUTs a bit in Yosys
                  // whatever the depth (2,304 to 18,432 words)
  weight_bit_adds, // PE x SIMD x w of LUT multipliers (the varying share): codse_mvau adds the input
                   // shifted once per weight bit, so a product's adders grow with w even at a
                   // fixed w x a' (Yosys, PE 2 x SIMD 16: 4.0 LUTs per weight bit beside 1.8 per
                   // partial-product bit)
};
inline constexpr std::size_t lut_term_count = 14;

enum class FfTerm : std::size_t {
  control,       // counters, flags and valid bits: 7 + address + 2 x fold counter bits (+ requant's)
  operands,      // stage-1 registers outside block RAM: SIMD x a input bits, the LUT ROM's distinct columns
  accumulators,  // PE x acc bits, twice (the accumulator and the output register)
  requant,       // PE x output bits and the threshold ROM's read register (its distinct columns)
  block_ram_reads,  // data bits read from block RAM (weights PE x SIMD x w, a buffered input SIMD x a):
                    // registers the block RAM absorbs on some fabrics (xc7) and not on others (iCE40)
};
inline constexpr std::size_t ff_term_count = 5;

std::string_view to_string(LutTerm term);
std::string_view to_string(FfTerm term);

struct Calibration {
  double lut_offset = 0.0;
  double lut_scale = 1.0;
  double ff_offset = 0.0;
  double ff_scale = 1.0;
  bool by_terms = false;  // use the term coefficients below instead of offset and scale
  std::array<double, lut_term_count> lut_terms{};
  std::array<double, ff_term_count> ff_terms{};
  std::string source;  // what it was fitted on (tool, corpus size), for the catalog reader

  bool is_identity() const {
    return !by_terms && lut_offset == 0.0 && lut_scale == 1.0 && ff_offset == 0.0 && ff_scale == 1.0;
  }
  /// The linear form: applies to a unit's resources (lut and ff; never below the LUTRAM they
  /// contain, nor 0). Nothing when by_terms.
  void apply(Resources& resources) const;

  nlohmann::json to_json() const;
  /// Throws InputError naming `where` and the field when malformed.
  static Calibration from_json(const nlohmann::json& object, const std::string& where);
};

}  // namespace codse::hw
