#pragma once
// An Executor evaluates a batch of asked jobs: in this thread (InlineExecutor), in threads
// (ThreadPoolExecutor), in worker processes (ProcessPoolExecutor) or on MPI ranks (MpiExecutor,
// src/search/mpi). A study hands it each batch; the executor reports every job as it finishes, so
// the study records its trials at once, and returns the batch in ask order, so what the explorer
// is told (and so every later ask) does not depend on which evaluation finished first or on the
// number of workers.

#include <cstddef>
#include <functional>
#include <optional>
#include <stdexcept>
#include <vector>

#include "core/trial.hpp"
#include "search/job_evaluator.hpp"

namespace codse {

/// A worker process or rank died: what finished before it is recorded, so the run can resume.
class WorkerLost : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Executor {
 public:
  /// A job's trials, or nothing when it did not finish (not started, or stopped by a signal).
  using Outcome = std::optional<std::vector<Trial>>;
  using Finished = std::function<void(std::size_t job_index, const std::vector<Trial>& trials)>;
  virtual ~Executor() = default;

  /// Evaluates the jobs and calls finished(index, trials) for each as it finishes, never two calls
  /// at once. Returns one outcome per job, in the jobs' order; after SIGINT/SIGTERM nothing new
  /// starts, running evaluations are abandoned and their outcomes are empty (finished() was not
  /// called for them). An exception thrown by finished() stops the batch and is rethrown here.
  virtual std::vector<Outcome> run(const std::vector<EvaluationJob>& jobs, const Finished& finished) = 0;
  /// How many evaluations run at once: the batch size worth asking for.
  virtual std::size_t workers() const = 0;
};

/// One evaluation after the other, in this thread (what a table lookup needs).
class InlineExecutor final : public Executor {
 public:
  /// evaluator must outlive this.
  explicit InlineExecutor(JobEvaluator& evaluator) : evaluator_(&evaluator) {}
  std::vector<Outcome> run(const std::vector<EvaluationJob>& jobs, const Finished& finished) override;
  std::size_t workers() const override { return 1; }

 private:
  JobEvaluator* evaluator_;
};

/// Up to `workers` evaluations at a time, each in a thread of its own calling the evaluator
/// concurrently: the evaluator must be thread-safe (a command evaluator runs one subprocess per
/// call; a table lookup only reads). Threads take the jobs in ask order.
class ThreadPoolExecutor final : public Executor {
 public:
  /// Throws InputError when workers is 0.
  ThreadPoolExecutor(JobEvaluator& evaluator, std::size_t workers);
  std::vector<Outcome> run(const std::vector<EvaluationJob>& jobs, const Finished& finished) override;
  std::size_t workers() const override { return workers_; }

 private:
  JobEvaluator* evaluator_;
  std::size_t workers_;
};

}  // namespace codse
