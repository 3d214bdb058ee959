#include <gtest/gtest.h>

#include <cmath>

#include "hw/cost/arithmetic_cost.hpp"
#include "hw/estimate/estimator.hpp"
#include "hw/templates/template_registry.hpp"
#include "hw/hw_test_support.hpp"
#include "hw/map/mapping_space.hpp"
#include "hw/cost/memory_cost.hpp"
#include "hw/model/device_catalog.hpp"
#include "hw/templates/mapping_file.hpp"

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

class MlpEstimate : public ::testing::Test {
 protected:
  Estimator estimator{example_network("mnist_mlp_w4a4"), builtin_device("XC7Z020")};
  Mapping mapping = folded({{"fc1", 8, 16}, {"fc2", 8, 16}, {"fc3", 10, 4}});
};

TEST_F(MlpEstimate, TotalsAreTheSumOfTheLayers) {
  const auto estimate = estimator.estimate(mapping);
  Resources sum;
  double power = 0.0;
  for (const auto& entry : estimate.layers) {
    sum += entry.resources;
    power += entry.power_w;
  }
  EXPECT_DOUBLE_EQ(estimate.total.lut, sum.lut);
  EXPECT_DOUBLE_EQ(estimate.total.ff, sum.ff);
  EXPECT_DOUBLE_EQ(estimate.total.bram18, sum.bram18);
  EXPECT_DOUBLE_EQ(estimate.power_dynamic_w, power);
  EXPECT_DOUBLE_EQ(estimate.power_w, estimate.power_static_w + power);
  EXPECT_DOUBLE_EQ(estimate.power_static_w, 0.12);
  EXPECT_NEAR(estimate.energy_uj, estimate.power_w / estimate.fps * 1e6, 1e-12);
  EXPECT_DOUBLE_EQ(estimate.utilisation.lut, estimate.total.lut / 53200.0);
  EXPECT_EQ(estimate.fidelity, Fidelity::analytic);
  // fc1: (256/8)(784/16) = 1568; fc2: (256/8)(256/16) = 512; fc3: (10/10)(256/4) = 64.
  EXPECT_EQ(estimate.ii_cycles, 1568);
  EXPECT_EQ(estimate.layers[estimate.bottleneck].name, "fc1");
  EXPECT_EQ(estimate.latency_cycles, 1568 + 512 + 64);
}

TEST_F(MlpEstimate, DynamicPowerFollowsTheDeviceCoefficients) {
  const auto estimate = estimator.estimate(mapping);
  const auto& fc1 = layer(estimate, "fc1").resources;
  // 100 MHz, toggle rate 0.125 = the coefficients' own: microwatts per MHz times 100.
  const double expected = (fc1.lut * 0.10 + fc1.ff * 0.02 + fc1.dsp * 3.0 + fc1.bram18 * 5.0) * 100 * 1e-6;
  EXPECT_NEAR(layer(estimate, "fc1").power_w, expected, 1e-12);
  auto busier = mapping;
  busier.toggle_rate = 0.25;
  EXPECT_NEAR(estimator.estimate(busier).power_dynamic_w, 2 * estimate.power_dynamic_w, 1e-12);
}

TEST_F(MlpEstimate, ClockScalesRatesAndPowerNotCycles) {
  const auto slow = estimator.estimate(mapping);
  auto fast_mapping = mapping;
  fast_mapping.clock_mhz = 200;
  const auto fast = estimator.estimate(fast_mapping);
  EXPECT_EQ(fast.ii_cycles, slow.ii_cycles);
  EXPECT_DOUBLE_EQ(fast.fps, 2 * slow.fps);
  EXPECT_DOUBLE_EQ(fast.latency_us, slow.latency_us / 2);
  EXPECT_NEAR(fast.power_dynamic_w, 2 * slow.power_dynamic_w, 1e-12);
  EXPECT_DOUBLE_EQ(fast.power_static_w, slow.power_static_w);
}

TEST_F(MlpEstimate, MoreLanesNeverSlowerNeverSmaller) {
  // Estimator monotonicity: along the divisors, more PE (or SIMD) never adds cycles and never
  // saves compute LUTs (weights in BRAM so memory LUTs do not interfere), for LUT and DSP
  // multipliers alike.
  for (const auto style : {MultiplierStyle::lut, MultiplierStyle::dsp}) {
    double previous_lut = 0.0, previous_dsp = 0.0;
    std::int64_t previous_cycles = std::numeric_limits<std::int64_t>::max();
    for (const int pe : divisors(256)) {
      LayerMapping fc2{"fc2", pe, 16, 1, WeightStorage::bram, style};
      const auto cost = estimator.layer_cost(1, fc2, accelerator_template("folded"));
      EXPECT_LE(cost.cycles, previous_cycles) << "PE " << pe;
      EXPECT_GE(cost.resources.lut, previous_lut) << "PE " << pe;
      EXPECT_GE(cost.resources.dsp, previous_dsp) << "PE " << pe;
      previous_cycles = cost.cycles;
      previous_lut = cost.resources.lut;
      previous_dsp = cost.resources.dsp;
    }
    previous_lut = 0.0;
    previous_cycles = std::numeric_limits<std::int64_t>::max();
    for (const int simd : divisors(784)) {
      LayerMapping fc1{"fc1", 8, simd, 1, WeightStorage::bram, style};
      const auto cost = estimator.layer_cost(0, fc1, accelerator_template("folded"));
      EXPECT_LE(cost.cycles, previous_cycles) << "SIMD " << simd;
      EXPECT_GE(cost.resources.lut, previous_lut) << "SIMD " << simd;
      previous_cycles = cost.cycles;
      previous_lut = cost.resources.lut;
    }
  }
}

TEST_F(MlpEstimate, DspMultipliersTradeLutsForDsps) {
  // fc1 multiplies 4-bit weights by 8-bit pixels: 12-bit products, one DSP48E1 (25 x 18) each.
  LayerMapping in_luts{"fc1", 16, 49, 1, WeightStorage::bram, MultiplierStyle::lut};
  LayerMapping in_dsps = in_luts;
  in_dsps.multipliers = MultiplierStyle::dsp;
  const auto luts = estimator.layer_cost(0, in_luts, accelerator_template("folded"));
  const auto dsps = estimator.layer_cost(0, in_dsps, accelerator_template("folded"));
  EXPECT_EQ(luts.resources.dsp, 0);
  EXPECT_EQ(dsps.resources.dsp, 16 * 49);
  EXPECT_LT(dsps.resources.lut, luts.resources.lut);
  EXPECT_EQ(dsps.cycles, luts.cycles);
  // auto: a 12-bit product reaches the 9-bit threshold, so auto means DSPs here.
  in_dsps.multipliers = MultiplierStyle::automatic;
  EXPECT_EQ(estimator.layer_cost(0, in_dsps, accelerator_template("folded")).resources.dsp, 16 * 49);
}

// What Yosys 0.23's synth_xilinx did with codse_mvau's products (one dense layer, PE 1, SIMD 2,
// multipliers auto, XC7Z020; bench/hw/RESULTS.md): the sign bit codse_mvau adds to an unsigned
// input stays, a signed input's repeated sign bit is dropped, and a product of 9 bits or more
// goes to a DSP48E1.
TEST(MultipliersInDsp, AutoFollowsYosysOnSignedAndUnsignedInputs) {
  const auto& xc7 = testing::builtin_device("XC7Z020");
  struct Case {
    int w, a;
    bool input_signed, dsp;
  };
  for (const auto& c : {Case{2, 4, false, false}, Case{2, 6, false, true}, Case{2, 8, false, true},
                        Case{4, 4, false, true}, Case{4, 6, false, true}, Case{4, 8, false, true},
                        Case{2, 4, true, false}, Case{2, 6, true, false}, Case{2, 8, true, true},
                        Case{4, 4, true, false}, Case{4, 6, true, true}, Case{4, 8, true, true}})
    EXPECT_EQ(multipliers_in_dsp(xc7, MultiplierStyle::automatic, c.w, c.a, c.input_signed), c.dsp)
        << c.w << " x " << c.a << (c.input_signed ? " signed" : " unsigned");
  EXPECT_TRUE(multipliers_in_dsp(xc7, MultiplierStyle::dsp, 2, 2, true));
  EXPECT_FALSE(multipliers_in_dsp(xc7, MultiplierStyle::lut, 8, 8, false));
  // The iCE40's SB_MAC16 from 11-bit products: 4 x (5 + 1) bits is 10, 4 x (6 + 1) is 11.
  const auto& up5k = testing::builtin_device("iCE40UP5K");
  EXPECT_FALSE(multipliers_in_dsp(up5k, MultiplierStyle::automatic, 4, 5, false));
  EXPECT_TRUE(multipliers_in_dsp(up5k, MultiplierStyle::automatic, 4, 6, false));
}

TEST_F(MlpEstimate, OffchipWeightsAreLimitedByBandwidth) {
  auto streamed = mapping;
  streamed.offchip_gbps = 2.1;
  streamed.layers[0].storage = WeightStorage::offchip;
  const auto estimate = estimator.estimate(streamed);
  // 784 x 256 weights of 4 bits = 100352 bytes per inference, none of it in BRAM.
  EXPECT_DOUBLE_EQ(layer(estimate, "fc1").offchip_bytes, 100352.0);
  EXPECT_EQ(layer(estimate, "fc1").resources.bram18, 0);
  EXPECT_DOUBLE_EQ(estimate.fps_bandwidth, 2.1e9 / 100352.0);
  // 21 bytes per cycle at 100 MHz: ceil(100352 / 21) = 4779 cycles > 1568 compute cycles.
  EXPECT_EQ(estimate.ii_cycles, 4779);
  EXPECT_EQ(estimate.limiter, Limiter::bandwidth);
  EXPECT_EQ(estimate.layers[estimate.bottleneck].name, "fc1");
  EXPECT_NEAR(estimate.offchip_gbps, 100352.0 * 100e6 / 1568 / 1e9, 1e-9);
  EXPECT_LT(estimate.fps, estimate.fps_compute);
}

TEST_F(MlpEstimate, FitsReportsTheOverflowingResources) {
  auto huge = folded({{"fc1", 256, 784}, {"fc2", 256, 256}, {"fc3", 10, 256}});
  const auto estimate = estimator.estimate(huge);
  EXPECT_FALSE(estimate.fits);
  EXPECT_NE(estimate.overflow.find("lut"), std::string::npos);
  EXPECT_GT(estimate.utilisation.lut, 1.0);
  EXPECT_TRUE(estimator.estimate(mapping).fits);
}

TEST_F(MlpEstimate, EstimateIntoReusesItsOutput) {
  Estimate out;
  estimator.estimate_into(mapping, out);
  const auto first = out.total.lut;
  const auto* storage = out.layers.data();
  auto other = mapping;
  other.layers[1].pe = 16;
  estimator.estimate_into(other, out);
  EXPECT_EQ(out.layers.data(), storage);  // no reallocation
  EXPECT_NE(out.total.lut, first);
  estimator.estimate_into(mapping, out);
  EXPECT_EQ(out.total.lut, first);
}

nn::Network sparse_mlp(int weight_bits, double sparsity) {
  nn::Layer input;
  input.name = "in";
  input.kind = nn::LayerKind::input;
  input.input_shape = {64, 1, 1};
  input.activation_quant = {4, false, false, std::nullopt};
  nn::Layer dense;
  dense.name = "fc";
  dense.kind = nn::LayerKind::dense;
  dense.units = 32;
  dense.bias = false;
  dense.weight_quant = {weight_bits, true, false, std::nullopt};
  dense.sparsity = {sparsity, nn::SparsityKind::unstructured};
  return nn::Network("sparse", {input, dense});
}

Mapping unrolled(int reuse) {
  Mapping mapping;
  mapping.accelerator = "unrolled";
  mapping.clock_mhz = 100;
  mapping.layers = {{"fc", 1, 1, reuse, WeightStorage::logic, MultiplierStyle::lut}};
  return mapping;
}

TEST(CalibratedEstimate, WindowFramesAreTheBlockRamYosysBuildsForCnv) {
  // CNV (w1a1, BNN-PYNQ's folding) on the XC7Z020 with the calibrated catalog, whose model is
  // codse's RTL: codse_swu keeps two whole frames in front of every conv and pool. Yosys 0.23
  // (bench/hw/whole_networks.sh) built conv1 from 32 RAMB18E1 of weights and 8 RAMB36E1 of
  // frames (30 x 30 x 64 2-bit elements, SIMD 32 per word) and pool0 from 7 RAMB36E1 (28 x 28 x
  // 64 at conv1's PE 32 per word); conv0's 3 frame blocks hold 32 x 32 x 3 8-bit pixels.
  const auto catalog = DeviceCatalog::load(std::string(CODSE_SOURCE_DIR) + "/data/calibration/xc7.json");
  const Estimator estimator(example_network("cnv_w1a1"), builtin_device("XC7Z020"), catalog.calibration("XC7Z020"));
  Mapping mapping = load_mapping(std::string(CODSE_SOURCE_DIR) + "/examples/mappings/cnv_w1a1.json");
  const Estimate e = estimator.estimate(mapping);
  EXPECT_EQ(layer(e, "conv0").resources.bram18, 16 + 3);
  EXPECT_EQ(layer(e, "conv1").resources.bram18, 32 + 16);
  EXPECT_EQ(layer(e, "pool0").resources.bram18, 14);
  EXPECT_EQ(layer(e, "pool1").resources.bram18, 4);
  // The uncalibrated model is FINN-R's: line buffers, and a row of partial maxima per pool.
  const Estimate finn = Estimator(example_network("cnv_w1a1"), builtin_device("XC7Z020")).estimate(mapping);
  EXPECT_EQ(layer(finn, "pool0").resources.bram18, 0);

  // A pool's words have its producer's PE lanes, so the HAL sees its frames in the producer's
  // layer cost: the layers' costs plus the fixed units' add up to the estimate, at any PE.
  for (const int pe : {32, 16, 8}) {
    mapping.layers[1].pe = pe;
    const Estimate at_pe = estimator.estimate(mapping);
    const AcceleratorTemplate& folded_template = accelerator_template(mapping.accelerator);
    double total = 0.0;
    for (std::size_t i = 0; i < mapping.layers.size(); ++i)
      total += estimator.layer_cost(i, mapping.layers[i], folded_template).resources.bram18;
    for (std::size_t u = 0; u < estimator.workload().units().size(); ++u)
      total += estimator.fixed_cost(u, folded_template).resources.bram18;
    EXPECT_EQ(total, at_pe.total.bram18) << "conv1 PE " << pe;
  }
  EXPECT_NE(layer(estimator.estimate(mapping), "pool0").resources.bram18, 14);  // 8 lanes: other shapes
}

TEST(UnrolledEstimate, ZeroWeightsAreFreeAndPowersOfTwoAreShifts) {
  const auto& device = builtin_device("XC7Z020");
  const auto dense = Estimator(sparse_mlp(4, 0.0), device).estimate(unrolled(1));
  const auto half = Estimator(sparse_mlp(4, 0.5), device).estimate(unrolled(1));
  EXPECT_LT(half.total.lut, dense.total.lut);
  EXPECT_EQ(dense.ii_cycles, 1);
  // 4-bit weights: of the 15 non-zero levels 7 are +-2^k: 2048 products, 1 non-trivial multiplier
  // (2 adders of 8 bits... max(1, 4/3) = 1 adder) per 15/8: round(2048 * 8 / 15) = 1092
  // multipliers of (4 + 4) LUTs, 2048 tree inputs of 8 LUTs, acc 4 + 4 + 6 = 14 bits.
  const double multipliers = std::round(2048.0 * (1.0 - 7.0 / 15.0));
  const double expected = 100 + multipliers * 8 + 2048 * 8;
  EXPECT_DOUBLE_EQ(dense.total.lut, expected);
  // 2-bit weights are all 0 or +-2^k: no multiplier at all, only the adder tree.
  const auto shifts = Estimator(sparse_mlp(2, 0.0), device).estimate(unrolled(1));
  EXPECT_DOUBLE_EQ(shifts.total.lut, 100 + 2048 * 6);
}

TEST(UnrolledEstimate, ReuseTradesCyclesForMultipliers) {
  const Estimator estimator(sparse_mlp(4, 0.0), builtin_device("XC7Z020"));
  const auto r4 = estimator.estimate(unrolled(4));
  const auto r16 = estimator.estimate(unrolled(16));
  EXPECT_EQ(r4.ii_cycles, 4);
  EXPECT_EQ(r16.ii_cycles, 16);
  EXPECT_GT(r4.total.lut, r16.total.lut);
  // 2048 / 16 = 128 shared multipliers whose weights sit in a 16-deep ROM (one LUT per bit).
  auto in_bram = unrolled(16);
  in_bram.layers[0].storage = WeightStorage::bram;
  const auto bram = estimator.estimate(in_bram);
  EXPECT_EQ(bram.total.bram18, blocks_needed(builtin_device("XC7Z020").bram, 16, 128 * 4));
  EXPECT_LT(bram.total.lut, r16.total.lut);
}

TEST(SkipConnection, FifoHoldsTheInferencesInFlightOnTheLongBranch) {
  const Estimator estimator(example_network("mnist_resmlp_w4a4"), builtin_device("XC7Z020"));
  // res adds act3 (after fc2 and fc3) to act1: the long branch is fc2 + fc3 cycles longer. With
  // fc1 the slowest (II 2048), at most ceil((fc2 + fc3) / II) vectors are in flight: 2.
  const auto mapping = folded({{"fc1", 2, 49}, {"fc2", 32, 32}, {"fc3", 16, 16}, {"fc4", 10, 16}});
  const auto estimate = estimator.estimate(mapping);
  EXPECT_EQ(estimate.ii_cycles, (256 / 2) * (784 / 49));
  EXPECT_EQ(layer(estimate, "fc2").cycles + layer(estimate, "fc3").cycles, 8 * 8 + 16 * 16);
  // Two words of 256 channels x 4 bits in registers, on top of the unit's own registers (its
  // 4-bit outputs) and its depth-2 output FIFO.
  const double unit_ff = 50 + 256 * 4 + 2 * 256 * 4;
  EXPECT_DOUBLE_EQ(layer(estimate, "res").resources.ff, unit_ff + 2 * 1024);
}

TEST(SkipConnection, DeepFifosGoToBlockRam) {
  // A residual add over 8 x 8 pixels of 16 channels of 4 bits: 64 words of 64 bits per
  // inference. A branch difference of 1000 cycles at II 500 holds 1000 * 64 / 500 = 128 words:
  // 8192 bits, two 512x36 blocks. A difference of 10 cycles needs ceil(1.28) = 2 words: registers.
  Unit add;
  add.kind = UnitKind::add;
  add.in_channels = add.out_channels = 16;
  add.out_height = add.out_width = 8;
  add.input_bits = 4;
  const auto& device = builtin_device("XC7Z020");
  const auto deep = skip_fifo_cost(add, device, 1000, 500);
  EXPECT_EQ(deep.bram18, 2);
  EXPECT_EQ(deep.ff, 0);
  const auto shallow = skip_fifo_cost(add, device, 10, 500);
  EXPECT_EQ(shallow.bram18, 0);
  EXPECT_EQ(shallow.ff, 2 * 64);
  // 12 words (1000 * 64 / 5500 rounded up) of 64 bits = 768 bits: LUTRAM, one LUT per bit.
  const auto medium = skip_fifo_cost(add, device, 1000, 5500);
  EXPECT_EQ(medium.lutram, 64);
}

}  // namespace
}  // namespace codse::hw
