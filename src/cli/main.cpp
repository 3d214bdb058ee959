// codse: hardware/software co-design space exploration of ML accelerators.
// Exit codes: 0 success, 1 failure while running, 2 bad usage or bad input.

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <string_view>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/dse_command.hpp"
#include "cli/eval_command.hpp"
#include "cli/evaluation_workers.hpp"
#include "cli/explore_command.hpp"
#include "cli/export_command.hpp"
#include "cli/hw_command.hpp"
#include "cli/import_command.hpp"
#include "cli/progress_line.hpp"
#include "cli/report_command.hpp"
#include "cli/shell_completion.hpp"
#include "cli/train_command.hpp"
#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "nn/train/blas_runtime.hpp"
#include "search/mpi/mpi_session.hpp"

/// "codse 0.1.0 (commit ...)": cmake/write_version.cmake writes it at every build.
const char* codse_version_text();

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

/// libtorch appends its C++ stack trace ("frame #0: ...") to every message; a user needs the
/// message, and the trace only when debugging codse itself.
std::string_view without_backtrace(std::string_view message) {
  const auto frames = message.find("\nframe #");
  return frames == std::string_view::npos ? message : message.substr(0, frames);
}

}  // namespace

/// MPI_Finalize on every way out of main (search/mpi/mpi_session.hpp).
struct MpiScope {
  MpiScope(int* argc, char*** argv) { codse::MpiSession::start(argc, argv); }
  ~MpiScope() { codse::MpiSession::finish(); }
  MpiScope(const MpiScope&) = delete;
  MpiScope& operator=(const MpiScope&) = delete;
};

int main(int argc, char** argv) {
  restart_with_better_blas_kernels(argc, argv);
  const MpiScope mpi(&argc, &argv);
  codse::remember_command_line(argc, argv);
  CLI::App app{"codse: co-design space exploration of ML accelerators"};
  app.require_subcommand(1);
  app.set_version_flag("--version", codse_version_text());
  // Options of codse itself may also follow the subcommand (codse explore x.yaml --quiet).
  app.fallthrough();
  app.add_flag_callback("-q,--quiet", [] { codse::ProgressLine::set_quiet(true); },
                        "No progress display (results and errors are still printed)")
      ->trigger_on_parse();
  codse::add_dse_command(app);
  codse::add_explore_command(app);
  codse::add_hw_command(app);
  codse::add_import_command(app);
  codse::add_train_command(app);
  codse::add_report_command(app);
  codse::add_export_command(app);
  codse::add_eval_command(app);
  codse::add_completion_command(app);
  // The kernel note only where training runs.
  const std::string blas_note =
      "OpenBLAS kernels: when OpenBLAS falls back to kernels without AVX on a CPU with AVX-512 or AVX2 (OpenBLAS "
      "0.3.21 does not recognise some newer CPUs), `codse train` and `codse explore` restart themselves with "
      "OPENBLAS_CORETYPE=SkylakeX or Haswell (about 3x faster training; accuracies can differ in the last digits). "
      "Set OPENBLAS_CORETYPE yourself to choose the kernels, or CODSE_KEEP_BLAS=1 to keep OpenBLAS's choice.";
  for (const char* name : {"train", "explore"}) {
    auto* command = app.get_subcommand(name);
    command->footer(command->get_footer().empty() ? blas_note : command->get_footer() + "\n\n" + blas_note);
  }
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
  } catch (const std::bad_alloc&) {
    fmt::print(stderr, "codse: failed: out of memory (a size in the input may be larger than this machine can hold)\n");
    return 1;
  } catch (const codse::WorkerLost& e) {
    const auto& hint = codse::resume_hint();
    fmt::print(stderr, "codse: failed: {}{}\n", e.what(), hint.empty() ? std::string() : "; " + hint);
    return 1;
  } catch (const std::exception& e) {
    fmt::print(stderr, "codse: failed: {}\n", without_backtrace(e.what()));
    return 1;
  } catch (const codse::Interrupted& e) {
    if (codse::served_jobs()) return e.exit_code();  // the coordinator says what happened
    const auto& hint = codse::resume_hint();
    fmt::print(stderr, "\ncodse: interrupted by {}: stopped{}\n", e.signal_name(),
               hint.empty() ? std::string() : "; " + hint);
    return e.exit_code();
  }
  return 0;
}
