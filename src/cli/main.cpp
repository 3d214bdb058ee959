// codse: hardware/software co-design space exploration of ML accelerators.
// Exit codes: 0 success, 1 failure while running, 2 bad usage or bad input.

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string_view>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/dse_command.hpp"
#include "cli/eval_command.hpp"
#include "cli/explore_command.hpp"
#include "cli/export_command.hpp"
#include "cli/hw_command.hpp"
#include "cli/report_command.hpp"
#include "cli/train_command.hpp"
#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "nn/train/blas_runtime.hpp"

namespace {

/// Whether the subcommand trains networks with torch, whose matrix products run on OpenBLAS.
/// Only these restart: loading codse (libtorch) again costs about 0.45 CPU s.
bool trains_networks(int argc, char** argv) {
  // The subcommand is the first argument not starting with '-' (codse's own options take no value).
  for (int i = 1; i < argc; ++i) {
    const std::string_view argument = argv[i];
    if (!argument.starts_with('-')) return argument == "train" || argument == "explore";
  }
  return false;
}

/// Restarts this executable with the same arguments and OPENBLAS_CORETYPE set when OpenBLAS chose
/// kernels far below what the CPU supports (nn/train/blas_runtime.hpp says why and when). OpenBLAS
/// reads the variable when it is loaded, before main, hence the restart. The variable being set
/// is what keeps the restarted process from restarting again. Returns only when codse carries on
/// with the kernels it has.
void restart_with_better_blas_kernels(int argc, char** argv) {
  if (!trains_networks(argc, argv)) return;
  const auto core = codse::nn::blas_core_to_switch_to(codse::nn::BlasSituation::of_this_process());
  if (!core) return;
  setenv("OPENBLAS_CORETYPE", core->c_str(), 1);
  execv("/proc/self/exe", argv);
  // Still here: the restart failed. Without the variable, train's advice says how to switch by hand.
  const int error = errno;
  unsetenv("OPENBLAS_CORETYPE");
  fmt::print(stderr, "codse: note: could not restart with OPENBLAS_CORETYPE={}: {}\n", *core, std::strerror(error));
}

}  // namespace

int main(int argc, char** argv) {
  restart_with_better_blas_kernels(argc, argv);
  CLI::App app{"codse: co-design space exploration of ML accelerators"};
  app.footer(
      "OpenBLAS kernels: when OpenBLAS falls back to kernels without AVX on a CPU with AVX-512 or AVX2 (OpenBLAS "
      "0.3.21 does not recognise some newer CPUs), `codse train` and `codse explore` restart themselves with "
      "OPENBLAS_CORETYPE=SkylakeX or Haswell (about 3x faster training; accuracies can differ in the last digits). "
      "Set OPENBLAS_CORETYPE yourself to choose the kernels, or CODSE_KEEP_BLAS=1 to keep OpenBLAS's choice.");
  app.require_subcommand(1);
  app.set_version_flag("--version", "codse 0.1.0");
  codse::add_dse_command(app);
  codse::add_explore_command(app);
  codse::add_hw_command(app);
  codse::add_train_command(app);
  codse::add_report_command(app);
  codse::add_export_command(app);
  codse::add_eval_command(app);
  codse::install_interrupt_handlers();
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
  } catch (const codse::Interrupted& e) {
    const auto& hint = codse::resume_hint();
    fmt::print(stderr, "\ncodse: interrupted by {}: stopped{}\n", e.signal_name(),
               hint.empty() ? std::string() : "; " + hint);
    return e.exit_code();
  }
  return 0;
}
