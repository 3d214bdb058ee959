// `codse hw rtl` and `codse hw verify` as a user runs them: the digits MLP (64-16-10 at 2 bits,
// random weights) written as Verilog and simulated with Verilator bit for bit, and exit code 2 with
// a message naming the culprit for each kind of bad input.

#include <gtest/gtest.h>

#include <filesystem>

#include "cli/run_codse.hpp"
#include "nn/ir/network_io.hpp"
#include "nn/quant/random_weights.hpp"
#include "nn/ir/weights.hpp"
#include "support/temp_dir.hpp"

namespace codse {
namespace {

using testing::run_codse;
using testing::TempDir;

const std::string network = std::string(CODSE_SOURCE_DIR) + "/examples/networks/digits_mlp_w2a2.json";

/// fc1 (PE 4, SIMD 8): (16/4)(64/8) = 32 cycles per vector; fc2 (PE 2, SIMD 4): (10/2)(16/4) = 20.
const char* const mapping_json = R"({"template": "dataflow_folded", "clock_mhz": 100, "layers": [
  {"layer": "fc1", "pe": 4, "simd": 8}, {"layer": "fc2", "pe": 2, "simd": 4}]})";

/// Random weights for the digits MLP in `dir`; returns the weights file.
std::string digits_weights(const TempDir& dir) {
  const auto path = dir / "weights.bin";
  nn::random_weights(nn::load_network(network), 5).save(path.string());
  return path.string();
}

TEST(HwRtlCommand, WritesTheVerilogOfTheDigitsMlp) {
  TempDir dir;
  const auto mapping = dir.write("mapping.json", mapping_json);
  const auto out = dir / "rtl";
  const auto result = run_codse("hw rtl --network " + network + " --weights " + digits_weights(dir) +
                                " --mapping " + mapping.string() + " --out " + out.string());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("top digits_mlp_w2a2, 2 unit modules"), std::string::npos) << result.output;
  EXPECT_TRUE(std::filesystem::exists(out / "digits_mlp_w2a2.v"));
  EXPECT_TRUE(std::filesystem::exists(out / "mapping.json"));
}

TEST(HwRtlCommand, VerifiesTheDigitsMlpBitExactAtTheEstimatedInterval) {
  TempDir dir;
  const auto mapping = dir.write("mapping.json", mapping_json);
  const auto result = run_codse("hw verify --network " + network + " --weights " + digits_weights(dir) +
                                " --mapping " + mapping.string() + " --out " + (dir / "rtl").string() +
                                " --inputs 40 --seed 2");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find(": 0 mismatches"), std::string::npos) << result.output;
  // The simulated interval (mean, min, max) and the estimate: 32 cycles, fc1's.
  EXPECT_NE(result.output.find("interval         32.0         32 (min 32 max 32 simulated)"), std::string::npos)
      << result.output;
}

TEST(HwRtlCommand, VerifiesOnTestImagesFromTheGivenDataDirectory) {
  TempDir dir;
  const auto mapping = dir.write("mapping.json", mapping_json);
  const auto result = run_codse("hw verify --network " + network + " --weights " + digits_weights(dir) +
                                " --mapping " + mapping.string() + " --out " + (dir / "rtl").string() +
                                " --inputs 20 --dataset digits --data-dir " + CODSE_SHARED_DATA_DIR + "/sklearn-digits");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  // Every unit's output of 20 inferences: fc1's 16 values and fc2's 10.
  EXPECT_NE(result.output.find("compared 520 values"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find(": 0 mismatches"), std::string::npos) << result.output;
}

struct BadInput {
  std::string name, args, message;
};
// What ctest shows for a case (gtest would print the struct's bytes).
void PrintTo(const BadInput& value, std::ostream* out) { *out << value.name; }

class HwRtlBadInput : public ::testing::TestWithParam<BadInput> {};

TEST_P(HwRtlBadInput, ExitsTwoWithAMessageNamingTheCulprit) {
  TempDir dir;
  const auto mapping = dir.write("mapping.json", mapping_json);
  // PE 3 does not divide fc1's 16 outputs.
  const auto bad_mapping = dir.write("bad_mapping.json", R"({"template": "dataflow_folded", "clock_mhz": 100,
    "layers": [{"layer": "fc1", "pe": 3, "simd": 8}, {"layer": "fc2", "pe": 2, "simd": 4}]})");
  std::string args = GetParam().args;
  const auto replace = [&args](const std::string& key, const std::string& value) {
    for (auto at = args.find(key); at != std::string::npos; at = args.find(key)) args.replace(at, key.size(), value);
  };
  replace("NET", network);
  replace("WEIGHTS", digits_weights(dir));
  replace("BADMAP", bad_mapping.string());
  replace("MAP", mapping.string());
  replace("OUT", (dir / "rtl").string());
  const auto result = run_codse(args);
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find(GetParam().message), std::string::npos) << result.output;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, HwRtlBadInput,
    ::testing::Values(
        BadInput{"NoWeights", "hw rtl --network NET --mapping MAP --out OUT", "--weights"},
        BadInput{"MissingMapping", "hw rtl --network NET --weights WEIGHTS --mapping /nonexistent/m.json --out OUT",
                 "/nonexistent/m.json"},
        BadInput{"PeNotDividing", "hw rtl --network NET --weights WEIGHTS --mapping BADMAP --out OUT", "fc1"},
        BadInput{"OneInput", "hw verify --network NET --weights WEIGHTS --mapping MAP --out OUT --inputs 1",
                 "--inputs: 1 is out of range"},
        BadInput{"DataDirWithoutDataset",
                 "hw verify --network NET --weights WEIGHTS --mapping MAP --out OUT --data-dir /tmp", "--dataset"},
        BadInput{"UnknownOption", "hw verify --network NET --weights WEIGHTS --mapping MAP --out OUT --pe 4",
                 "--pe"}),
    [](const ::testing::TestParamInfo<BadInput>& case_info) { return case_info.param.name; });

}  // namespace
}  // namespace codse
