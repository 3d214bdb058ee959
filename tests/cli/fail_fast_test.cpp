// Issue 17, defect 8: every path and option is checked before the expensive work (Yosys runs of
// minutes, a Verilator build, a search): a bad one is an exit 2 naming the option within seconds,
// and no tool runs. PATH holds no Yosys or Verilator here, so a check made only after the tools
// would fail differently ("not found", exit 1).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <regex>
#include <ostream>
#include <string>

#include "cli/run_codse.hpp"
#include "nn/ir/network_io.hpp"
#include "nn/ir/weights.hpp"
#include "nn/quant/random_weights.hpp"
#include "support/temp_dir.hpp"

namespace codse {
namespace {

using testing::run_codse;
using testing::TempDir;

const std::string source = CODSE_SOURCE_DIR;

struct FailFast {
  std::string args;
  std::string message;
};
// What ctest shows for a case (gtest would print the struct's bytes).
void PrintTo(const FailFast& value, std::ostream* out) { *out << value.args; }

class FailFastCase : public ::testing::TestWithParam<FailFast> {};

TEST_P(FailFastCase, ExitsTwoNamingTheOptionBeforeAnyTool) {
  static const TempDir dir;
  const auto network = source + "/examples/networks/digits_mlp_w2a2.json";
  const auto weights = (dir / "w.bin").string();
  nn::random_weights(nn::load_network(network), 1).save(weights);
  dir.write("file", "x");
  std::filesystem::create_directories(dir / "a_directory");  // each case may run alone, in its own process
  dir.write("uncalibrated.json", R"({"devices": []})");
  std::string args = std::regex_replace(GetParam().args, std::regex("DIR"), dir.path().string());
  args = std::regex_replace(args, std::regex("NET"), network);
  args = std::regex_replace(args, std::regex("WEIGHTS"), weights);
  args = std::regex_replace(args, std::regex("MAPPING"), source + "/examples/mappings/digits_mlp_w2a2.json");
  args = std::regex_replace(args, std::regex("TABLE"), source + "/examples/tables/mlp_folding.csv");
  const auto start = std::chrono::steady_clock::now();
  const auto result = run_codse(args, "env PATH=/nonexistent");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(result.exit_code, 2) << result.output;
  const auto message = std::regex_replace(GetParam().message, std::regex("DIR"), dir.path().string());
  EXPECT_NE(result.output.find(message), std::string::npos) << result.output;
  EXPECT_LT(seconds, 30.0);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, FailFastCase,
    ::testing::Values(
        FailFast{"hw calibrate --layers 4 --cache DIR/c --work DIR/w --check DIR/none.json", "--check DIR/none.json: no such file"},
        FailFast{"hw calibrate --layers 4 --cache DIR/c --work DIR/w --check DIR/uncalibrated.json",
                 "--check DIR/uncalibrated.json"},
        FailFast{"hw calibrate --layers 4 --cache DIR/c --work DIR/w --out DIR/no/such/dir/x.json",
                 "--out DIR/no/such/dir/x.json: the directory DIR/no/such/dir does not exist"},
        FailFast{"hw calibrate --layers 4 --cache DIR/c --work DIR/w --samples DIR/a_directory",
                 "--samples DIR/a_directory: is a directory"},
        FailFast{"hw calibrate --layers 4 --cache DIR/c --work DIR/file", "--work DIR/file: cannot create the directory"},
        FailFast{"hw synth --network NET --weights WEIGHTS --mapping MAPPING --device xc7z020 --cache DIR/c --out DIR/file",
                 "--out DIR/file: cannot create the directory"},
        FailFast{"hw synth --network NET --weights WEIGHTS --mapping MAPPING --device xc7z020 --cache DIR/file --out DIR/o",
                 "--cache DIR/file: cannot create the directory"},
        FailFast{"hw verify --network NET --weights WEIGHTS --mapping MAPPING --out DIR/file",
                 "--out DIR/file: cannot create the directory"},
        FailFast{"dse --table TABLE --objective lut:min --objective ii_cycles:min --algo random --budget 5 --log DIR/no/x.csv",
                 "--log DIR/no/x.csv: the directory DIR/no does not exist"}),
    // Named by position: gtest would otherwise print the parameter's bytes (heap addresses), a
    // name that differs between the discovery run and the test run.
    [](const ::testing::TestParamInfo<FailFast>& param) { return "case" + std::to_string(param.index); });

}  // namespace
}  // namespace codse
