#pragma once
// Runs one shell command line (`/bin/sh -c LINE`) as a child process in a directory: its own
// process group (a timeout or an interruption kills the command and everything it started), stdin
// from /dev/null, stderr into a log file and stdout into the same log, where it is also scanned for
// its last non-empty line (the metrics line of `codse dse --command`). Fork and exec rather than
// std::system: the wait polls the deadline and SIGINT/SIGTERM, and several run at once from threads.

#include <chrono>
#include <filesystem>
#include <string>

namespace codse {

struct ShellCommand {
  std::string line;                 ///< given to /bin/sh -c
  std::filesystem::path directory;  ///< the working directory (must exist)
  std::filesystem::path log;        ///< stdout and stderr, truncated first
  std::chrono::duration<double> timeout{0};  ///< 0: none
};

struct ShellOutcome {
  enum class End { exited, signalled, timed_out };
  End end = End::exited;
  int code = 0;  ///< the exit code, or the signal that ended the command
  std::string last_stdout_line;  ///< the last non-empty line written to stdout, without its newline
  double seconds = 0.0;

  bool succeeded() const { return end == End::exited && code == 0; }
  /// "exit code 3", "killed by signal 9", "timed out after 2.0 s".
  std::string describe(const ShellCommand& command) const;
};

/// Runs the command to its end. Throws std::runtime_error when it cannot start (a missing
/// directory, no /bin/sh, no log); throws Interrupted after killing the command's process group
/// when SIGINT or SIGTERM arrives. Thread-safe. The shell runs under a small supervisor (a fork of
/// codse leading the process group) that kills the whole group when codse itself dies, even by
/// SIGKILL: a killed study leaves no evaluation behind that would finish unseen.
ShellOutcome run_shell_command(const ShellCommand& command);

}  // namespace codse
