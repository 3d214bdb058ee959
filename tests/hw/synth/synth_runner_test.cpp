// Synthesis with Yosys on small hand-written modules: resources per family, the cache (a second
// run starts no process), and the failures: timeout, missing tool, bad Verilog. Each Yosys run
// takes a few seconds (xc7 about 15).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <random>

#include <fmt/format.h>

#include "core/error.hpp"
#include "hw/rtl/rtl_library.hpp"
#include "hw/synth/synth_runner.hpp"
#include "hw/synth_test_support.hpp"
#include "support/temp_dir.hpp"

namespace codse::hw {
namespace {

namespace fs = std::filesystem;
using codse::testing::TempDir;

SynthJob mac_job(const TempDir& dir, int lanes, int bits, const std::string& name = "mac") {
  dir.write("mac.v", testing::mac_verilog());
  return {name, "mac", dir.path(), {"mac.v"}, {{"N", std::to_string(lanes)}, {"W", std::to_string(bits)}}, false};
}

SynthOptions options_in(const TempDir& dir) {
  SynthOptions options;
  options.cache_dir = dir / "cache";
  options.jobs = 2;
  return options;
}

/// Entries and leftover temporary directories in a cache directory (failed/ and tools/ aside).
int cache_entries(const fs::path& cache) {
  int entries = 0;
  for (const auto& item : fs::directory_iterator(cache)) {
    const auto name = item.path().filename().string();
    if (name != "failed" && name != "tools") ++entries;
  }
  return entries;
}

TEST(SynthStats, CountsPrimitivesPerFamily) {
  const auto xc7 = count_primitives({{"LUT6", 10}, {"LUT2", 3}, {"FDRE", 7}, {"FDSE", 1}, {"RAMB36E1", 2},
                                     {"RAMB18E1", 1}, {"DSP48E1", 4}, {"RAM64X1D", 3}, {"CARRY4", 5}, {"MUXF7", 9}, {"INV", 2}},
                                    SynthFamily::xc7);
  EXPECT_EQ(xc7.resources.lut, 13 + 6 + 2);
  EXPECT_EQ(xc7.resources.lutram, 6);
  EXPECT_EQ(xc7.resources.ff, 8);
  EXPECT_EQ(xc7.resources.bram18, 5);
  EXPECT_EQ(xc7.resources.dsp, 4);
  EXPECT_TRUE(xc7.unmapped.empty());
  const auto ice40 = count_primitives({{"SB_LUT4", 100}, {"SB_DFFER", 4}, {"SB_DFF", 6}, {"SB_CARRY", 9},
                                       {"SB_RAM40_4K", 3}, {"SB_MAC16", 1}, {"SB_SPRAM256KA", 2}, {"WEIRD", 1}},
                                      SynthFamily::ice40);
  EXPECT_EQ(ice40.resources.lut, 100);
  EXPECT_EQ(ice40.resources.ff, 10);
  EXPECT_EQ(ice40.resources.bram18, 3);
  EXPECT_EQ(ice40.resources.dsp, 1);
  EXPECT_EQ(ice40.resources.uram, 2);
  ASSERT_EQ(ice40.unmapped.size(), 1u);
  EXPECT_EQ(ice40.unmapped[0], "WEIRD");
}

TEST(Synthesizer, SmallMacOnXc7) {
  TempDir dir;
  ToolRunner runner;
  Synthesizer synth(SynthFamily::xc7, true, options_in(dir), runner);
  const auto result = synth.synthesize(mac_job(dir, 2, 4));
  // 2 lanes of 4 x 4 bits: an 8-bit product, below the 9 bits from which synth_xilinx uses a
  // DSP48E1; the accumulator is 2 * 4 + 8 = 16 flip-flops.
  EXPECT_EQ(result.stats.resources.ff, 16);
  EXPECT_EQ(result.stats.resources.dsp, 0);
  EXPECT_GT(result.stats.resources.lut, 20);
  EXPECT_LT(result.stats.resources.lut, 200);
  EXPECT_TRUE(result.stats.unmapped.empty());
  EXPECT_FALSE(result.from_cache);
  EXPECT_TRUE(fs::exists(result.entry / "yosys.log"));
}

TEST(Synthesizer, SmallMacOnIce40AndTheCacheHit) {
  TempDir dir;
  {
    ToolRunner runner;
    Synthesizer synth(SynthFamily::ice40, true, options_in(dir), runner);
    const auto first = synth.synthesize(mac_job(dir, 2, 4));
    EXPECT_EQ(first.stats.resources.ff, 16);
    EXPECT_EQ(first.stats.resources.dsp, 0);  // 8-bit products: SB_MAC16 only from 11 bits
    EXPECT_GT(first.stats.resources.lut, 20);
    EXPECT_FALSE(first.from_cache);
    EXPECT_EQ(runner.runs(), 2);  // yosys -V, then the synthesis
  }
  // A new process (a new runner) with the same inputs starts no tool at all.
  ToolRunner runner;
  Synthesizer synth(SynthFamily::ice40, true, options_in(dir), runner);
  const auto second = synth.synthesize(mac_job(dir, 2, 4));
  EXPECT_TRUE(second.from_cache);
  EXPECT_EQ(second.stats.resources.ff, 16);
  EXPECT_EQ(runner.runs(), 0);
  // Another parameter is another key.
  EXPECT_NE(synth.key(mac_job(dir, 2, 4)), synth.key(mac_job(dir, 3, 4)));
}

TEST(Synthesizer, BatchRunsEachDistinctModuleOnce) {
  TempDir dir;
  ToolRunner runner;
  Synthesizer synth(SynthFamily::ice40, true, options_in(dir), runner);
  const std::vector<SynthJob> jobs = {mac_job(dir, 2, 2, "fc1"), mac_job(dir, 2, 3, "fc2"),
                                      mac_job(dir, 2, 2, "fc3")};
  const auto results = synth.synthesize_all(jobs);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(runner.runs(), 1 + 2);  // version + two distinct modules
  EXPECT_EQ(results[0].key, results[2].key);
  EXPECT_EQ(results[2].name, "fc3");
  EXPECT_EQ(results[0].stats.resources.lut, results[2].stats.resources.lut);
  EXPECT_EQ(results[1].stats.resources.ff, 2 * 3 + 8);
  const auto again = synth.synthesize_all(jobs);
  EXPECT_EQ(runner.runs(), 3);
  for (const auto& result : again) EXPECT_TRUE(result.from_cache);
}

TEST(Synthesizer, TimeoutKillsTheRunAndCachesNothing) {
  TempDir dir;
  ToolRunner runner;
  auto options = options_in(dir);
  options.timeout = std::chrono::milliseconds(200);
  Synthesizer synth(SynthFamily::xc7, true, options, runner);
  const auto job = mac_job(dir, 4, 4);
  try {
    synth.synthesize(job);
    FAIL() << "expected a timeout";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("timed out"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("failed/"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(synth.cache().find(synth.key(job)));
  EXPECT_EQ(cache_entries(dir / "cache"), 0);
}

TEST(Synthesizer, MissingYosysIsAClearError) {
  TempDir dir;
  ToolRunner runner((dir / "empty").string());
  try {
    Synthesizer synth(SynthFamily::ice40, true, options_in(dir), runner);
    synth.synthesize(mac_job(dir, 2, 4));
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("yosys not found"), std::string::npos) << message;
    EXPECT_NE(message.find("install the Debian package yosys"), std::string::npos) << message;
  }
  EXPECT_EQ(runner.runs(), 0);
}

TEST(Synthesizer, BadVerilogKeepsTheLogAndCachesNothing) {
  TempDir dir;
  dir.write("bad.v", "module bad(input a, output b);\n  assign b = a +;\nendmodule\n");
  ToolRunner runner;
  Synthesizer synth(SynthFamily::ice40, true, options_in(dir), runner);
  const SynthJob job{"bad", "bad", dir.path(), {"bad.v"}, {}, false};
  std::string message;
  try {
    synth.synthesize(job);
  } catch (const std::runtime_error& e) {
    message = e.what();
  }
  ASSERT_NE(message.find("yosys failed with exit code"), std::string::npos) << message;
  const auto log_start = message.find("log: ") + 5;
  const auto log = message.substr(log_start, message.find(')', log_start) - log_start);
  EXPECT_TRUE(fs::exists(log)) << log;
  EXPECT_NE(message.find("ERROR"), std::string::npos) << message;
  EXPECT_EQ(cache_entries(dir / "cache"), 0);
}

TEST(ToolRunner, AToolPastItsMemoryBoundFailsAndTheMessageSaysSo) {
  TempDir dir;
  ToolRunner runner;
  ToolCommand command{"python3", {"-c", "bytearray(600 * 10**6)"}, dir.path(), dir / "hog.log"};
  command.memory_limit = 300'000'000;
  try {
    runner.run(command);
    FAIL() << "expected the 600 MB allocation to fail under a 300 MB bound";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("after using up the 300 MB of address space it may map"), std::string::npos)
        << e.what();
  }
  command.memory_limit = 0;  // unbounded, the same allocation succeeds
  EXPECT_NO_THROW(runner.run(command));
}

/// codse_thresholds and the module it reads its thresholds with, written into dir: their names.
std::vector<std::string> write_thresholds_unit(const TempDir& dir) {
  std::vector<std::string> files;
  for (const auto& file : rtl_library_files())
    if (file.name == "codse_thresholds.v" || file.name == "codse_channel_params.v")
      files.push_back(dir.write(std::string(file.name), std::string(file.text)).filename());
  EXPECT_EQ(files.size(), 2u);
  return files;
}

// codse_thresholds at LFC's width: 64 lanes read the levels. As a ROM with 64 read ports, Yosys
// 0.23's memory_libmap took more than 8 GB for it; as constants each lane selects from, 0.2 GB.
// Its thresholds come from codse_channel_params.
TEST(SynthLibrary, SixtyFourLaneThresholdsSynthesizeInBoundedMemory) {
  TempDir dir;
  std::vector<std::string> files = write_thresholds_unit(dir);
  std::string thresholds, signs;
  for (int phase = 0; phase < 16; ++phase) {
    for (int digit = 0; digit < 80; ++digit) thresholds += "0123456789abcdef"[(phase * 7 + digit * 13) % 16];
    thresholds += "\n";
    signs += "0000000000000000\n";
  }
  dir.write("thresholds.mem", thresholds);
  dir.write("signs.mem", signs);
  dir.write("levels.mem", "3\n1\n");
  files.insert(files.end(), {"thresholds.mem", "signs.mem", "levels.mem"});
  ToolRunner runner;
  auto options = options_in(dir);
  options.memory_limit = 2'000'000'000;
  Synthesizer synth(SynthFamily::xc7, true, options, runner);
  const SynthJob job{"thresholds", "codse_thresholds", dir.path(), files,
                     {{"LANES", "64"}, {"IN_BITS", "12"}, {"OUT_BITS", "2"}, {"STEPS", "1"}, {"T_BITS", "5"},
                      {"PHASES", "16"}},
                     false};
  const auto result = synth.synthesize(job);
  // 64 lanes of a 12-bit compare against a 5-bit threshold: a few LUTs each, and no memory left.
  EXPECT_GT(result.stats.resources.lut, 64 * 3);
  EXPECT_LT(result.stats.resources.lut, 64 * 20);
  EXPECT_EQ(result.stats.resources.bram18, 0);
}

// codse_thresholds with 256 channels of 7 random thresholds each in one lane: the thresholds are a
// 256 x 56-bit ROM read a channel ahead (codse_channel_params), which Yosys maps as a ROM: about 4
// LUT6 per bit, 224, plus 7 comparators. Read at a phase register instead, Yosys merged the
// register's increment into the ROM's address and took 1,401 LUTs.
TEST(SynthLibrary, PerChannelThresholdsMapAsAPlainRom) {
  TempDir dir;
  std::vector<std::string> files = write_thresholds_unit(dir);
  std::mt19937 rng(3);
  std::uniform_int_distribution<int> level(-120, 119);
  std::string thresholds, signs;
  for (int phase = 0; phase < 256; ++phase) {
    std::array<int, 7> t{};
    for (auto& v : t) v = level(rng);
    std::sort(t.begin(), t.end());
    std::string word;
    for (int k = 6; k >= 0; --k) word += fmt::format("{:02x}", t[static_cast<std::size_t>(k)] & 0xff);
    thresholds += word + "\n";
    signs += phase % 3 == 0 ? "1\n" : "0\n";
  }
  dir.write("thresholds.mem", thresholds);
  dir.write("signs.mem", signs);
  dir.write("levels.mem", "0\n1\n2\n3\n4\n5\n6\n7\n");
  files.insert(files.end(), {"thresholds.mem", "signs.mem", "levels.mem"});
  ToolRunner runner;
  Synthesizer synth(SynthFamily::xc7, true, options_in(dir), runner);
  const SynthJob job{"thresholds256", "codse_thresholds", dir.path(), files,
                     {{"LANES", "1"}, {"IN_BITS", "12"}, {"OUT_BITS", "3"}, {"STEPS", "7"}, {"T_BITS", "8"},
                      {"PHASES", "256"}},
                     false};
  const auto result = synth.synthesize(job);
  EXPECT_GT(result.stats.resources.lut, 224);
  EXPECT_LT(result.stats.resources.lut, 500);
  // The read register of the ROM's 56 bits and the sign, the output and the counters.
  EXPECT_GT(result.stats.resources.ff, 56);
  EXPECT_EQ(result.stats.resources.bram18, 0);
}

TEST(Synthesizer, MissingRtlFileIsBadInput) {
  TempDir dir;
  ToolRunner runner;
  Synthesizer synth(SynthFamily::ice40, true, options_in(dir), runner);
  const SynthJob job{"absent", "absent", dir.path(), {"absent.v"}, {}, false};
  EXPECT_THROW(synth.synthesize(job), InputError);
}

}  // namespace
}  // namespace codse::hw
