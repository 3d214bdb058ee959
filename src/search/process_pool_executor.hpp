#pragma once
// Evaluations in worker processes on this machine (`--workers N`): each worker is a copy of the
// codse command with `--worker-pipe` added, which builds the same evaluator from the same
// arguments and serves jobs (worker_protocol.hpp) on file descriptors 3 (jobs in) and 4 (trials
// out); any program that speaks the protocol on those descriptors can be a worker. Processes rather than threads because a training run owns its process's torch and BLAS
// threads and memory, and a worker that crashes takes only itself down.
//
// Workers start at the first batch and live until the executor is destroyed; their stdout goes to
// the coordinator's stderr, so the coordinator's stdout stays the summary. A worker that dies ends
// the run with an error naming it, its pid, how it ended and the trial it was evaluating; after
// SIGINT/SIGTERM the running evaluations are abandoned (their workers are killed) and the outcomes
// of the unfinished jobs are empty, so the study records exactly what finished.

#include <sys/types.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "search/executor.hpp"

namespace codse {

class ProcessPoolExecutor final : public Executor {
 public:
  /// Starts `workers` processes of executable (codse passes its own, /proc/self/exe) with argv
  /// command. Throws InputError when workers is 0 or command is empty.
  ProcessPoolExecutor(std::string executable, std::vector<std::string> command, std::size_t workers);
  ~ProcessPoolExecutor() override;
  ProcessPoolExecutor(const ProcessPoolExecutor&) = delete;
  ProcessPoolExecutor& operator=(const ProcessPoolExecutor&) = delete;

  std::vector<Outcome> run(const std::vector<EvaluationJob>& jobs, const Finished& finished) override;
  std::size_t workers() const override { return count_; }

  struct Worker;

 private:
  void start_workers();
  void stop_workers() noexcept;

  std::string executable_;
  std::vector<std::string> command_;
  std::size_t count_;
  std::vector<std::unique_ptr<Worker>> workers_;
};

}  // namespace codse
