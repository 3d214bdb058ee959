#pragma once
// Running an external tool (yosys, nextpnr-ice40, icepack) as a child process: found on a search
// path, run in a working directory with its stdout and stderr in a log file that is kept, killed
// with its whole process group when it runs past its timeout, and bounded in the address space it
// may map (one Yosys run once took all 24 GB of a machine). Every failure is a runtime_error
// whose message names the tool and the log, so the user can read what went wrong.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace codse::hw {

struct ToolCommand {
  std::string program;  // a name looked up on the runner's search path, or a path with a '/'
  std::vector<std::string> args;
  std::filesystem::path work_dir;  // empty: the current directory
  std::filesystem::path log;       // stdout and stderr go here (truncated first)
  std::chrono::milliseconds timeout{std::chrono::minutes(10)};
  std::uint64_t memory_limit = 0;  // bytes of address space the tool may map (RLIMIT_AS); 0: no bound
};

/// The address space each of `jobs` concurrent tool runs may map when the user sets no bound:
/// an equal share of what this process may still take (core/memory_limit.hpp), so parallel runs
/// together cannot push the machine into swap or its OOM killer.
std::uint64_t default_tool_memory_limit(int jobs);

struct ToolResult {
  double seconds = 0.0;
};

class ToolRunner {
 public:
  /// Searches the PATH of this process.
  ToolRunner();
  /// Searches the given colon-separated directories instead (tests use one without yosys).
  explicit ToolRunner(std::string search_path);

  /// Runs the command to completion. Throws runtime_error when the program is not found
  /// ("yosys not found on PATH ...: install the Debian package yosys"), when it cannot start, when
  /// it exits non-zero or by a signal, or when it is killed at its timeout; the message names the
  /// log, and the memory bound when the tool ran out of it. Thread-safe: jobs of a pool call it concurrently.
  ToolResult run(const ToolCommand& command);

  /// The program's full path, or nothing when it is not on the search path.
  std::optional<std::filesystem::path> find(const std::string& program) const;
  /// The first line the program prints for `args` (e.g. `yosys -V`), run with a short timeout.
  std::string first_output_line(const std::string& program, const std::vector<std::string>& args,
                                const std::filesystem::path& scratch_dir);

  /// Processes started so far by this runner (the cache test counts them).
  std::int64_t runs() const { return runs_.load(); }

 private:
  std::string search_path_;
  std::atomic<std::int64_t> runs_{0};
};

/// The Debian package that provides a tool, for error messages ("fpga-icestorm" for icepack).
std::string debian_package_of(const std::string& program);

}  // namespace codse::hw
