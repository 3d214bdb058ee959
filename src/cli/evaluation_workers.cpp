#include "cli/evaluation_workers.hpp"

#include <fmt/format.h>

#include "cli/progress_line.hpp"
#include "core/interrupt.hpp"
#include "search/mpi/mpi_executor.hpp"
#include "search/mpi/mpi_session.hpp"
#include "search/pipe_worker_link.hpp"
#include "search/process_pool_executor.hpp"
#include "search/worker_protocol.hpp"

namespace codse {
namespace {

std::vector<std::string>& command_line() {
  static std::vector<std::string> arguments;
  return arguments;
}

bool serving = false;

}  // namespace

void remember_command_line(int argc, char** argv) { command_line().assign(argv, argv + argc); }

bool serves_jobs(bool worker_pipe) { return worker_pipe || (MpiSession::active() && MpiSession::rank() != 0); }

void serve_jobs_for_coordinator(JobEvaluator& evaluator, bool worker_pipe) {
  ProgressLine::set_quiet(true);  // the coordinator shows the progress
  set_resume_hint("");             // and says how to resume
  serving = true;
  if (worker_pipe) {
    PipeWorkerLink link;
    serve_jobs(evaluator, link);
  } else {
    MpiWorkerLink link;
    serve_jobs(evaluator, link);
  }
  throw_if_interrupted();
}

bool served_jobs() { return serving; }

std::string resume_command(const std::string& codse_arguments) {
  if (MpiSession::active()) return fmt::format("the same mpirun/srun command with codse {}", codse_arguments);
  return "codse " + codse_arguments;
}

std::unique_ptr<Executor> make_evaluation_executor(std::size_t workers, JobEvaluator* in_threads) {
  if (MpiSession::active()) return std::make_unique<MpiExecutor>();
  if (in_threads) return std::make_unique<ThreadPoolExecutor>(*in_threads, workers);
  if (workers <= 1) return nullptr;
  auto command = command_line();
  command.push_back("--worker-pipe");
  return std::make_unique<ProcessPoolExecutor>("/proc/self/exe", std::move(command), workers);
}

std::string evaluation_workers_text(std::size_t workers, bool threads) {
  if (MpiSession::active())
    return fmt::format("{} MPI ranks ({} evaluate)", MpiSession::size(), MpiSession::size() - 1);
  if (workers <= 1) return "this process";
  return fmt::format("{} worker {}", workers, threads ? "threads" : "processes");
}

}  // namespace codse
