#pragma once
// An Executor evaluates a batch of asked designs: in this thread (InlineExecutor) or several at a
// time (ThreadPoolExecutor; a process pool or MPI would be further implementations). The Study
// hands it each batch; the executor reports every trial as it finishes, so the Study records it at
// once, and returns the batch in ask order, so what the explorer is told (and so every later ask)
// does not depend on which evaluation finished first or on the number of workers.

#include <cstddef>
#include <functional>
#include <optional>
#include <vector>

#include "core/design.hpp"
#include "core/trial.hpp"
#include "search/evaluator.hpp"

namespace codse {

/// One asked design and the trial number it gets.
struct EvaluationJob {
  std::size_t number = 0;
  Design design;
};

/// Evaluates one design as a trial: metrics, or status failed with the exception's message; the
/// wall time when the evaluator did not set it. Interrupted (core/interrupt.hpp) passes through.
Trial evaluate_trial(Evaluator& evaluator, const EvaluationJob& job);

class Executor {
 public:
  using Finished = std::function<void(const Trial&)>;
  virtual ~Executor() = default;

  /// Evaluates the jobs and calls finished(trial) for each as it finishes, never two calls at once.
  /// Returns one entry per job, in the jobs' order; an entry is empty when its evaluation did not
  /// start or was stopped because SIGINT/SIGTERM arrived (then finished() was not called for it).
  /// An exception thrown by finished() stops the batch and is rethrown here.
  virtual std::vector<std::optional<Trial>> run(Evaluator& evaluator, const std::vector<EvaluationJob>& jobs,
                                                const Finished& finished) = 0;
  /// How many evaluations run at once: the batch size worth asking for.
  virtual std::size_t workers() const = 0;
};

/// One evaluation after the other, in this thread (what a table lookup needs).
class InlineExecutor final : public Executor {
 public:
  std::vector<std::optional<Trial>> run(Evaluator& evaluator, const std::vector<EvaluationJob>& jobs,
                                        const Finished& finished) override;
  std::size_t workers() const override { return 1; }
};

/// Up to `workers` evaluations at a time, each in a thread of its own calling the evaluator
/// concurrently: the evaluator must be thread-safe (a command evaluator runs one subprocess per
/// call). Threads take the jobs in ask order.
class ThreadPoolExecutor final : public Executor {
 public:
  /// Throws InputError when workers is 0.
  explicit ThreadPoolExecutor(std::size_t workers);
  std::vector<std::optional<Trial>> run(Evaluator& evaluator, const std::vector<EvaluationJob>& jobs,
                                        const Finished& finished) override;
  std::size_t workers() const override { return workers_; }

 private:
  std::size_t workers_;
};

}  // namespace codse
