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
/// as Yosys does with codse_mvau's `w * x`: the input is sign-extended by one bit, so the
/// multiplier's operands are w and a + 1 bits wide and its product w + a + 1; mul2dsp maps it to
/// a DSP when both operands have at least 2 bits and the product at least
/// device.dsp_auto_min_product_bits (DSP_{A,B,Y}_MINWIDTH of synth_xilinx: 2, 2, 9; synth_ice40
/// -dsp: 2, 2, 11) and the device has DSPs. Measured: a 4-bit x 4-bit layer got 8 DSP48E1 for
/// 8 products (bench/hw/RESULTS.md, Calibration).
bool multipliers_in_dsp(const Device& device, MultiplierStyle style, int w, int a);

}  // namespace codse::hw
