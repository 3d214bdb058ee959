// The Verilator harness (verilator_harness.hpp).
#include "hw/verify/verilator_harness.hpp"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "core/interrupt.hpp"

#include "hw/rtl/rtl_plan.hpp"
#include "hw/templates/mapping_file.hpp"
#include "hw/verify/verilator_testbench.hpp"

extern char** environ;

namespace codse::hw {
namespace {

namespace fs = std::filesystem;

std::string shell_quote(const std::string& text) {
  std::string quoted;
  for (const char c : text) {
    if (c == '\'') {
      quoted.append("'\\''");
    } else {
      quoted.push_back(c);
    }
  }
  return fmt::format("'{}'", quoted);
}

/// Runs a shell command in `dir` under a timeout with its output in `log`; returns the exit status
/// (124 when it timed out, as timeout(1) does). The shell runs in its own process group with
/// everything it starts (make, the compiler, the simulation), which is killed and reaped as a
/// whole at the timeout and after SIGINT/SIGTERM (then Interrupted is thrown). The log path is
/// made absolute: the shell opens it after changing into `dir`.
int run_logged(const fs::path& dir, const std::string& command, const fs::path& log, int timeout_seconds) {
  throw_if_interrupted();
  std::string line = fmt::format("cd {} && exec {} > {} 2>&1", shell_quote(dir.string()), command,
                                 shell_quote(fs::absolute(log).string()));
  std::string shell = "/bin/sh", dash_c = "-c";
  char* argv[] = {shell.data(), dash_c.data(), line.data(), nullptr};
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, argv[0], nullptr, &attributes, argv, environ);
  posix_spawnattr_destroy(&attributes);
  if (spawned != 0) return -1;
  const ChildGroup registered(pid);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  auto pause = std::chrono::milliseconds(2);
  while (true) {
    int status = 0;
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) {
      kill(-pid, SIGKILL);  // whatever the shell left behind in its group
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    }
    if (done < 0 && errno != EINTR) return -1;
    if (const int signal = interrupt_signal()) {
      kill_and_reap_group(pid);
      throw Interrupted(signal);
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      kill_and_reap_group(pid);
      return 124;
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void build_testbench(const RtlDesign& design, const RtlPlan& plan, const fs::path& work, int timeout_seconds,
                     bool toggle_coverage) {
  {
    std::ofstream(work / "tb_config.h") << verilator_testbench_config(plan, design.loads);
    std::ofstream(work / "tb.cpp") << verilator_testbench_source();
  }
  std::string command = fmt::format(
      "verilator --cc --exe --build -j 2 -Wno-fatal -Wno-lint -Wno-style --top-module {} +define+CODSE_PROBES "
      "-CFLAGS -O1 --Mdir obj -o Vtb{}",
      plan.top,
      // Toggle counts of every bit, also of wide registers (Verilator skips signals wider than
      // --coverage-max-width, 256 bits by default); the build directory differs so that a build
      // with and one without coverage do not overwrite each other.
      toggle_coverage ? " --coverage-toggle --coverage-max-width 1000000 --Mdir obj_activity" : "");
  for (const fs::path& file : design.files) command += fmt::format(" {}", shell_quote(fs::absolute(file).string()));
  command += " tb.cpp";
  const fs::path log = work / "verilator_build.log";
  const int status = run_logged(work, command, log, timeout_seconds);
  if (status == 124) throw std::runtime_error(fmt::format("verilator build timed out after {} s; log: {}", timeout_seconds, log.string()));
  if (status != 0)
    throw std::runtime_error(fmt::format("verilator build failed (exit {}); log: {}", status, log.string()));
}

std::vector<std::int64_t> read_values(std::ifstream& in, std::size_t count) {
  std::vector<std::int64_t> values(count);
  in.read(reinterpret_cast<char*>(values.data()), static_cast<std::streamsize>(count * 8));
  return values;
}

}  // namespace

VerifyResult verify_rtl(const RtlDesign& design, const nn::IntegerModel& model,
                        const std::vector<std::vector<std::int32_t>>& input_levels, const VerifyOptions& options) {
  // The testbench needs the plan write_rtl made (stream formats, lanes, probes). The plan is a pure
  // function of the model and the mapping, and write_rtl stores the mapping beside the RTL, so
  // planning again from that file gives the same plan without passing it along.
  const RtlPlan plan = plan_rtl(model, load_mapping((design.dir / "mapping.json").string()));
  const fs::path work = options.work_dir.empty() ? design.dir / "verilator" : options.work_dir;
  fs::create_directories(work);
  VerifyResult result;
  result.inferences = static_cast<int>(input_levels.size());

  auto start = std::chrono::steady_clock::now();
  build_testbench(design, plan, work, options.timeout_seconds, options.measure_activity);
  const fs::path obj = work / (options.measure_activity ? "obj_activity" : "obj");
  result.build_seconds = seconds_since(start);

  // Inputs in stream order (HWC), packed per word.
  const nn::Shape in_shape = model.input().shape;
  const std::int64_t in_size = in_shape.size();
  const std::int64_t words = (in_size + plan.input.lanes - 1) / plan.input.lanes;
  {
    std::ofstream out(work / "inputs.bin", std::ios::binary);
    const std::int64_t header[2] = {static_cast<std::int64_t>(input_levels.size()), words};
    out.write(reinterpret_cast<const char*>(header), sizeof header);
    std::vector<std::int32_t> stream(static_cast<std::size_t>(words * plan.input.lanes), 0);
    for (const auto& levels : input_levels) {
      if (static_cast<std::int64_t>(levels.size()) != in_size)
        throw std::runtime_error(fmt::format("verify: an input has {} levels, expected {}", levels.size(), in_size));
      for (std::int64_t q = 0; q < in_size; ++q) stream[static_cast<std::size_t>(q)] = levels[static_cast<std::size_t>(chw_index(in_shape, q))];
      out.write(reinterpret_cast<const char*>(stream.data()), static_cast<std::streamsize>(stream.size() * 4));
    }
  }

  const nn::IntegerOp& last = model.ops()[static_cast<std::size_t>(plan.output_unit().ops.back())];
  const std::int64_t output_elements = last.shape.size();
  std::int64_t per_inference = 0;
  for (const RtlUnit& unit : plan.units) per_inference += model.ops()[static_cast<std::size_t>(unit.ops.back())].shape.size();
  result.probed_inferences = static_cast<int>(std::min<std::int64_t>(
      static_cast<std::int64_t>(input_levels.size()), std::max<std::int64_t>(1, options.probe_values / std::max<std::int64_t>(per_inference, 1))));

  std::int64_t max_cycles = 1'000'000;
  for (const RtlUnit& unit : plan.units) max_cycles += 64 * model.ops()[static_cast<std::size_t>(unit.ops.back())].shape.size() * 1024;
  max_cycles = std::max<std::int64_t>(max_cycles, 1) * std::max<std::int64_t>(1, static_cast<std::int64_t>(input_levels.size()));
  start = std::chrono::steady_clock::now();
  const fs::path run_log = work / "simulation.log";
  std::int64_t largest_unit = 1;
  for (const RtlUnit& unit : plan.units)
    largest_unit = std::max(largest_unit, model.ops()[static_cast<std::size_t>(unit.ops.back())].shape.size());
  const std::int64_t probe_limit = static_cast<std::int64_t>(result.probed_inferences) * largest_unit;
  // The simulation runs in the design directory, where $readmemh finds the memory files.
  const int status = run_logged(design.dir,
                                fmt::format("{} {} {} {} {} {}", shell_quote(fs::absolute(obj / "Vtb").string()),
                                            shell_quote(fs::absolute(work / "inputs.bin").string()),
                                            shell_quote(fs::absolute(work / "outputs.bin").string()), output_elements,
                                            probe_limit, max_cycles),
                                run_log, options.timeout_seconds);
  result.run_seconds = seconds_since(start);
  if (status != 0 && status != 5)
    throw std::runtime_error(fmt::format("simulation failed (exit {}); log: {}", status, run_log.string()));

  std::ifstream in(work / "outputs.bin", std::ios::binary);
  std::vector<std::vector<std::int64_t>> recorded;
  for (std::size_t u = 0; u < plan.units.size(); ++u) {
    std::int64_t count = 0;
    in.read(reinterpret_cast<char*>(&count), 8);
    recorded.push_back(read_values(in, static_cast<std::size_t>(count)));
  }
  const std::vector<std::int64_t> first_in = read_values(in, input_levels.size());
  const std::vector<std::int64_t> last_out = read_values(in, input_levels.size());
  in.read(reinterpret_cast<char*>(&result.total_cycles), 8);
  in.read(reinterpret_cast<char*>(&result.load_cycles), 8);
  if (!in) throw std::runtime_error(fmt::format("verify: cannot read {}", (work / "outputs.bin").string()));
  if (options.measure_activity)
    result.activity = read_switching_activity(work / "outputs.bin.coverage", result.total_cycles);

  // Compare: the last unit for every inference, every other unit for the probed ones.
  const auto note = [&](const std::string& layer, int inference, std::int64_t index, std::int64_t expected, std::int64_t actual) {
    ++result.mismatches;
    if (result.first_mismatches.size() < 20) result.first_mismatches.push_back({layer, inference, index, expected, actual});
  };
  for (int i = 0; i < result.inferences; ++i) {
    const bool probed = i < result.probed_inferences;
    const auto expected = model.infer_all(input_levels[static_cast<std::size_t>(i)]);
    for (std::size_t u = 0; u < plan.units.size(); ++u) {
      const bool is_last = u + 1 == plan.units.size();
      if (!is_last && !probed) continue;
      const int op = plan.units[u].ops.back();
      const nn::Shape shape = model.ops()[static_cast<std::size_t>(op)].shape;
      const std::vector<std::int64_t>& want = expected[static_cast<std::size_t>(op)];
      const std::int64_t base = static_cast<std::int64_t>(i) * shape.size();
      for (std::int64_t q = 0; q < shape.size(); ++q) {
        const std::int64_t index = chw_index(shape, q);
        const std::int64_t at = base + q;
        const bool present = at < static_cast<std::int64_t>(recorded[u].size());
        const std::int64_t got = present ? recorded[u][static_cast<std::size_t>(at)] : 0;
        ++result.values_compared;
        if (!present || got != want[static_cast<std::size_t>(index)])
          note(model.ops()[static_cast<std::size_t>(op)].name, i, index, want[static_cast<std::size_t>(index)], got);
      }
    }
  }
  std::stable_sort(result.first_mismatches.begin(), result.first_mismatches.end(),
                   [](const Mismatch& a, const Mismatch& b) { return a.inference < b.inference; });

  // Cycles: inference 0 alone at the head of the stream gives the latency; the completions of the
  // second half (the pipeline full) give the initiation interval.
  if (!last_out.empty() && last_out.front() >= 0) result.latency_cycles = last_out.front() - first_in.front() + 1;
  const std::size_t n = last_out.size();
  if (n >= 2 && last_out.back() >= 0) {
    const std::size_t from = n / 2 == n - 1 ? 0 : n / 2;
    result.ii_cycles = static_cast<double>(last_out[n - 1] - last_out[from]) / static_cast<double>(n - 1 - from);
    result.ii_min_cycles = last_out[from + 1] - last_out[from];
    result.ii_max_cycles = result.ii_min_cycles;
    for (std::size_t i = from + 1; i < n; ++i) {
      result.ii_min_cycles = std::min(result.ii_min_cycles, last_out[i] - last_out[i - 1]);
      result.ii_max_cycles = std::max(result.ii_max_cycles, last_out[i] - last_out[i - 1]);
    }
  }
  return result;
}

SwitchingActivity read_switching_activity(const fs::path& coverage_file, std::int64_t cycles) {
  std::ifstream in(coverage_file);
  if (!in) throw std::runtime_error(fmt::format("activity: cannot read the coverage file {}", coverage_file.string()));
  // A point: C '<\1key\2value>...' count. Keys: page (v_toggle/<module>), o (signal[bit]).
  const auto value_of = [](const std::string& line, const std::string& key) {
    const std::string tag = std::string(1, '\1') + key + std::string(1, '\2');
    const auto at = line.find(tag);
    if (at == std::string::npos) return std::string();
    const auto from = at + tag.size();
    const auto to = line.find_first_of("\1'", from);
    return line.substr(from, to == std::string::npos ? std::string::npos : to - from);
  };
  std::int64_t toggles[3] = {0, 0, 0}, bits[3] = {0, 0, 0};
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("C '", 0) != 0) continue;
    if (value_of(line, "page").rfind("v_toggle/codse_mvau", 0) != 0) continue;
    const std::string signal = value_of(line, "o");
    const std::string base = signal.substr(0, signal.find('['));
    const int group = base == "w_r" ? 0 : base == "x_r" ? 1 : base == "acc" ? 2 : -1;
    if (group < 0) continue;
    const auto quote = line.rfind('\'');
    toggles[group] += std::strtoll(line.c_str() + quote + 1, nullptr, 10);
    ++bits[group];
  }
  if (bits[0] + bits[1] + bits[2] == 0 || cycles <= 0)
    throw std::runtime_error(
        fmt::format("activity: {} has no toggle counts of codse_mvau registers", coverage_file.string()));
  SwitchingActivity a;
  a.measured = true;
  const auto rate = [&](std::int64_t t, std::int64_t b) {
    return b > 0 ? static_cast<double>(t) / (static_cast<double>(b) * static_cast<double>(cycles)) : 0.0;
  };
  a.weights = rate(toggles[0], bits[0]);
  a.inputs = rate(toggles[1], bits[1]);
  a.accumulators = rate(toggles[2], bits[2]);
  a.bits = bits[0] + bits[1] + bits[2];
  a.overall = rate(toggles[0] + toggles[1] + toggles[2], a.bits);
  return a;
}

}  // namespace codse::hw
