#pragma once
// Runs the codse binary as a user would, capturing its exit code and output.

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace codse::testing {

struct CommandResult {
  int exit_code = -1;
  std::string output;  ///< stdout and stderr together
};

/// Runs `codse ARGS` through the shell (arguments are pasted as given: quote them); `environment`
/// is pasted before the binary, e.g. "env -u VAR NAME=value".
inline CommandResult run_codse(const std::string& args, const std::string& environment = "") {
  CommandResult result;
  const std::string command = environment + (environment.empty() ? "" : " ") + CODSE_BINARY + " " + args + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return result;
  std::array<char, 4096> buffer{};
  while (fgets(buffer.data(), buffer.size(), pipe)) result.output += buffer.data();
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace codse::testing
