// A whole (tiny) network through RTL generation, per-layer synthesis and iCE40 place and route;
// the second run starts no tool; a device too small for it is refused before place and route.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "core/error.hpp"
#include "hw/estimate/estimator.hpp"
#include "hw/hw_test_support.hpp"
#include "hw/synth/synth_network.hpp"
#include "nn/integer/integer_export.hpp"
#include "nn/ir/network_builder.hpp"
#include "nn/quant/random_weights.hpp"
#include "support/temp_dir.hpp"

namespace codse::hw {
namespace {

namespace fs = std::filesystem;

nn::Network tiny_network() {
  // in, fc1, bn1, act1, fc2
  return nn::NetworkBuilder("tiny_mlp")
      .input({16}, nn::unsigned_bits(2))
      .dense(4, nn::signed_bits(2))
      .no_bias()
      .batchnorm()
      .quant(nn::unsigned_bits(2))
      .dense(2, nn::signed_bits(2))
      .build();
}

TEST(SynthNetwork, TinyMlpPlacedAndRoutedOnUp5kThenCached) {
  codse::testing::TempDir dir;
  const auto network = tiny_network();
  const auto model = nn::export_integer_model(network, nn::random_weights(network, 3));
  const auto mapping = testing::folded({{"fc1", 2, 4}, {"fc2", 1, 2}}, 24.0, WeightStorage::logic);
  NetworkSynthOptions options;
  options.synth.cache_dir = dir / "cache";
  options.out_dir = dir / "out";
  const auto& device = testing::builtin_device("iCE40UP5K");
  {
    ToolRunner runner;
    const auto result = synthesize_network(network, model, mapping, device, options, runner);
    ASSERT_EQ(result.layers.size(), 2u);
    EXPECT_EQ(result.estimate.fidelity, Fidelity::place_and_route);
    ASSERT_TRUE(result.placed);
    EXPECT_GT(result.placed->fmax_mhz, 5.0);
    EXPECT_LT(result.placed->fmax_mhz, 300.0);
    EXPECT_DOUBLE_EQ(result.estimate.clock_mhz, result.placed->fmax_mhz);
    EXPECT_GT(result.placed->utilisation.at("ICESTORM_LC").used, 20);
    EXPECT_EQ(result.placed->utilisation.at("ICESTORM_LC").available, 5280);
    // Every UP5K bitstream has the same size (TOOLCHAIN.md section 3).
    EXPECT_EQ(fs::file_size(result.bitstream), 104090u);
    for (const auto& layer : result.layers) EXPECT_GT(layer.stats.resources.lut, 0) << layer.name;
    EXPECT_GE(result.estimate.total.ff, static_cast<double>(result.wrapper_ffs));
    EXPECT_TRUE(result.estimate.fits);
    // version of yosys and nextpnr, 2 layers, the top, nextpnr, icepack
    EXPECT_EQ(result.tool_runs, 7);
  }
  ToolRunner runner;
  fs::remove_all(options.out_dir);
  const auto again = synthesize_network(network, model, mapping, device, options, runner);
  EXPECT_EQ(runner.runs(), 0);
  EXPECT_EQ(again.tool_runs, 0);
  EXPECT_TRUE(fs::exists(again.bitstream));

  // The same fabric with 50 LUTs: the synthesized layers do not fit, nothing is placed.
  Device small = device;
  small.name = "tiny_up5k";
  small.lut = 50;
  try {
    synthesize_network(network, model, mapping, small, options, runner);
    FAIL() << "expected the design not to fit";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("does not fit tiny_up5k after synthesis: lut over capacity"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(runner.runs(), 0);  // the layers came from the cache
}

/// Synthesis (no place and route) of the network with seeded random weights, in a fresh cache.
NetworkSynthesis synthesize_with_random_weights(const nn::Network& network, const Mapping& mapping,
                                                const Device& device, std::uint64_t seed) {
  codse::testing::TempDir dir;
  const auto model = nn::export_integer_model(network, nn::random_weights(network, seed));
  NetworkSynthOptions options;
  options.synth.cache_dir = dir / "cache";
  options.synth.jobs = 2;
  options.place_and_route = false;
  options.out_dir = dir / "out";
  ToolRunner runner;
  return synthesize_network(network, model, mapping, device, options, runner);
}

TEST(SynthNetwork, BipolarWeightsTakeNoDspOnXc7WhereEightBitWeightsDo) {
  // CNV's first layer in small: 8-bit inputs times bipolar weights are added or subtracted
  // (codse_mvau's BIPOLAR_W), so Yosys finds no multiplier for a DSP48E1 although the mapping
  // lets the tool choose; the next layer's 8-bit weights times its 4-bit inputs do go to DSPs,
  // one per product.
  // in, fc1, act1, fc2
  const auto network = nn::NetworkBuilder("bipolar_then_w8")
                           .input({16}, nn::unsigned_bits(8))
                           .dense(4, nn::signed_bits(1))
                           .no_bias()
                           .quant(nn::signed_bits(4))
                           .dense(2, nn::signed_bits(8))
                           .no_bias()
                           .build();
  const auto mapping = testing::folded({{"fc1", 2, 4}, {"fc2", 1, 2}}, 100.0, WeightStorage::logic,
                                       MultiplierStyle::automatic);
  const auto& device = testing::builtin_device("XC7Z020");
  const auto result = synthesize_with_random_weights(network, mapping, device, 3);
  ASSERT_EQ(result.layers.size(), 2u);
  EXPECT_EQ(result.layers[0].stats.resources.dsp, 0);
  EXPECT_EQ(result.layers[1].stats.resources.dsp, 2);  // PE x SIMD products
  EXPECT_GT(result.layers[0].stats.resources.lut, 0);
  const auto estimate = hw::estimate(network, mapping, device);
  EXPECT_EQ(estimate.layers.at(0).resources.dsp, 0);
  EXPECT_EQ(estimate.layers.at(1).resources.dsp, 2);
}

TEST(SynthNetwork, UramWeightsOnUp5kAreLoadedSprams) {
  // fc1 (16 inputs, 4 outputs, 2-bit weights) in SPRAM at PE 2, SIMD 16: per PE a 2 x 32-bit
  // memory, two SB_SPRAM256KA (16384 x 16) side by side, four in all, the UP5K's every SPRAM.
  // They are loaded, not ROMs: no EBR holds the weights, the estimate counts the same blocks, and
  // the placed design (its load port fed from the IO wrapper) keeps all four.
  codse::testing::TempDir dir;
  const auto network = tiny_network();
  const auto model = nn::export_integer_model(network, nn::random_weights(network, 5));
  auto mapping = testing::folded({{"fc1", 2, 16}, {"fc2", 1, 2}}, 12.0, WeightStorage::logic);
  mapping.layers.at(0).storage = WeightStorage::uram;
  NetworkSynthOptions options;
  options.synth.cache_dir = dir / "cache";
  options.out_dir = dir / "out";
  const auto& device = testing::builtin_device("iCE40UP5K");
  ToolRunner runner;
  const auto result = synthesize_network(network, model, mapping, device, options, runner);
  ASSERT_EQ(result.layers.size(), 2u);
  const auto& fc1 = result.layers[0].stats;
  EXPECT_EQ(fc1.cells.count("SB_SPRAM256KA") ? fc1.cells.at("SB_SPRAM256KA") : 0, 4);
  EXPECT_EQ(fc1.cells.count("SB_RAM40_4K"), 0u);
  EXPECT_EQ(fc1.resources.uram, 4);
  EXPECT_EQ(fc1.resources.bram18, 0);
  EXPECT_TRUE(fc1.unmapped.empty());
  EXPECT_EQ(result.layers[1].stats.resources.uram, 0);
  const auto estimate = hw::estimate(network, mapping, device);
  EXPECT_EQ(estimate.layers.at(0).resources.uram, fc1.resources.uram);
  EXPECT_EQ(estimate.layers.at(0).resources.bram18, fc1.resources.bram18);
  ASSERT_TRUE(result.placed);
  EXPECT_EQ(result.placed->utilisation.at("ICESTORM_SPRAM").used, 4);
  EXPECT_EQ(result.estimate.total.uram, 4);  // the placed design's
  EXPECT_TRUE(result.estimate.fits) << result.estimate.overflow;
}

TEST(SynthNetwork, SlidingWindowAddressesTakeNoDsp) {
  // The sliding windows of a conv on 24-pixel rows and of the pool on its 22-pixel output: their
  // read addresses multiply the row by the row length, a product of 9 bits or more, which Yosys
  // put in a DSP48E1 when codse_swu wrote it as `*` (CNV's conv1 and pool0 had one each).
  // in, conv, act, pool, flatten, fc
  const auto network = nn::NetworkBuilder("windows")
                           .input({1, 24, 24}, nn::unsigned_bits(2))
                           .conv2d(2, 3, nn::signed_bits(2))
                           .no_bias()
                           .quant(nn::unsigned_bits(2))
                           .maxpool2d(2)
                           .flatten()
                           .dense(2, nn::signed_bits(2))
                           .no_bias()
                           .build();
  const auto mapping = testing::folded({{"conv1", 2, 1}, {"fc1", 1, 11}}, 100.0, WeightStorage::logic,
                                       MultiplierStyle::lut);
  const auto& device = testing::builtin_device("XC7Z020");
  const auto result = synthesize_with_random_weights(network, mapping, device, 4);
  ASSERT_GE(result.layers.size(), 2u);
  for (const auto& layer : result.layers) EXPECT_EQ(layer.stats.resources.dsp, 0) << layer.name;
  EXPECT_EQ(hw::estimate(network, mapping, device).total.dsp, 0);

  // The calibrated estimate counts codse_swu's and codse_maxpool's logic (window_logic.hpp: fitted
  // on random windows with 19% mean error held out), not FINN's 300 LUTs: the pool, a window and
  // a max unit whose frames are LUTRAM, within a third of Yosys's LUTs and flip-flops.
  const auto calibrated = DeviceCatalog::builtin();
  const auto estimate = hw::estimate(network, mapping, device, calibrated.calibration("XC7Z020"));
  const auto synthesized = std::find_if(result.layers.begin(), result.layers.end(),
                                        [](const auto& layer) { return layer.name.starts_with("pool"); });
  ASSERT_NE(synthesized, result.layers.end());
  const auto& pool = *synthesized;
  const auto in_estimate = std::find_if(estimate.layers.begin(), estimate.layers.end(),
                                        [&](const auto& layer) { return layer.name == pool.name; });
  ASSERT_NE(in_estimate, estimate.layers.end()) << pool.name;
  const auto& estimated = *in_estimate;
  EXPECT_NEAR(estimated.resources.lut, pool.stats.resources.lut, pool.stats.resources.lut / 3.0) << pool.name;
  EXPECT_NEAR(estimated.resources.ff, pool.stats.resources.ff, pool.stats.resources.ff / 3.0) << pool.name;
}

TEST(SynthNetwork, PartsOfTheIce40Catalog) {
  EXPECT_EQ(nextpnr_ice40_part(testing::builtin_device("iCE40UP5K")),
            (std::pair<std::string, std::string>{"--up5k", "sg48"}));
  EXPECT_THROW(nextpnr_ice40_part(testing::builtin_device("XC7Z020")), InputError);
  EXPECT_THROW(synth_family(Device{}), InputError);
}

TEST(SynthNetwork, TheFlowFollowsTheCatalogsFamily) {
  EXPECT_EQ(synth_family(testing::builtin_device("XC7Z020")), SynthFamily::xc7);
  EXPECT_EQ(synth_family(testing::builtin_device("XCZU7EV")), SynthFamily::xcup);
  EXPECT_EQ(synth_family(testing::builtin_device("iCE40UP5K")), SynthFamily::ice40);
  Device prose = testing::builtin_device("XC7Z020");
  prose.family = prose.description;  // the words, not the fabric
  try {
    synth_family(prose);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("family 'Zynq-7000 (Artix-7 fabric, 28 nm)' has no Yosys flow"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace codse::hw
