// Calibration: the relative least-squares fit, its errors, the catalog field, the estimator
// reading it, and a small real corpus synthesized on iCE40.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "hw/calibration.hpp"
#include "hw/calibration_corpus.hpp"
#include "hw/estimator.hpp"
#include "hw/hw_test_support.hpp"
#include "support/temp_dir.hpp"

namespace codse::hw {
namespace {

CalibrationSample sample(double lut, double measured_lut, double ff, double measured_ff) {
  CalibrationSample s;
  s.analytic.lut = lut;
  s.measured.lut = measured_lut;
  s.analytic.ff = ff;
  s.measured.ff = measured_ff;
  return s;
}

TEST(Calibration, FitRecoversAnExactLinearMap) {
  // measured lut = 40 + 0.5 analytic, measured ff = -10 + 2 analytic.
  std::vector<CalibrationSample> samples;
  for (double x : {300.0, 500.0, 900.0, 2000.0}) samples.push_back(sample(x, 40 + 0.5 * x, x / 4, -10 + x / 2));
  const auto c = fit_calibration(samples);
  EXPECT_NEAR(c.lut_offset, 40.0, 1e-9);
  EXPECT_NEAR(c.lut_scale, 0.5, 1e-12);
  EXPECT_NEAR(c.ff_offset, -10.0, 1e-9);
  EXPECT_NEAR(c.ff_scale, 2.0, 1e-12);
  const auto before = calibration_error(samples, {});
  const auto after = calibration_error(samples, c);
  EXPECT_NEAR(after.lut_mape, 0.0, 1e-9);
  EXPECT_NEAR(after.ff_mape, 0.0, 1e-9);
  // Before: |x - (40 + x/2)| / (40 + x/2) at x = 300: 110/190 = 57.9 %.
  EXPECT_NEAR(before.lut_mape,
              100.0 / 4 * (110.0 / 190 + 210.0 / 290 + 410.0 / 490 + 960.0 / 1040), 1e-9);
}

TEST(Calibration, FitNeedsTwoDistinctLayers) {
  EXPECT_THROW(fit_calibration({sample(100, 50, 10, 5)}), InputError);
  EXPECT_THROW(fit_calibration({sample(100, 50, 10, 5), sample(100, 60, 10, 6)}), InputError);
}

TEST(Calibration, ErrorsCountDspAndBramInBlocks) {
  auto s = sample(100, 100, 10, 10);
  s.analytic.dsp = 4;
  s.measured.dsp = 3;
  s.analytic.bram18 = 2;
  s.measured.bram18 = 4;
  const auto e = calibration_error({s}, {});
  EXPECT_EQ(e.dsp_max_abs, 1);
  EXPECT_EQ(e.bram_max_abs, 2);
}

TEST(Calibration, CatalogFieldAndEstimatorUseIt) {
  const std::string base = R"({"devices": [{"name": "T", "lut": 50000, "ff": 100000, "lut_inputs": 6,
    "lutram_depth": 64, "lutram_luts": 1000, "dsp": {"name": "DSP48E1", "count": 10, "a_bits": 25, "b_bits": 18},
    "bram": {"name": "RAMB18E1", "count": 10, "shapes": [[1024, 18]]}, "uram": {"name": "none", "count": 0, "shapes": []},
    "max_clock_mhz": 400, "default_clock_mhz": 100, "offchip_gbps": 0, "static_power_w": 0.1,
    "power": {"lut_uw_per_mhz": 0.1, "ff_uw_per_mhz": 0.02, "dsp_uw_per_mhz": 3, "bram_uw_per_mhz": 5,
              "uram_uw_per_mhz": 0, "toggle_rate": 0.125})";
  const auto plain = DeviceCatalog::parse(base + "}]}", "plain.json").find("T");
  EXPECT_TRUE(plain.calibration.is_identity());
  const auto calibrated = DeviceCatalog::parse(
      base + R"(, "calibration": {"lut_offset": 10, "lut_scale": 0.5, "ff_offset": 4, "ff_scale": 2}}]})", "cal.json")
                              .find("T");
  EXPECT_EQ(calibrated.calibration.lut_scale, 0.5);
  try {
    DeviceCatalog::parse(base + R"(, "calibration": {"lut_scale": "big"}}]})", "bad.json");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("bad.json: device T: calibration field 'lut_scale'"), std::string::npos)
        << e.what();
  }
  const auto network = testing::example_network("digits_mlp_w2a2");
  const auto mapping = testing::folded({{"fc1", 4, 8}, {"fc2", 2, 4}}, 100.0, WeightStorage::logic);
  const auto a = estimate(network, mapping, plain);
  const auto b = estimate(network, mapping, calibrated);
  ASSERT_EQ(a.layers.size(), b.layers.size());
  EXPECT_DOUBLE_EQ(b.layers[0].resources.lut, 10 + 0.5 * a.layers[0].resources.lut);
  EXPECT_DOUBLE_EQ(b.layers[0].resources.ff, 4 + 2 * a.layers[0].resources.ff);
  EXPECT_EQ(b.layers[0].resources.bram18, a.layers[0].resources.bram18);
}

TEST(CalibrationCorpus, SampledLayersAreValidAndVaried) {
  const auto layers = sample_corpus(12, 3);
  ASSERT_EQ(layers.size(), 12u);
  int requantized = 0;
  for (const auto& layer : layers) {
    EXPECT_EQ(layer.outputs % layer.pe, 0);
    EXPECT_EQ(layer.inputs % layer.simd, 0);
    requantized += layer.requantized;
  }
  EXPECT_EQ(requantized, 6);
  EXPECT_EQ(sample_corpus(12, 3)[5].name, layers[5].name);  // deterministic
}

TEST(CalibrationCorpus, SmallCorpusOnIce40) {
  codse::testing::TempDir dir;
  ToolRunner runner;
  SynthOptions options;
  options.cache_dir = dir / "cache";
  const auto& device = testing::builtin_device("iCE40UP5K");
  Synthesizer synth(device, options, runner);
  CorpusLayer small;
  small.name = "small";
  small.inputs = 16;
  small.outputs = 4;
  small.pe = 2;
  small.simd = 4;
  CorpusLayer requantized = small;
  requantized.name = "small_rq";
  requantized.requantized = true;
  const auto samples = build_corpus({small, requantized}, device, dir / "work", synth);
  ASSERT_EQ(samples.size(), 2u);
  for (const auto& s : samples) {
    EXPECT_GT(s.measured.lut, 10) << s.name;
    EXPECT_GT(s.measured.ff, 4) << s.name;
    EXPECT_GT(s.analytic.lut, 0) << s.name;
    EXPECT_EQ(s.measured.dsp, 0) << s.name;  // 2 x 2-bit products: no SB_MAC16
  }
}

}  // namespace
}  // namespace codse::hw
