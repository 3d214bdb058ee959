// codse: hardware/software co-design space exploration of ML accelerators.
// Exit codes: 0 success, 1 failure while running, 2 bad usage or bad input.

#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/dse_command.hpp"
#include "cli/explore_command.hpp"
#include "cli/hw_command.hpp"
#include "cli/report_command.hpp"
#include "cli/train_command.hpp"
#include "core/error.hpp"

int main(int argc, char** argv) {
  CLI::App app{"codse: co-design space exploration of ML accelerators"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "codse 0.1.0");
  codse::add_dse_command(app);
  codse::add_explore_command(app);
  codse::add_hw_command(app);
  codse::add_train_command(app);
  codse::add_report_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "codse: error: {} (see --help)\n", e.what());
    return 2;
  } catch (const codse::InputError& e) {
    fmt::print(stderr, "codse: error: {}\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "codse: failed: {}\n", e.what());
    return 1;
  }
  return 0;
}
