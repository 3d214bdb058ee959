#pragma once
// Every `--help` ends with an example a user can paste (run from the repository's root).

#include <string>

#include <CLI/CLI.hpp>

namespace codse {

inline void set_help_example(CLI::App* command, const std::string& example) {
  command->footer("Example:\n  " + example);
}

}  // namespace codse
