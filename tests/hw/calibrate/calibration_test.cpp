// Calibration: the relative least-squares fit, its errors, the catalog field, the estimator
// reading it, and a small real corpus synthesized on iCE40.
#include <cmath>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "hw/cost/arithmetic_cost.hpp"
#include "hw/model/calibration.hpp"
#include "hw/model/device_catalog.hpp"
#include "hw/calibrate/calibration_corpus.hpp"
#include "hw/estimate/estimator.hpp"
#include "hw/templates/folded/folded_terms.hpp"
#include "hw/model/workload.hpp"
#include "hw/hw_test_support.hpp"
#include "nn/ir/network_builder.hpp"
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

/// A sample whose terms are (1, x, y) for control, multipliers and weight memory (LUTs) and
/// (1, 2x) for control and accumulators (FFs), measured as the given coefficients make them.
CalibrationSample term_sample(double x, double y, const std::array<double, 3>& lut, const std::array<double, 2>& ff) {
  CalibrationSample s;
  s.terms[LutTerm::control] = 1;
  s.terms[LutTerm::multipliers] = x;
  s.terms[LutTerm::weight_memory] = y;
  s.terms[FfTerm::control] = 1;
  s.terms[FfTerm::accumulators] = 2 * x;
  s.measured.lut = lut[0] + lut[1] * x + lut[2] * y;
  s.measured.ff = ff[0] + ff[1] * 2 * x;
  s.analytic.lut = 300 + x + y;  // what the uncalibrated model said
  s.analytic.ff = 100 + x;
  return s;
}

TEST(Calibration, FitRecoversExactTermCoefficients) {
  std::vector<CalibrationSample> samples;
  for (const auto& [x, y] : {std::pair{30.0, 0.0}, {100.0, 64.0}, {250.0, 16.0}, {800.0, 512.0}, {60.0, 200.0}})
    samples.push_back(term_sample(x, y, {40, 0.7, 1.2}, {12, 0.9}));
  const auto c = fit_calibration(samples);
  ASSERT_TRUE(c.by_terms);
  EXPECT_NEAR(c.lut_terms[static_cast<std::size_t>(LutTerm::control)], 40.0, 1e-9);
  EXPECT_NEAR(c.lut_terms[static_cast<std::size_t>(LutTerm::multipliers)], 0.7, 1e-12);
  EXPECT_NEAR(c.lut_terms[static_cast<std::size_t>(LutTerm::weight_memory)], 1.2, 1e-12);
  EXPECT_EQ(c.lut_terms[static_cast<std::size_t>(LutTerm::adders)], 0.0);  // absent from the corpus
  EXPECT_NEAR(c.ff_terms[static_cast<std::size_t>(FfTerm::control)], 12.0, 1e-9);
  EXPECT_NEAR(c.ff_terms[static_cast<std::size_t>(FfTerm::accumulators)], 0.9, 1e-12);
  const auto after = calibration_error(samples, c);
  EXPECT_NEAR(after.lut_mape, 0.0, 1e-9);
  EXPECT_NEAR(after.ff_mape, 0.0, 1e-9);
  // Before: the analytic counts; at x = 30, y = 0: |330 - 61| / 61.
  const auto before = calibration_error({samples[0]}, {});
  EXPECT_NEAR(before.lut_mape, 100.0 * (330.0 - 61.0) / 61.0, 1e-9);
}

TEST(Calibration, NegativeCoefficientsAreDroppedAndTheRestRefitted) {
  // The weight memory's true coefficient is negative; the fit must not use it and must still
  // find a non-negative model.
  std::vector<CalibrationSample> samples;
  for (const auto& [x, y] : {std::pair{30.0, 0.0}, {100.0, 64.0}, {250.0, 16.0}, {800.0, 512.0}, {60.0, 200.0}})
    samples.push_back(term_sample(x, y, {40, 0.7, -0.05}, {12, 0.9}));
  const auto c = fit_calibration(samples);
  for (const double coefficient : c.lut_terms) EXPECT_GE(coefficient, 0.0);
  EXPECT_EQ(c.lut_terms[static_cast<std::size_t>(LutTerm::weight_memory)], 0.0);
  EXPECT_GT(c.lut_terms[static_cast<std::size_t>(LutTerm::multipliers)], 0.5);
}

TEST(Calibration, FitNeedsAsManyLayersAsTerms) {
  EXPECT_THROW(fit_calibration({term_sample(10, 5, {1, 1, 1}, {1, 1})}), InputError);
  // Two layers whose terms are proportional cannot separate control from multipliers.
  EXPECT_THROW(fit_calibration({term_sample(10, 0, {1, 1, 1}, {1, 1}), term_sample(10, 0, {1, 1, 1}, {1, 1})}),
               InputError);
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
  const auto plain_catalog = DeviceCatalog::parse(base + "}]}", "plain.json");
  const auto& plain = plain_catalog.find("T");
  EXPECT_TRUE(plain_catalog.calibration("T").is_identity());
  const auto calibrated = DeviceCatalog::parse(
      base + R"(, "calibration": {"lut_offset": 10, "lut_scale": 0.5, "ff_offset": 4, "ff_scale": 2}}]})", "cal.json")
                              .calibration("T");
  EXPECT_EQ(calibrated.lut_scale, 0.5);
  const auto by_terms = DeviceCatalog::parse(base + R"(, "calibration": {"lut_terms": {"control": 20, "multipliers": 0.5,
      "adders": 0.25, "accumulators": 1, "weight_memory": 1, "input_buffer": 1, "requant": 0.5, "counters": 2},
      "ff_terms": {"control": 1, "operands": 1, "accumulators": 1, "requant": 1}}}]})", "terms.json")
                              .calibration("T");
  EXPECT_TRUE(by_terms.by_terms);
  EXPECT_EQ(Calibration::from_json(by_terms.to_json(), "round trip").lut_terms, by_terms.lut_terms);
  // Fitted before XNOR units had their own term: an XNOR term costs a product and an adder bit.
  EXPECT_EQ(by_terms.lut_terms[static_cast<std::size_t>(LutTerm::popcount_terms)], 0.25);
  // The popcount term's old name, xnor_terms, still reads.
  const auto old_name = DeviceCatalog::parse(base + R"(, "calibration": {"lut_terms": {"xnor_terms": 2.5},
      "ff_terms": {}}}]})", "old.json").calibration("T");
  EXPECT_EQ(old_name.lut_terms[static_cast<std::size_t>(LutTerm::popcount_terms)], 2.5);
  EXPECT_TRUE(old_name.to_json().at("lut_terms").contains("popcount_terms"));
  try {
    DeviceCatalog::parse(base + R"(, "calibration": {"lut_terms": {"magic": 1}, "ff_terms": {}}}]})", "bad.json");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown term 'magic'"), std::string::npos) << e.what();
  }
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
  const auto b = estimate(network, mapping, plain, calibrated);
  ASSERT_EQ(a.layers.size(), b.layers.size());
  EXPECT_DOUBLE_EQ(b.layers[0].resources.lut, 10 + 0.5 * a.layers[0].resources.lut);
  EXPECT_DOUBLE_EQ(b.layers[0].resources.ff, 4 + 2 * a.layers[0].resources.ff);
  EXPECT_EQ(b.layers[0].resources.bram18, a.layers[0].resources.bram18);
  // By terms: fc1 (64 x 16, 2-bit weights, unsigned 5-bit pixels 0..16, PE 4, SIMD 8, weights
  // in LUT ROM of NF x SF = 4 x 8 = 32 words) has 4 x 8 x 2 x 5 = 320 multiplier partial-product
  // bits, of which a share 2^-31 have weight bits constant over the 32 words, 4 x 8 = 32
  // products and 4 x 8 x 7 = 224 adder-tree input bits.
  const auto c = estimate(network, mapping, plain, by_terms);
  const Workload workload(network);
  const FoldedTerms terms = folded_terms(workload.weight_unit(0), mapping.layers[0], plain);
  EXPECT_NEAR(terms.lut[static_cast<std::size_t>(LutTerm::multipliers)], 320 * (1 - std::ldexp(1.0, -31)), 1e-9);
  EXPECT_NEAR(terms.lut[static_cast<std::size_t>(LutTerm::constant_multipliers)], 320 * std::ldexp(1.0, -31), 1e-12);
  EXPECT_EQ(terms.lut[static_cast<std::size_t>(LutTerm::products)], 32);
  EXPECT_EQ(terms.lut[static_cast<std::size_t>(LutTerm::adders)], 224);
  // 4 x 8 x 2 = 64 weight bits, each a shifted add of the input when it is set (the varying share).
  EXPECT_NEAR(terms.lut[static_cast<std::size_t>(LutTerm::weight_bit_adds)], 64 * (1 - std::ldexp(1.0, -31)), 1e-9);
  double expected = 0.0;
  for (std::size_t t = 0; t < lut_term_count; ++t) expected += by_terms.lut_terms[t] * terms.lut[t];
  EXPECT_DOUBLE_EQ(c.layers[0].resources.lut, expected);
  EXPECT_EQ(c.layers[0].resources.dsp, a.layers[0].resources.dsp);
}

TEST(FoldedTerms, ShallowLutRomWeightsCountAsConstantMultipliers) {
  EXPECT_EQ(varying_bit_fraction(1), 0.0);
  EXPECT_EQ(varying_bit_fraction(2), 0.5);
  EXPECT_EQ(varying_bit_fraction(4), 0.875);
  EXPECT_EQ(varying_bit_fraction(5000), 1.0);
  // digits fc1 (64 x 16, 2-bit weights, 5-bit unsigned inputs) fully folded into one word per PE:
  // PE 16, SIMD 64 is one ROM word, every weight a constant; in block RAM none is.
  const auto network = testing::example_network("digits_mlp_w2a2");
  const Workload workload(network);
  const auto& device = testing::builtin_device("XC7Z020");
  for (const auto storage : {WeightStorage::logic, WeightStorage::bram}) {
    const auto mapping = testing::folded({{"fc1", 16, 64}, {"fc2", 10, 16}}, 100.0, storage);
    const FoldedTerms terms = folded_terms(workload.weight_unit(0), mapping.layers[0], device);
    const double all = 16.0 * 64 * 2 * 5;
    EXPECT_EQ(terms.lut[static_cast<std::size_t>(LutTerm::multipliers)], storage == WeightStorage::bram ? all : 0.0);
    EXPECT_EQ(terms.lut[static_cast<std::size_t>(LutTerm::constant_multipliers)],
              storage == WeightStorage::bram ? 0.0 : all);
    EXPECT_EQ(terms.lut[static_cast<std::size_t>(LutTerm::products)], 16.0 * 64);
  }
}

// digits fc1 (64 x 16, 2-bit outputs: 3 thresholds per channel) at PE 1 reads its thresholds
// from a 16-word ROM, counted as a LUT ROM like the weights'; at PE 16 they are constants. fc2
// ends the network with a bias and no quant: codse_affine, counted beside the fitted terms.
TEST(FoldedTerms, ThresholdsAreALutRomAndTheLogitsPassAnAffine) {
  const auto network = testing::example_network("digits_mlp_w2a2");
  const Workload workload(network);
  const auto& device = testing::builtin_device("XC7Z020");
  const Unit& fc1 = workload.weight_unit(0);
  const Unit& fc2 = workload.weight_unit(1);
  ASSERT_EQ(fc1.thresholds, 3);
  // The accumulator less half the bits of the fan-in (64 inputs: 3), plus two.
  EXPECT_EQ(threshold_bits(fc1), fc1.acc_bits - 1);
  const auto weight_memory = [&](int pe) {
    const auto mapping = testing::folded({{"fc1", pe, 64}, {"fc2", 10, 16}}, 100.0, WeightStorage::bram);
    return folded_terms(fc1, mapping.layers[0], device).lut[static_cast<std::size_t>(LutTerm::weight_memory)];
  };
  EXPECT_DOUBLE_EQ(weight_memory(1), distinct_columns(3.0 * (fc1.acc_bits - 1), 16));
  EXPECT_EQ(weight_memory(16), 0.0);

  EXPECT_FALSE(fc1.output_affine);
  ASSERT_TRUE(fc2.output_affine);
  const auto mapping = testing::folded({{"fc1", 1, 64}, {"fc2", 1, 16}}, 100.0, WeightStorage::bram);
  const Resources affine = output_affine_cost(fc2, mapping.layers[1], device);
  const double offset_columns = distinct_columns(27.0, 10);
  EXPECT_DOUBLE_EQ(affine.lut, fc2.acc_bits + 2 + offset_columns);
  EXPECT_DOUBLE_EQ(affine.ff, fc2.acc_bits + 25 + offset_columns);
  // The calibrated estimate carries it; the fitted terms do not.
  const auto catalog = DeviceCatalog::builtin();
  const Calibration& fit = catalog.calibration("XC7Z020");
  ASSERT_TRUE(fit.by_terms);
  const auto estimate = Estimator(network, device, fit).estimate(mapping);
  const FoldedTerms terms = folded_terms(fc2, mapping.layers[1], device);
  double fitted = 0.0;
  for (std::size_t t = 0; t < lut_term_count; ++t) fitted += fit.lut_terms[t] * terms.lut[t];
  EXPECT_NEAR(estimate.layers[1].resources.lut, fitted + affine.lut, 1e-9);
}

// Bipolar inputs (+-1) times 4-bit weights: Yosys negates the weight or not, 4 partial-product
// bits per term rather than a 4 x 3-bit product (the input travels as 2-bit two's complement);
// binarized weights with them are XNOR terms instead.
TEST(FoldedTerms, BipolarInputsNegateTheWeight) {
  const auto terms = [](int weight_bits) {
    const auto network = nn::NetworkBuilder("bipolar_in")
                             .input({64}, nn::signed_bits(1))
                             .dense(16, nn::signed_bits(weight_bits))
                             .named("fc")
                             .no_bias()
                             .build();
    const auto mapping = testing::folded({{"fc", 2, 8}}, 100.0, WeightStorage::bram);
    return folded_terms(Workload(network).weight_unit(0), mapping.layers[0], testing::builtin_device("XC7Z020"));
  };
  const FoldedTerms w4 = terms(4);
  EXPECT_EQ(w4.lut[static_cast<std::size_t>(LutTerm::multipliers)], 2.0 * 8 * 4);
  EXPECT_EQ(w4.lut[static_cast<std::size_t>(LutTerm::popcount_terms)], 0.0);
  const FoldedTerms w1 = terms(1);
  EXPECT_EQ(w1.lut[static_cast<std::size_t>(LutTerm::multipliers)], 0.0);
  EXPECT_EQ(w1.lut[static_cast<std::size_t>(LutTerm::popcount_terms)], 2.0 * 8);
}

// Bipolar weights on 8-bit pixels (CNV's first layer): no multiplier; each PE sums the pixels its
// +1 weights select, eight popcount columns per term, and the PEs share one sum of the pixels.
TEST(FoldedTerms, BipolarWeightsSumSelectedInputsLikePopcounts) {
  const auto network = nn::NetworkBuilder("bipolar_w")
                           .input({27}, nn::unsigned_bits(8))
                           .dense(16, nn::signed_bits(1))
                           .named("fc")
                           .no_bias()
                           .build();
  const auto mapping = testing::folded({{"fc", 4, 3}}, 100.0, WeightStorage::bram);
  const FoldedTerms terms =
      folded_terms(Workload(network).weight_unit(0), mapping.layers[0], testing::builtin_device("XC7Z020"));
  EXPECT_EQ(terms.lut[static_cast<std::size_t>(LutTerm::popcount_terms)], (4.0 + 1.0) * 3 * 8);
  EXPECT_EQ(terms.lut[static_cast<std::size_t>(LutTerm::multipliers)], 0.0);
  EXPECT_EQ(terms.lut[static_cast<std::size_t>(LutTerm::products)], 0.0);
  EXPECT_EQ(terms.lut[static_cast<std::size_t>(LutTerm::adders)], 0.0);
  // Each of the 4 x 3 terms passes ceil(log2(3 + 1)) = 2 levels of its adder tree.
  EXPECT_EQ(terms.lut[static_cast<std::size_t>(LutTerm::tree_levels)], 4.0 * 3 * 2);
}

// A weight memory in block RAM deeper than one block adds a read mux over its rows, per weight bit
// read; a memory one block deep, or in LUTs, has none.
TEST(FoldedTerms, StackedBlockRamWeightsCountTheirReadBits) {
  const auto network = nn::NetworkBuilder("deep")
                           .input({1152}, nn::unsigned_bits(1))
                           .dense(256, nn::signed_bits(2))
                           .named("fc")
                           .no_bias()
                           .build();
  const auto& xc7 = testing::builtin_device("XC7Z020");
  const Unit unit = Workload(network).weight_unit(0);
  const auto stacked = [&](int pe, int simd, WeightStorage storage) {
    const auto mapping = testing::folded({{"fc", pe, simd}}, 100.0, storage);
    return folded_terms(unit, mapping.layers[0], xc7).lut[static_cast<std::size_t>(LutTerm::stacked_memory)];
  };
  // PE 4 x SIMD 16, 2-bit weights: words of 32 bits, 1152 / 16 x 256 / 4 = 4608 deep, 9 rows.
  EXPECT_EQ(stacked(4, 16, WeightStorage::bram), 4.0 * 16 * 2);
  EXPECT_EQ(stacked(4, 16, WeightStorage::lutram), 0.0);
  // PE 32 x SIMD 64: 18 x 8 = 144 words of 128 bits, one row of four 512 x 36 blocks.
  EXPECT_EQ(stacked(32, 64, WeightStorage::bram), 0.0);
}

TEST(CalibrationCorpus, NetworkOfALayer) {
  CorpusLayer layer;
  layer.name = "cal07_48x24_w3a2";
  layer.inputs = 48;
  layer.outputs = 24;
  layer.weight_bits = 3;
  layer.input_bits = 2;
  const auto plain = corpus_network(layer);
  EXPECT_EQ(plain.name(), "cal07_48x24_w3a2");
  ASSERT_EQ(plain.layers().size(), 2u);
  EXPECT_EQ(plain.layers()[0].name, "in");
  EXPECT_EQ(plain.input_shape(), (nn::Shape{48, 1, 1}));
  EXPECT_EQ(plain.layers()[0].activation_quant, (nn::QuantSpec{2, false, false, std::nullopt}));
  const auto& fc = plain.layer("fc");
  EXPECT_EQ(fc.units, 24);
  EXPECT_FALSE(fc.bias);
  EXPECT_EQ(fc.weight_quant, (nn::QuantSpec{3, true, false, std::nullopt}));
  EXPECT_EQ(plain.stats().macs, 48 * 24);
  layer.requantized = true;
  const auto requantized = corpus_network(layer);
  ASSERT_EQ(requantized.layers().size(), 4u);
  EXPECT_EQ(requantized.layers()[2].name, "bn");
  EXPECT_EQ(requantized.layers()[3].name, "act");
  EXPECT_EQ(requantized.layers()[3].activation_quant, (nn::QuantSpec{2, false, false, std::nullopt}));
}

TEST(CalibrationCorpus, SampledLayersAreValidAndVaried) {
  const auto& xc7 = testing::builtin_device("XC7Z020");
  const auto layers = sample_corpus(12, 3, xc7);
  ASSERT_EQ(layers.size(), 12u);
  int requantized = 0;
  for (const auto& layer : layers) {
    EXPECT_EQ(layer.outputs % layer.pe, 0);
    EXPECT_EQ(layer.inputs % layer.simd, 0);
    requantized += layer.requantized;
  }
  EXPECT_GT(requantized, 0);
  EXPECT_LT(requantized, 12);
  EXPECT_EQ(sample_corpus(12, 3, xc7)[5].name, layers[5].name);  // deterministic
  EXPECT_EQ(layers[1].storage, WeightStorage::lutram);
  // iCE40 has no LUTRAM: the same layers, with LUT ROMs (logic) where xc7 has lutram.
  const auto ice40 = sample_corpus(12, 3, testing::builtin_device("iCE40UP5K"));
  for (std::size_t i = 0; i < layers.size(); ++i) {
    EXPECT_EQ(ice40[i].inputs, layers[i].inputs);
    EXPECT_EQ(ice40[i].pe, layers[i].pe);
    EXPECT_EQ(ice40[i].storage, layers[i].storage == WeightStorage::lutram ? WeightStorage::logic : layers[i].storage);
  }
}

// XNOR units are a datapath of their own: the corpus must hold some (1-bit weights and bipolar
// inputs), and their terms must not count as multi-bit products. Only 1-bit inputs are signed.
// The example mappings build 4-bit x 4-bit products in LUTs; auto puts them in DSPs on xc7. The
// corpus holds both, so the fit sees LUT multipliers as wide as those it is used on.
TEST(CalibrationCorpus, HoldsWideLutMultipliersBesideDspOnes) {
  const auto& xc7 = testing::builtin_device("XC7Z020");
  int lut = 0, dsp = 0;
  for (const auto& layer : sample_corpus(128, 1, xc7)) {
    const bool auto_dsp = multipliers_in_dsp(xc7, MultiplierStyle::automatic, layer.weight_bits, layer.input_bits,
                                             layer.input_signed);
    if (!auto_dsp) {
      EXPECT_EQ(layer.multipliers, MultiplierStyle::automatic) << layer.name;
      continue;
    }
    const bool in_luts = layer.multipliers == MultiplierStyle::lut;
    EXPECT_EQ(layer.name.ends_with("_lutmul"), in_luts) << layer.name;
    (in_luts ? lut : dsp) += 1;
  }
  EXPECT_GE(lut, 2);
  EXPECT_LE(dsp - lut, 1);  // every other one
  // iCE40's auto keeps these products in LUTs already: no layer there is drawn again.
  for (const auto& layer : sample_corpus(128, 1, testing::builtin_device("iCE40UP5K")))
    EXPECT_EQ(layer.multipliers, MultiplierStyle::automatic) << layer.name;
}

TEST(CalibrationCorpus, HoldsXnorLayersCostedByTheirOwnTerm) {
  const auto& xc7 = testing::builtin_device("XC7Z020");
  int xnor = 0;
  for (const auto& layer : sample_corpus(128, 1, xc7)) {
    if (layer.input_signed) {
      EXPECT_EQ(layer.input_bits, 1) << layer.name;
    }
    const Unit unit = Workload(corpus_network(layer)).weight_unit(0);
    if (!unit.xnor) continue;
    ++xnor;
    LayerMapping mapping;
    mapping.layer = "fc";
    mapping.pe = layer.pe;
    mapping.simd = layer.simd;
    mapping.storage = layer.storage;
    const FoldedTerms terms = folded_terms(unit, mapping, xc7);
    EXPECT_EQ(terms.lut[static_cast<std::size_t>(LutTerm::popcount_terms)], layer.pe * layer.simd) << layer.name;
    EXPECT_EQ(terms.lut[static_cast<std::size_t>(LutTerm::products)], 0) << layer.name;
    EXPECT_EQ(terms.lut[static_cast<std::size_t>(LutTerm::adders)], 0) << layer.name;
    EXPECT_EQ(terms.lut[static_cast<std::size_t>(LutTerm::multipliers)], 0) << layer.name;
  }
  EXPECT_GE(xnor, 3);
}

// The hold-out must see both kinds of unit: with requantization every other layer, every 4th
// layer held out was always a requantized one, so the held-out error never measured a plain MVAU.
TEST(CalibrationCorpus, HeldOutLayersMixRequantizedAndPlainUnits) {
  const auto layers = sample_corpus(128, 1, testing::builtin_device("XC7Z020"));
  for (const int every : {2, 3, 4, 5}) {
    int held = 0, requantized = 0;
    for (std::size_t i = 0; i < layers.size(); ++i)
      if (held_out_layer(i, every)) {
        ++held;
        requantized += layers[i].requantized;
      }
    EXPECT_EQ(held, 128 / every) << "every " << every;
    EXPECT_GE(requantized, held / 4) << "every " << every;
    EXPECT_LE(requantized, held - held / 4) << "every " << every;
  }
  EXPECT_FALSE(held_out_layer(3, 0));
  EXPECT_TRUE(held_out_layer(3, 4));
  EXPECT_FALSE(held_out_layer(4, 4));
}

// Every sixth layer is a block-RAM layer as wide as FINN's, so that the fit sees stacked weight
// memories; the other layers are drawn as before the wide ones existed.
TEST(CalibrationCorpus, HoldsWideBlockRamLayersWithStackedMemories) {
  const auto& xc7 = testing::builtin_device("XC7Z020");
  const auto layers = sample_corpus(128, 1, xc7);
  int wide = 0, stacked = 0;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const auto& layer = layers[i];
    if (i % 6 != 5) {
      EXPECT_LE(layer.inputs, 64) << layer.name;
      continue;
    }
    ++wide;
    EXPECT_EQ(layer.storage, WeightStorage::bram) << layer.name;
    EXPECT_GE(layer.inputs, 576) << layer.name;
    EXPECT_LE(layer.pe, 2) << layer.name;
    EXPECT_LE(layer.simd, 32) << layer.name;
    LayerMapping mapping;
    mapping.layer = "fc";
    mapping.pe = layer.pe;
    mapping.simd = layer.simd;
    mapping.storage = layer.storage;
    const FoldedTerms terms = folded_terms(Workload(corpus_network(layer)).weight_unit(0), mapping, xc7);
    stacked += terms.lut[static_cast<std::size_t>(LutTerm::stacked_memory)] > 0.0;
  }
  EXPECT_EQ(wide, 21);
  EXPECT_GE(stacked, 10);
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
