#pragma once
// What arithmetic costs in LUTs and DSPs. Shared by the folded and unrolled templates.

#include "hw/model/device.hpp"
#include "hw/model/mapping.hpp"

namespace codse::hw {

/// LUTs of one w x a multiplier built from LUTs: (2 ceil((w + a) / 6) - 1)(w + a), the FINN-R
/// model (Blott et al., TRETS 2018; FINN's MVAU_hls.lut_estimation). At w = a it grows as about
/// 4/3 w a, the partial-product array of a LUT6 multiplier. The same count is used for LUT4
/// devices: yosys maps a 16-lane 4-bit dot product to 1119 LUT6 (xc7) and 1077 LUT4 (iCE40)
/// (../shared/docs/TOOLCHAIN.md, section 2), so the LUT4 fabric needs about as many.
double lut_multiplier_luts(int w, int a);

/// LUTs of a multiplier by a w-bit constant that is not +-2^k: a shift-and-add network with one
/// (w + a)-bit adder per extra non-zero digit of the constant's canonical signed-digit form,
/// which has about w / 3 non-zero digits on average (Hartley, IEEE TCAS-II 1996): max(1, w / 3)
/// adders. Powers of two cost nothing (wiring), zero weights are removed.
double constant_multiplier_luts(int w, int a);

/// DSP blocks for one w x a multiplier: the operands tiled over the block's a_bits x b_bits
/// multiplier in the better orientation (e.g. 1 for 8 x 8 on a 25 x 18 DSP48E1, 2 for 32 x 16).
int dsps_per_multiplier(const Device& device, int w, int a);

/// Whether multipliers of style `style` for w-bit weights and a-bit inputs go to DSPs. auto does
/// as Yosys does with codse_mvau's `w * x`, where x is the input extended by one bit: for an
/// unsigned input that bit is a 0 sign bit, so the operand stays a + 1 bits wide; for a signed one
/// it repeats the sign, and Yosys's wreduce drops it again, so the operand is a bits (2 for bipolar
/// inputs). mul2dsp maps the product to a DSP when both operands have at least 2 bits and the
/// product at least device.dsp_auto_min_product_bits (DSP_{A,B,Y}_MINWIDTH of synth_xilinx: 2, 2,
/// 9; synth_ice40 -dsp: 2, 2, 11) and the device has DSPs. Measured on XC7Z020 (bench/hw/RESULTS.md):
/// 2 x 6-bit and 4 x 4-bit products in DSP48E1 with unsigned inputs, in LUTs with signed ones;
/// 2 x 4 in LUTs and 2 x 8, 4 x 6 in DSPs either way.
bool multipliers_in_dsp(const Device& device, MultiplierStyle style, int w, int a, bool input_signed);

}  // namespace codse::hw
