#pragma once
// `codse completion bash`: a bash completion script made from the command tree itself, so it
// never falls behind the options (the build installs it, see src/CMakeLists.txt).

#include <string>

#include <CLI/CLI.hpp>

namespace codse {

/// The script for the subcommands and options of app (and everything below it).
std::string bash_completion(const CLI::App& app);

/// Adds `completion bash` to app; call after every other subcommand is added.
void add_completion_command(CLI::App& app);

}  // namespace codse
