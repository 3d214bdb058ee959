#include "hw/synth/tool_run.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "core/interrupt.hpp"
#include "core/memory_limit.hpp"

extern char** environ;

namespace codse::hw {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

/// The last lines of a log, for an error message: what the tool said just before it stopped.
std::string log_tail(const fs::path& log, std::size_t lines) {
  std::ifstream in(log);
  std::deque<std::string> tail;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    tail.push_back(line);
    if (tail.size() > lines) tail.pop_front();
  }
  std::string text;
  for (const auto& line : tail) text += "\n  " + line;
  return text;
}

/// Owns posix_spawn's attribute objects so every exit path releases them.
struct SpawnSetup {
  posix_spawn_file_actions_t actions{};
  posix_spawnattr_t attributes{};
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attributes);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
};

/// Waits for the child; kills its process group at the deadline. Returns the wait status, or
/// nothing when it had to be killed. After SIGINT or SIGTERM, kills and reaps the group and
/// throws Interrupted.
std::optional<int> wait_with_deadline(pid_t pid, Clock::time_point deadline) {
  const ChildGroup registered(pid);
  auto pause = std::chrono::milliseconds(2);
  while (true) {
    if (const int signal = interrupt_signal()) {
      kill_and_reap_group(pid);
      throw Interrupted(signal);
    }
    int status = 0;
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) return status;
    if (done < 0 && errno != EINTR) throw std::runtime_error(fmt::format("waitpid failed: {}", std::strerror(errno)));
    if (Clock::now() >= deadline) {
      // The tool's own children (yosys runs abc) are in its process group: kill them all.
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
      while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      return std::nullopt;
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
}

/// Whether a log's tail reads like a failed allocation: C++'s bad_alloc, strerror(ENOMEM), Python's
/// MemoryError, or an "out of memory" message.
bool ran_out_of_memory(const std::string& tail) {
  for (const char* sign : {"bad_alloc", "Cannot allocate memory", "MemoryError", "out of memory"})
    if (tail.find(sign) != std::string::npos) return true;
  return false;
}

}  // namespace

std::uint64_t default_tool_memory_limit(int jobs) {
  return memory_limit().bytes / static_cast<std::uint64_t>(std::max(jobs, 1));
}

ToolRunner::ToolRunner() {
  const char* path = std::getenv("PATH");
  search_path_ = path != nullptr ? path : "/usr/bin:/bin";
}

ToolRunner::ToolRunner(std::string search_path) : search_path_(std::move(search_path)) {}

std::optional<fs::path> ToolRunner::find(const std::string& program) const {
  if (program.find('/') != std::string::npos) {
    if (access(program.c_str(), X_OK) == 0) return fs::path(program);
    return std::nullopt;
  }
  std::size_t start = 0;
  while (start <= search_path_.size()) {
    const auto end = std::min(search_path_.find(':', start), search_path_.size());
    const std::string dir = search_path_.substr(start, end - start);
    if (!dir.empty()) {
      const fs::path candidate = fs::path(dir) / program;
      if (access(candidate.c_str(), X_OK) == 0 && !fs::is_directory(candidate)) return candidate;
    }
    start = end + 1;
  }
  return std::nullopt;
}

ToolResult ToolRunner::run(const ToolCommand& command) {
  throw_if_interrupted();  // after SIGINT/SIGTERM no tool starts
  const auto program = find(command.program);
  if (!program)
    throw std::runtime_error(fmt::format("{} not found on the search path ({}): install the Debian package {}",
                                         command.program, search_path_, debian_package_of(command.program)));
  if (!command.log.empty() && command.log.has_parent_path()) fs::create_directories(command.log.parent_path());

  std::vector<std::string> words{program->string()};
  words.insert(words.end(), command.args.begin(), command.args.end());
  std::vector<char*> argv;
  for (auto& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);

  SpawnSetup setup;
  const std::string log = command.log.empty() ? std::string("/dev/null") : command.log.string();
  posix_spawn_file_actions_addopen(&setup.actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&setup.actions, STDOUT_FILENO, STDERR_FILENO);
  posix_spawn_file_actions_addopen(&setup.actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  const std::string work_dir = command.work_dir.string();
  if (!work_dir.empty()) posix_spawn_file_actions_addchdir_np(&setup.actions, work_dir.c_str());
  // Its own process group, so a timeout kills the tool's helpers too.
  posix_spawnattr_setflags(&setup.attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&setup.attributes, 0);

  const auto start = Clock::now();
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, argv[0], &setup.actions, &setup.attributes, argv.data(), environ);
  if (spawned != 0)
    throw std::runtime_error(fmt::format("{}: cannot start: {} (log: {})", command.program, std::strerror(spawned), log));
  ++runs_;
  // posix_spawn cannot set a limit in the child, so it is set from here at once: posix_spawn returns
  // once the child has called exec, and the tool has not allocated much before its main() runs.
  if (command.memory_limit > 0) {
    const rlimit limit{command.memory_limit, command.memory_limit};
    if (prlimit(pid, RLIMIT_AS, &limit, nullptr) != 0) {
      kill_and_reap_group(pid);
      throw std::runtime_error(fmt::format("{}: cannot bound its memory: {}", command.program, std::strerror(errno)));
    }
  }

  const auto status = wait_with_deadline(pid, start + command.timeout);
  ToolResult result;
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (!status)
    throw std::runtime_error(fmt::format("{} timed out after {:.1f} s and was killed (log: {})", command.program,
                                         std::chrono::duration<double>(command.timeout).count(), log));
  const std::string tail = WIFSIGNALED(*status) || WEXITSTATUS(*status) != 0 ? log_tail(command.log, 5) : "";
  const std::string bound = command.memory_limit > 0 && ran_out_of_memory(tail)
                                ? fmt::format(" after using up the {} of address space it may map",
                                              format_bytes(static_cast<double>(command.memory_limit)))
                                : "";
  if (WIFSIGNALED(*status))
    throw std::runtime_error(fmt::format("{} was killed by signal {}{} (log: {}){}", command.program, WTERMSIG(*status),
                                         bound, log, tail));
  if (WEXITSTATUS(*status) != 0)
    throw std::runtime_error(fmt::format("{} failed with exit code {}{} (log: {}){}", command.program,
                                         WEXITSTATUS(*status), bound, log, tail));
  return result;
}

std::string ToolRunner::first_output_line(const std::string& program, const std::vector<std::string>& args,
                                          const fs::path& scratch_dir) {
  fs::create_directories(scratch_dir);
  // One log per process: processes sharing a cache (MPI ranks, two studies) ask at the same time.
  const auto log = scratch_dir / fmt::format("{}-version-{}.txt", program, ::getpid());
  run({program, args, {}, log, std::chrono::seconds(30)});
  std::string line;
  {
    std::ifstream in(log);
    std::getline(in, line);
  }
  std::error_code ignored;
  fs::remove(log, ignored);
  return line;
}

std::string debian_package_of(const std::string& program) {
  if (program == "icepack" || program == "icetime") return "fpga-icestorm";
  if (program == "nextpnr-ice40") return "nextpnr-ice40";
  if (program == "verilator") return "verilator";
  return program;
}

}  // namespace codse::hw
