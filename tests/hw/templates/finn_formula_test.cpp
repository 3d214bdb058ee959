// Cycles and block RAM of the FINN networks against FINN's published formulas, computed by hand:
//   MVAU cycles = (MH / PE) * (MW / SIMD) per input vector (Umuroglu et al. FPGA 2017; FINN's
//   MVAU.get_exp_cycles), one vector per output pixel for a convolution;
//   weight BRAM  = PE * ceil(WMEM / d) * ceil(SIMD * W / w), WMEM = (MH / PE)(MW / SIMD), with the
//   RAMB18 shape d x w that needs fewest blocks (FINN-R's PE * ceil(WMEM / 512) * ceil(SIMD W / 36)
//   where 512 x 36 is best);
//   SWU cycles   = IFM * k * C/SIMD + OFM * max(OFM * k^2 * C/SIMD, stride * IFM * C/SIMD)
//   SWU BRAM     = (k + stride) line buffers of IFM * C / SIMD x SIMD * A bits.
#include <gtest/gtest.h>

#include "hw/estimate/estimator.hpp"
#include "hw/hw_test_support.hpp"

namespace codse::hw {
namespace {

using testing::builtin_device;
using testing::example_network;
using testing::folded;

const LayerEstimate& layer(const Estimate& estimate, const std::string& name) {
  for (const auto& entry : estimate.layers)
    if (entry.name == name) return entry;
  throw std::runtime_error("no layer " + name);
}

TEST(FinnFormulas, LfcW1A1CyclesAndBram) {
  const auto network = example_network("lfc_w1a1");
  const auto mapping = folded({{"fc0", 32, 49}, {"fc1", 64, 32}, {"fc2", 32, 64}, {"fc3", 10, 8}});
  const auto estimate = Estimator(network, builtin_device("XC7Z020")).estimate(mapping);

  // 784 -> 1024 at PE 32, SIMD 49: (1024/32)(784/49) = 32 * 16 = 512 cycles; WMEM 512 deep,
  // 49 bits wide per PE: 512x36 twice (1Kx18 would need 3) -> 32 * 2 = 64 RAMB18.
  EXPECT_EQ(layer(estimate, "fc0").cycles, 512);
  EXPECT_EQ(layer(estimate, "fc0").resources.bram18, 64);
  // 1024 -> 1024 at PE 64, SIMD 32: 16 * 32 = 512; WMEM 512 x 32 bits: one 512x36 per PE.
  EXPECT_EQ(layer(estimate, "fc1").cycles, 512);
  EXPECT_EQ(layer(estimate, "fc1").resources.bram18, 64);
  // PE 32, SIMD 64: 32 * 16 = 512; 512 x 64 bits: two 512x36 per PE.
  EXPECT_EQ(layer(estimate, "fc2").cycles, 512);
  EXPECT_EQ(layer(estimate, "fc2").resources.bram18, 64);
  // 1024 -> 10 at PE 10, SIMD 8: 1 * 128 = 128; 128 x 8 bits: one block per PE.
  EXPECT_EQ(layer(estimate, "fc3").cycles, 128);
  EXPECT_EQ(layer(estimate, "fc3").resources.bram18, 10);

  EXPECT_EQ(estimate.total.bram18, 202);
  EXPECT_EQ(estimate.ii_cycles, 512);
  EXPECT_EQ(estimate.latency_cycles, 3 * 512 + 128);
  EXPECT_DOUBLE_EQ(estimate.latency_us, 16.64);
  EXPECT_DOUBLE_EQ(estimate.fps, 100e6 / 512);
  EXPECT_TRUE(estimate.fits);
}

TEST(FinnFormulas, LfcW1A1Luts) {
  // FINN-R's LUT model, c0 + c1 * PE * (multipliers + adder tree + accumulator + comparators)
  // + threshold ROM, by hand.
  const auto network = example_network("lfc_w1a1");
  const auto mapping = folded({{"fc0", 32, 49}, {"fc1", 64, 32}, {"fc2", 32, 64}, {"fc3", 10, 8}});
  const auto estimate = Estimator(network, builtin_device("XC7Z020")).estimate(mapping);
  // fc0: 1-bit weights x 1-bit unsigned pixels (not bipolar, so not XNOR): a multiplier is
  // (2 ceil(2/6) - 1) * 2 = 2 LUTs, 49 lanes = 98; adder tree (1 + 1)(2 * 49 - 1) = 194;
  // accumulator 1 + 1 + ceil(log2 784) = 12 bits; one threshold (sign): 12 comparator LUTs.
  // Per PE 98 + 194 + 12 + 12 = 316; ceil(300 + 1.1 * 32 * 316) = 11424; thresholds in ROM:
  // 32 PEs * 12 bits * ceil(32 / 64) = 384.
  EXPECT_EQ(layer(estimate, "fc0").resources.lut, 11424 + 384);
  // fc1: bipolar x bipolar, XNOR-popcount: 32 lanes + an 11-bit popcount (ceil(log2 1025)) +
  // 11 comparator LUTs = 54 per PE; ceil(300 + 1.1 * 64 * 54) = 4102; ROM 64 * 11 * 1 = 704.
  EXPECT_EQ(layer(estimate, "fc1").resources.lut, 4102 + 704);
}

TEST(FinnFormulas, SfcW1A1CyclesAndBram) {
  const auto network = example_network("sfc_w1a1");
  const auto mapping = folded({{"fc0", 16, 49}, {"fc1", 16, 16}, {"fc2", 16, 16}, {"fc3", 1, 16}});
  const auto estimate = Estimator(network, builtin_device("XC7Z020")).estimate(mapping);
  // 784 -> 256 at PE 16, SIMD 49: 16 * 16 = 256 cycles; WMEM 256 x 49 bits: 2 per PE -> 32.
  EXPECT_EQ(layer(estimate, "fc0").cycles, 256);
  EXPECT_EQ(layer(estimate, "fc0").resources.bram18, 32);
  // 256 -> 256 at PE 16, SIMD 16: 16 * 16 = 256; 256 x 16 bits: one 1Kx18 per PE -> 16.
  EXPECT_EQ(layer(estimate, "fc1").cycles, 256);
  EXPECT_EQ(layer(estimate, "fc1").resources.bram18, 16);
  EXPECT_EQ(layer(estimate, "fc2").resources.bram18, 16);
  // 256 -> 10 at PE 1, SIMD 16: 10 * 16 = 160; 160 x 16 bits: one block.
  EXPECT_EQ(layer(estimate, "fc3").cycles, 160);
  EXPECT_EQ(layer(estimate, "fc3").resources.bram18, 1);
  EXPECT_EQ(estimate.total.bram18, 65);
  EXPECT_EQ(estimate.ii_cycles, 256);
  EXPECT_EQ(estimate.latency_cycles, 3 * 256 + 160);
}

// BNN-PYNQ's CNV folding (PE, SIMD): conv layers at SIMD 3 or 32, the fully connected tail slow.
Mapping cnv_mapping() {
  return folded({{"conv0", 16, 3},
                 {"conv1", 32, 32},
                 {"conv2", 16, 32},
                 {"conv3", 16, 32},
                 {"conv4", 4, 32},
                 {"conv5", 1, 32},
                 {"fc0", 1, 4},
                 {"fc1", 1, 8},
                 {"fc2", 1, 1}});
}

TEST(FinnFormulas, CnvW1A1Cycles) {
  const auto estimate = Estimator(example_network("cnv_w1a1"), builtin_device("XC7Z045")).estimate(cnv_mapping());
  // conv0: 3 -> 64 channels, 3x3, 32x32 -> 30x30: MW = 27, MH = 64; (64/16)(27/3) * 900 = 32400.
  // Its SWU: 32 * 3 * 1 + 30 * max(30 * 9 * 1, 32 * 1) = 8196 < 32400: compute-bound.
  EXPECT_EQ(layer(estimate, "conv0").cycles, 32400);
  EXPECT_EQ(layer(estimate, "conv0").limiter, Limiter::compute);
  // conv1: 64 -> 64, 30 -> 28: MW = 576; (64/32)(576/32) * 784 = 28224.
  EXPECT_EQ(layer(estimate, "conv1").cycles, 28224);
  // conv2: 64 -> 128, 14 -> 12: (128/16)(576/32) * 144 = 20736.
  EXPECT_EQ(layer(estimate, "conv2").cycles, 20736);
  // conv3: 128 -> 128, 12 -> 10: MW = 1152; (128/16)(1152/32) * 100 = 28800.
  EXPECT_EQ(layer(estimate, "conv3").cycles, 28800);
  // conv4: 128 -> 256, 5 -> 3: (256/4)(1152/32) * 9 = 20736.
  EXPECT_EQ(layer(estimate, "conv4").cycles, 20736);
  // conv5: 256 -> 256, 3 -> 1: MW = 2304; 256 * 72 * 1 = 18432.
  EXPECT_EQ(layer(estimate, "conv5").cycles, 18432);
  // fc0: 256 -> 512 at PE 1, SIMD 4: 512 * 64 = 32768; fc1: 512 -> 512 at SIMD 8: 512 * 64.
  EXPECT_EQ(layer(estimate, "fc0").cycles, 32768);
  EXPECT_EQ(layer(estimate, "fc1").cycles, 32768);
  EXPECT_EQ(layer(estimate, "fc2").cycles, 10 * 512);
  // Pools take one pixel per cycle: 28 * 28 and 10 * 10.
  EXPECT_EQ(layer(estimate, "pool0").cycles, 784);
  EXPECT_EQ(layer(estimate, "pool1").cycles, 100);
  EXPECT_EQ(estimate.ii_cycles, 32768);
  EXPECT_EQ(estimate.layers[estimate.bottleneck].name, "fc0");  // the first of the two slowest
  EXPECT_EQ(estimate.limiter, Limiter::compute);
}

TEST(FinnFormulas, CnvW1A1Bram) {
  const auto estimate = Estimator(example_network("cnv_w1a1"), builtin_device("XC7Z045")).estimate(cnv_mapping());
  // conv0 weights: WMEM (64/16)(27/3) = 36 deep, 3 bits wide: one block per PE -> 16. Its
  // line buffers (32 * 3/3 = 32 deep, 3 * 8 = 24 bits = 768 bits) fit LUTRAM: no BRAM.
  EXPECT_EQ(layer(estimate, "conv0").resources.bram18, 16);
  // conv1 weights: 2 * 18 = 36 deep, 32 bits: 1 per PE -> 32; line buffers 30 * 64/32 = 60 deep,
  // 32 bits (1920 bits, above the LUTRAM limit): one 512x36 each, k + stride = 4 of them.
  EXPECT_EQ(layer(estimate, "conv1").resources.bram18, 32 + 4);
  // conv5 weights: 256 * 72 = 18432 deep, 32 bits: 1Kx18 needs 18 * 2 = 36, 512x36 needs 36:
  // 36 blocks for its single PE. Its line buffers, 3 * 256/32 = 24 deep x 32 bits, are LUTRAM.
  EXPECT_EQ(layer(estimate, "conv5").resources.bram18, 36);
  // fc0: 512 * 64 = 32768 deep, 4 bits: 4Kx4 -> 8 blocks.
  EXPECT_EQ(layer(estimate, "fc0").resources.bram18, 8);
}

TEST(FinnFormulas, CnvW2A2Bram) {
  const auto estimate = Estimator(example_network("cnv_w2a2"), builtin_device("XC7Z045")).estimate(cnv_mapping());
  // conv0: 36 deep, 3 * 2 = 6 bits: one 2Kx9 per PE -> 16 (FINN-R: 16 * 1 * ceil(6/36) = 16).
  EXPECT_EQ(layer(estimate, "conv0").resources.bram18, 16);
  // conv1: 36 deep, 32 * 2 = 64 bits: two 512x36 per PE -> 64 (FINN-R: 32 * 1 * 2); line
  // buffers 60 deep x 64 bits of 2-bit activations: 2 blocks each, 4 buffers -> 8 (FINN's SWU
  // estimate: (3 + 1) * ceil(64/36) * 1 = 8).
  EXPECT_EQ(layer(estimate, "conv1").resources.bram18, 64 + 8);
  // Cycles do not depend on the bit width.
  EXPECT_EQ(layer(estimate, "conv1").cycles, 28224);
  EXPECT_EQ(estimate.ii_cycles, 32768);
}

TEST(FinnFormulas, SlidingWindowBoundConvIsMemoryLimited) {
  // conv0 of CNV at PE 64, SIMD 3: MVAU (64/64)(27/3) * 900 = 8100 cycles, but the sliding
  // window needs 32 * 3 + 30 * max(270, 32) = 8196: the unit is memory-bound at 8196.
  auto mapping = cnv_mapping();
  mapping.layers[0].pe = 64;
  const auto estimate = Estimator(example_network("cnv_w1a1"), builtin_device("XC7Z045")).estimate(mapping);
  EXPECT_EQ(layer(estimate, "conv0").cycles, 8196);
  EXPECT_EQ(layer(estimate, "conv0").limiter, Limiter::memory);
}

}  // namespace
}  // namespace codse::hw
