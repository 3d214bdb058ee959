#pragma once
// Where a command's evaluations run: in this process, in `--workers N` worker processes (copies of
// the same command with --worker-pipe added, so each builds the same evaluator from the same
// arguments) or on the ranks of an MPI job (every rank runs the same command; rank 0 coordinates).
// A command that can spread its evaluations asks serves_jobs() first: a worker process or an MPI
// rank other than 0 then serves jobs and returns instead of running the study.

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "search/executor.hpp"
#include "search/job_evaluator.hpp"

namespace codse {

/// main() hands its arguments over before parsing them: the workers' command is built from them.
void remember_command_line(int argc, char** argv);

/// Whether this process evaluates jobs for a coordinator (--worker-pipe, or an MPI rank above 0).
bool serves_jobs(bool worker_pipe);
/// Serves the coordinator's jobs with evaluator until it says stop. Throws Interrupted after
/// SIGINT/SIGTERM.
void serve_jobs_for_coordinator(JobEvaluator& evaluator, bool worker_pipe);
/// Whether this process has been serving jobs: main then leaves messages about an interruption to
/// the coordinator, which says how to resume.
bool served_jobs();

/// How to run the same command again to resume: "codse ARGS --resume", or for an MPI job the
/// launcher's command, which codse cannot see.
std::string resume_command(const std::string& codse_arguments);

/// The executor of a coordinating process: the MPI ranks when there are several, else `workers`
/// threads over in_threads when it is given (a table lookup needs no processes), else `workers`
/// worker processes, or nullptr for one (evaluate in this process).
std::unique_ptr<Executor> make_evaluation_executor(std::size_t workers, JobEvaluator* in_threads = nullptr);

/// "2 worker processes", "3 MPI ranks (2 evaluate)", "this process": for the run's first line.
std::string evaluation_workers_text(std::size_t workers, bool threads = false);

}  // namespace codse
