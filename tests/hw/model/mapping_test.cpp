#include <gtest/gtest.h>

#include <fmt/format.h>

#include "core/error.hpp"
#include "hw/hw_test_support.hpp"
#include "hw/model/mapping.hpp"
#include "hw/templates/mapping_file.hpp"
#include "hw/estimate/mapping_check.hpp"
#include "hw/model/workload.hpp"
#include "support/temp_dir.hpp"

namespace codse::hw {
namespace {

using testing::builtin_device;
using testing::example_network;
using testing::folded;

TEST(Mapping, JsonRoundTrip) {
  auto mapping = folded({{"fc1", 16, 49}, {"fc2", 8, 16}, {"fc3", 10, 4}}, 150.0, WeightStorage::lutram,
                        MultiplierStyle::dsp);
  mapping.offchip_gbps = 1.5;
  mapping.layers[1].storage = WeightStorage::offchip;
  mapping.layers[2].multipliers = MultiplierStyle::automatic;
  codse::testing::TempDir dir;
  const auto path = (dir / "map.json").string();
  save_mapping(mapping, path);
  EXPECT_EQ(load_mapping(path), mapping);

  Mapping unrolled;
  unrolled.accelerator = "unrolled";
  unrolled.layers = {{"fc1", 1, 1, 8, WeightStorage::logic, MultiplierStyle::lut}};
  EXPECT_EQ(parse_mapping(mapping_json_text(unrolled), "u.json"), unrolled);
}

TEST(Mapping, TemplatesFormerNamesAreReadAsTheTemplate) {
  const auto read = [](const char* name) {
    return parse_mapping(fmt::format(R"({{"template": "{}", "clock_mhz": 100, "layers": []}})", name), "m.json").accelerator;
  };
  EXPECT_EQ(read("dataflow_folded"), "folded");
  EXPECT_EQ(read("dataflow_unrolled"), "unrolled");
  EXPECT_EQ(read("unrolled"), "unrolled");
  try {
    read("systolic");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("'systolic' is not one of folded, unrolled"), std::string::npos) << e.what();
  }
}

TEST(Mapping, ParseErrorsNameFileAndField) {
  const auto message = [](const std::string& text) {
    try {
      parse_mapping(text, "m.json");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message(R"({"clock_mhz": 100, "layers": []})"),
            "m.json: missing field 'template' (folded, unrolled)");
  EXPECT_EQ(message(R"({"template": "systolic", "clock_mhz": 100, "layers": []})"),
            "m.json: field 'template': 'systolic' is not one of folded, unrolled");
  EXPECT_EQ(message(R"({"template": "dataflow_folded", "clock_mhz": 100,
                        "layers": [{"layer": "fc1", "pe": 0}]})"),
            "m.json: field 'layers[0] (fc1).pe': expected a positive whole number (at most 2^30), got 0");
  // 2^64 - 1 is not wrapped to -1, 2^32 + 2 not cut to 2.
  EXPECT_EQ(message(R"({"template": "folded", "clock_mhz": 100,
                        "layers": [{"layer": "fc1", "pe": 18446744073709551615}]})"),
            "m.json: field 'layers[0] (fc1).pe': expected a positive whole number (at most 2^30), got "
            "18446744073709551615");
  EXPECT_EQ(message(R"({"template": "folded", "clock_mhz": 100, "layers": [{"layer": "fc1", "simd": 4294967298}]})"),
            "m.json: field 'layers[0] (fc1).simd': expected a positive whole number (at most 2^30), got 4294967298");
  EXPECT_EQ(message(R"({"template": "folded", "clock_mhz": 100, "layers": [{"layer": "fc1", "pe": 2, "pe": 4}]})"),
            "m.json: the key 'pe' appears twice in one object");
  EXPECT_EQ(message(R"({"template": "dataflow_folded", "clock_mhz": 100,
                        "layers": [{"layer": "fc1", "storage": "disk"}]})"),
            "m.json: field 'layers[0] (fc1).storage': 'disk' is not one of bram, uram, lutram, logic, offchip");
  EXPECT_NE(message(R"({"template": "dataflow_folded", "clock_mhz": 100, "layers": [], "speed": 1})")
                .find("field 'speed': unknown field"),
            std::string::npos);
}

TEST(Mapping, AKnobOfAnotherTemplateIsRefusedNotIgnored) {
  const auto message = [](const std::string& text) {
    try {
      parse_mapping(text, "m.json");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message(R"({"template": "folded", "clock_mhz": 100, "layers": [{"layer": "fc1", "pe": 2, "reuse": 4}]})"),
            "m.json: field 'layers[0] (fc1).reuse': the folded template has no knob reuse (its knobs: pe, simd)");
  EXPECT_EQ(message(R"({"template": "unrolled", "clock_mhz": 100, "layers": [{"layer": "fc1", "reuse": 2, "simd": 4}]})"),
            "m.json: field 'layers[0] (fc1).simd': the unrolled template has no knob simd (its knobs: reuse)");
  EXPECT_EQ(message(R"({"template": "unrolled", "clock_mhz": 100, "layers": [{"layer": "fc1", "pe": 1}]})"),
            "m.json: field 'layers[0] (fc1).pe': the unrolled template has no knob pe (its knobs: reuse)");
}

class Validation : public ::testing::Test {
 protected:
  Workload workload{example_network("mnist_mlp_w4a4")};
  const Device& device = builtin_device("XC7Z020");
  Mapping good = folded({{"fc1", 16, 49}, {"fc2", 8, 16}, {"fc3", 10, 4}});
};

TEST_F(Validation, AcceptsALegalMapping) { EXPECT_EQ(why_invalid(workload, good, device), ""); }

TEST_F(Validation, PeMustDivideTheOutputs) {
  good.layers[0].pe = 3;
  EXPECT_EQ(why_invalid(workload, good, device), "layer fc1: PE 3 does not divide 256 outputs");
}

TEST_F(Validation, SimdMustDivideTheInputs) {
  good.layers[0].simd = 5;
  EXPECT_EQ(why_invalid(workload, good, device), "layer fc1: SIMD 5 does not divide 784 inputs");
}

TEST_F(Validation, ConvSimdMustDivideTheInputChannels) {
  const Workload cnn(example_network("fmnist_cnn_w4a4"));
  auto mapping = folded({{"conv1", 32, 1}, {"conv2", 64, 3}, {"fc1", 1, 1}, {"fc2", 1, 1}});
  EXPECT_NE(why_invalid(cnn, mapping, device).find("layer conv2: SIMD 3 does not divide 32 input channels"),
            std::string::npos);
}

TEST_F(Validation, LayersMustMatchTheNetwork) {
  auto renamed = good;
  renamed.layers[1].layer = "fc9";
  EXPECT_EQ(why_invalid(workload, renamed, device),
            "mapping layer 'fc9' is not a layer with weights of network mnist_mlp_w4a4 (those are: fc1, fc2, fc3)");
  auto swapped = good;
  std::swap(swapped.layers[0], swapped.layers[1]);
  EXPECT_NE(why_invalid(workload, swapped, device).find("mapping layer 1 is 'fc2'"), std::string::npos);
  auto short_one = good;
  short_one.layers.pop_back();
  EXPECT_EQ(why_invalid(workload, short_one, device),
            "mapping has no entry for layer fc3 of network mnist_mlp_w4a4 (layers with weights: fc1, fc2, fc3)");
}

TEST_F(Validation, DeviceMustHaveWhatTheMappingAsks) {
  const auto& up5k = builtin_device("iCE40UP5K");
  auto mapping = good;
  mapping.clock_mhz = 24;
  mapping.layers[0].storage = WeightStorage::lutram;
  EXPECT_NE(why_invalid(workload, mapping, up5k).find("has no distributed RAM"), std::string::npos);
  mapping.layers[0].storage = WeightStorage::offchip;
  EXPECT_NE(why_invalid(workload, mapping, up5k).find("has no off-chip memory"), std::string::npos);
  mapping.layers[0].storage = WeightStorage::uram;
  EXPECT_EQ(why_invalid(workload, mapping, up5k), "");  // SPRAM
  EXPECT_NE(why_invalid(workload, mapping, device).find("has no URAM"), std::string::npos);
  auto fast = good;
  fast.clock_mhz = 500;
  EXPECT_NE(why_invalid(workload, fast, device).find("clock_mhz 500 is outside (0, 388]"), std::string::npos);
  EXPECT_THROW(validate(workload, fast, device), InputError);
}

TEST_F(Validation, ReuseFactorMustDivideTheProducts) {
  Mapping unrolled;
  unrolled.accelerator = "unrolled";
  unrolled.clock_mhz = 100;
  for (const char* name : {"fc1", "fc2", "fc3"}) unrolled.layers.push_back({name, 1, 1, 1, WeightStorage::logic});
  EXPECT_EQ(why_invalid(workload, unrolled, device), "");
  unrolled.layers[2].reuse = 7;
  EXPECT_EQ(why_invalid(workload, unrolled, device), "layer fc3: reuse factor 7 does not divide 256 x 10 = 2560 products");
  unrolled.layers[2].reuse = 1;
  unrolled.layers[2].storage = WeightStorage::offchip;
  EXPECT_NE(why_invalid(workload, unrolled, device).find("keeps its weights on chip"), std::string::npos);
}

}  // namespace
}  // namespace codse::hw
