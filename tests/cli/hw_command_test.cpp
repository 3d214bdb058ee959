// `codse hw estimate | map | devices` run as a user would, with the bad inputs issue 4 lists:
// unknown device, mapping not matching the network, PE not dividing, device file with a missing
// field; each one message and exit code 2.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/run_codse.hpp"
#include "nn/integer/integer_export.hpp"
#include "nn/integer/integer_model.hpp"
#include "nn/integer/integer_op_rules.hpp"
#include "nn/ir/network_io.hpp"
#include "nn/quant/random_weights.hpp"
#include "support/temp_dir.hpp"

namespace codse {
namespace {

using testing::run_codse;
using testing::TempDir;

const std::string networks = std::string(CODSE_SOURCE_DIR) + "/examples/networks/";
const std::string mappings = std::string(CODSE_SOURCE_DIR) + "/examples/mappings/";

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(HwCommand, EstimateJsonHasTotalAndLayers) {
  const auto result = run_codse("hw estimate --network " + networks + "lfc_w1a1.json --device XC7Z045 --mapping " +
                                mappings + "lfc_w1a1.json --cost-model published --json");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const auto json = nlohmann::json::parse(result.output);
  for (const char* key : {"lut", "ff", "dsp", "bram18", "uram", "cycles", "ii_cycles", "latency_us", "fps", "power_w",
                          "offchip_gbps", "fits", "bottleneck"})
    EXPECT_TRUE(json["total"].contains(key)) << key;
  ASSERT_EQ(json["layers"].size(), 4u);
  for (const auto& layer : json["layers"])
    for (const char* key : {"name", "lut", "ff", "dsp", "bram18", "uram", "cycles", "ii_cycles", "latency_us", "fps",
                            "power_w", "offchip_gbps", "bottleneck"})
      EXPECT_TRUE(layer.contains(key)) << key;
  // The example mapping folds every layer to 512 cycles (FINN's LFC formulas, see finn_formula_test).
  EXPECT_EQ(json["total"]["ii_cycles"], 512);
  EXPECT_EQ(json["total"]["bram18"], 202);
  EXPECT_EQ(json["total"]["fits"], true);
  EXPECT_EQ(json["layers"][0]["cycles"], 512);
}

TEST(HwCommand, EstimatesAreCalibratedByDefaultAndPublishedOnRequest) {
  const auto estimate = [](const std::string& options) {
    const auto result = run_codse("hw estimate --network " + networks + "mnist_mlp_w4a4.json --device XC7Z020 --mapping " +
                                  mappings + "mnist_mlp_w4a4.json " + options);
    EXPECT_EQ(result.exit_code, 0) << result.output;
    return result.output;
  };
  const auto calibrated = nlohmann::json::parse(estimate("--json"));
  const auto published = nlohmann::json::parse(estimate("--cost-model published --json"));
  const auto from_file =
      nlohmann::json::parse(estimate("--devices " + std::string(CODSE_SOURCE_DIR) + "/data/calibration/xc7.json --json"));
  EXPECT_EQ(calibrated["calibrated"], true);
  EXPECT_EQ(published["calibrated"], false);
  EXPECT_EQ(calibrated["total"], from_file["total"]) << "the built-in calibration is data/calibration/xc7.json's";
  EXPECT_NE(calibrated["total"]["lut"], published["total"]["lut"]);
  EXPECT_NE(estimate("").find("cost model: codse's RTL, calibrated (codse hw calibrate --family xc7"), std::string::npos);
  EXPECT_NE(estimate("--cost-model published").find("cost model: the template's published formulas"), std::string::npos);

  const auto devices = run_codse("hw devices --json");
  ASSERT_EQ(devices.exit_code, 0) << devices.output;
  for (const auto& device : nlohmann::json::parse(devices.output)) {
    const auto name = device["name"].get<std::string>();
    EXPECT_EQ(device["calibration"].is_string(), name == "XC7Z020" || name == "XC7Z045" || name == "iCE40UP5K") << name;
  }
}

TEST(HwCommand, EstimateTableMarksTheBottleneck) {
  const auto result = run_codse("hw estimate --network " + networks + "mnist_mlp_w4a4.json --device XC7Z020 --mapping " +
                                mappings + "mnist_mlp_w4a4.json");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("* fc"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("% II"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("bottleneck"), std::string::npos) << result.output;
}

TEST(HwCommand, TargetFpsPicksAMappingThatReachesIt) {
  const auto result = run_codse("hw estimate --network " + networks + "digits_mlp_w2a2.json --device XC7Z020 " +
                                "--target-fps 1000000 --json");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const auto json = nlohmann::json::parse(result.output);
  EXPECT_GE(json["total"]["fps"].get<double>(), 1e6);
  EXPECT_EQ(json["total"]["fits"], true);
  const auto finn = run_codse("hw estimate --network " + networks + "digits_mlp_w2a2.json --device XC7Z020 " +
                              "--target-fps 1000000 --finn-folding --json");
  ASSERT_EQ(finn.exit_code, 0) << finn.output;
  const auto heuristic = nlohmann::json::parse(finn.output);
  EXPECT_GE(heuristic["total"]["fps"].get<double>(), 1e6);
  EXPECT_LE(json["total"]["lut"].get<double>(), heuristic["total"]["lut"].get<double>());
}

TEST(HwCommand, MapWritesTheFront) {
  TempDir dir;
  const auto out = dir / "front.json";
  const auto result = run_codse("hw map --network " + networks + "digits_mlp_w2a2.json --device XC7Z020 " +
                                "--objective lut:min --objective fps:max --constraint 'fps>=100000' --out " + out.string());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("layerwise"), std::string::npos) << result.output;
  const auto json = nlohmann::json::parse(slurp(out));
  EXPECT_EQ(json["method"], "layerwise");
  ASSERT_FALSE(json["front"].empty());
  double previous_lut = -1.0;
  for (const auto& point : json["front"]) {
    EXPECT_GE(point["objectives"]["fps"].get<double>(), 1e5);
    EXPECT_GT(point["objectives"]["lut"].get<double>(), previous_lut);  // sorted by LUT, strictly better fps
    previous_lut = point["objectives"]["lut"].get<double>();
    EXPECT_EQ(point["mapping"]["template"], "folded");
  }
  // A front mapping is a mapping file: estimate it back.
  const auto mapping = dir.write("m.json", json["front"][0]["mapping"].dump());
  const auto back = run_codse("hw estimate --network " + networks + "digits_mlp_w2a2.json --device XC7Z020 --mapping " +
                              mapping.string() + " --json");
  ASSERT_EQ(back.exit_code, 0) << back.output;
  EXPECT_EQ(nlohmann::json::parse(back.output)["total"]["lut"], json["front"][0]["objectives"]["lut"]);
}

// A trained model whose 4-bit weights use only [-4, 3] is built with 3-bit weights; its estimate
// says so, and the declared widths stay the estimate without a model.
TEST(HwCommand, EstimateOfATrainedModelTakesTheWidthsTheRtlBuilds) {
  TempDir dir;
  const auto network = nn::load_network(networks + "digits_mlp_w4a4.json");
  const auto model = nn::export_integer_model(network, nn::random_weights(network, 3));
  std::vector<nn::IntegerOp> ops = model.ops();
  for (auto& op : ops)
    for (auto& w : op.weights) w = std::clamp(w, -4, 3);
  for (std::size_t i = 0; i < ops.size(); ++i) nn::fill_derived_fields(ops, i);  // the bounds the exporter records
  const auto path = (dir.path() / "narrow.json").string();
  nn::IntegerModel(model.name(), ops).save(path);
  const std::string estimate = "hw estimate --network " + networks + "digits_mlp_w4a4.json --device XC7Z020 --mapping " +
                               mappings + "digits_mlp_w4a4.json --json";
  const auto declared = run_codse(estimate);
  const auto trained = run_codse(estimate + " --integer-model " + path);
  ASSERT_EQ(declared.exit_code, 0) << declared.output;
  ASSERT_EQ(trained.exit_code, 0) << trained.output;
  const auto lut = [](const std::string& output, int layer) {
    return nlohmann::json::parse(output)["layers"][layer]["lut"].get<double>();
  };
  for (const int layer : {0, 1}) EXPECT_LT(lut(trained.output, layer), 0.9 * lut(declared.output, layer));
  const auto both = run_codse(estimate + " --integer-model " + path + " --weights w.bin");
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_NE(both.output.find("--weights and --integer-model contradict"), std::string::npos) << both.output;
}

TEST(HwCommand, DevicesListsTheCatalogAndUserFiles) {
  const auto result = run_codse("hw devices");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  for (const char* name : {"XC7Z020", "XC7Z045", "XCZU7EV", "AlveoU250", "iCE40UP5K", "ECP5-85F"})
    EXPECT_NE(result.output.find(name), std::string::npos) << name;
  TempDir dir;
  const auto text = slurp(std::string(CODSE_SOURCE_DIR) + "/data/devices.json");
  auto json = nlohmann::json::parse(text);
  json["devices"] = nlohmann::json::array({json["devices"][0]});
  json["devices"][0]["name"] = "MyZynq";
  const auto file = dir.write("mine.json", json.dump());
  const auto extended = run_codse("hw devices --devices " + file.string());
  ASSERT_EQ(extended.exit_code, 0) << extended.output;
  EXPECT_NE(extended.output.find("MyZynq"), std::string::npos);
}

struct BadInput {
  std::string args;
  std::string expected;  ///< part of the one-line message
};
// What ctest shows for a case (gtest would print the struct's bytes).
void PrintTo(const BadInput& value, std::ostream* out) { *out << value.args; }

class HwBadInput : public ::testing::TestWithParam<BadInput> {};

TEST_P(HwBadInput, OneMessageAndExitCode2) {
  const auto result = run_codse(GetParam().args);
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find(GetParam().expected), std::string::npos) << result.output;
  EXPECT_EQ(std::count(result.output.begin(), result.output.end(), '\n'), 1) << result.output;
}

std::string write_temp(const std::string& name, const std::string& text) {
  static TempDir dir;  // lives for the whole test binary
  return dir.write(name, text).string();
}

std::string mapping_with(const std::string& layers) {
  return R"({"template": "dataflow_folded", "clock_mhz": 100, "layers": [)" + layers + "]}";
}

INSTANTIATE_TEST_SUITE_P(
    Errors, HwBadInput,
    ::testing::Values(
        BadInput{"hw estimate --network " + networks + "mnist_mlp_w4a4.json --device XC9Z999",
                 "codse: error: unknown device 'XC9Z999' (known: XC7Z020"},
        BadInput{"hw estimate --network " + networks + "mnist_mlp_w4a4.json --device XC7Z020 --mapping " +
                     write_temp("other.json", mapping_with(R"({"layer": "conv0"}, {"layer": "fc1"})")),
                 "mapping layer 'conv0' is not a layer with weights of network mnist_mlp_w4a4 (those are: fc1, fc2, fc3)"},
        BadInput{"hw estimate --network " + networks + "mnist_mlp_w4a4.json --device XC7Z020 --mapping " +
                     write_temp("pe3.json", mapping_with(R"({"layer": "fc1", "pe": 3}, {"layer": "fc2"}, {"layer": "fc3"})")),
                 "codse: error: layer fc1: PE 3 does not divide 256 outputs"},
        BadInput{"hw devices --devices " +
                     write_temp("broken.json", R"({"devices": [{"name": "Half", "lut": 10}]})"),
                 "broken.json: device Half: missing field 'ff'"},
        BadInput{"hw map --network " + networks + "digits_mlp_w2a2.json --device XC7Z020 --objective speed:max --out " +
                     write_temp("f.json", ""),
                 "objective on unknown metric 'speed'"},
        BadInput{"hw estimate --network " + networks + "digits_mlp_w2a2.json --device XC7Z020 --mapping x.json "
                 "--target-fps 10",
                 "excludes"}),
    // Named by position: gtest would otherwise print the parameter's bytes (heap addresses).
    [](const ::testing::TestParamInfo<BadInput>& param) { return "case" + std::to_string(param.index); });

}  // namespace
}  // namespace codse
