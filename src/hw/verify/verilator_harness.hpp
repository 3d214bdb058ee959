#pragma once
// Bit-exact verification of generated RTL with Verilator: writes a C++ testbench for the design's
// top level, builds it (verilator --cc --exe --build), streams input levels through it back to
// back (after streaming the weights of loaded layers through their load ports), and compares
// every output of every unit with IntegerModel::infer_all, bit for bit. It also
// measures the cycles: one inference's latency (first input word in to last output word out) and
// the initiation interval (cycles between inferences in steady state).

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "hw/rtl/rtl_design.hpp"
#include "nn/integer/integer_model.hpp"

namespace codse::hw {

struct VerifyOptions {
  std::filesystem::path work_dir;    // the testbench, its build and the data files (default: design.dir / "verilator")
  int timeout_seconds = 900;         // each of the build and the run
  std::int64_t probe_values = 20'000'000;  // values recorded per unit output beyond the final one (memory bound)
  bool measure_activity = false;     // build with Verilator toggle coverage and measure SwitchingActivity
};

/// Switching activity of the matrix-vector datapaths over the whole simulation, from Verilator's
/// toggle coverage (--coverage-toggle counts every change of every bit): for each group, the
/// toggles of its bits divided by (bits x simulated cycles), i.e. the mean probability that a bit
/// changes in a clock cycle, which is what Xilinx XPE calls the toggle rate (and what
/// Mapping::toggle_rate takes for the dynamic power estimate).
struct SwitchingActivity {
  bool measured = false;
  double weights = 0.0;       // codse_mvau w_r: the weight-memory read data (multiplier inputs)
  double inputs = 0.0;        // codse_mvau x_r: the input words (the other multiplier inputs)
  double accumulators = 0.0;  // codse_mvau acc: the accumulator registers
  double overall = 0.0;       // all three groups' toggles over all their bits
  std::int64_t bits = 0;      // bits counted (all groups, all units)
};

/// Reads a Verilator coverage file (SystemC::Coverage-3) and computes the activity of the
/// codse_mvau registers above over `cycles` clock cycles. Throws std::runtime_error naming the file
/// when it cannot be read or has no such register.
SwitchingActivity read_switching_activity(const std::filesystem::path& coverage_file, std::int64_t cycles);

struct Mismatch {
  std::string layer;       // the network layer whose unit output differs
  int inference = 0;
  std::int64_t index = 0;  // element index in the IntegerModel's (CHW) order
  std::int64_t expected = 0;
  std::int64_t actual = 0;
};

struct VerifyResult {
  int inferences = 0;
  std::int64_t values_compared = 0;   // final outputs and unit outputs
  std::int64_t mismatches = 0;
  std::vector<Mismatch> first_mismatches;  // at most 20, in layer order
  int probed_inferences = 0;          // inferences whose every unit output was compared
  std::int64_t latency_cycles = 0;    // inference 0, first input word accepted to last output word
  double ii_cycles = 0.0;             // mean cycles between completions, second half of the run
  std::int64_t ii_min_cycles = 0, ii_max_cycles = 0;
  std::int64_t total_cycles = 0;      // from the first input on
  std::int64_t load_cycles = 0;       // streaming the weight loads (RtlDesign::loads) after reset, before
                                      // the first input: start-up, in none of the cycle counts above
  double build_seconds = 0.0, run_seconds = 0.0;
  SwitchingActivity activity;         // with VerifyOptions::measure_activity
  bool bit_exact() const { return mismatches == 0; }
};

/// input_levels: one vector per inference, in the IntegerModel's input order (CHW). Throws
/// std::runtime_error naming the log file when verilator or the simulation fails or times out.
VerifyResult verify_rtl(const RtlDesign& design, const nn::IntegerModel& model,
                        const std::vector<std::vector<std::int32_t>>& input_levels, const VerifyOptions& options);

}  // namespace codse::hw
