#pragma once
// What an executor runs: one asked design as a job, evaluated into its trials. A hardware design
// is one trial (DesignEvaluation wraps an Evaluator); a network of the co-exploration is one trial
// per chosen mapping, or one failed trial with its reason. Jobs carry what a worker process needs
// besides the design (`input`), so the same job runs in this process, in a pool of worker
// processes or on another MPI rank, with the same trials.

#include <cstddef>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/design.hpp"
#include "core/trial.hpp"
#include "search/evaluator.hpp"

namespace codse {

/// One asked design and its position in the ask order (the trial number of a one-trial
/// evaluation; a multi-trial evaluation numbers its trials from 0 and the study renumbers them).
struct EvaluationJob {
  std::size_t number = 0;
  Design design;
  nlohmann::json input;  ///< what a worker needs besides the design (null when nothing)
  /// Its expected cost relative to the batch's other jobs (0: unknown). Executors with several
  /// workers start the costliest first, so a long job does not start last and leave the others
  /// idle at the end of the batch; the outcomes are in ask order whatever the start order.
  double cost = 0.0;
};

/// The jobs' indices in the order to start them: costliest first, ties in ask order.
std::vector<std::size_t> start_order(const std::vector<EvaluationJob>& jobs);

class JobEvaluator {
 public:
  virtual ~JobEvaluator() = default;
  /// The job's trials. A design that cannot be evaluated is a failed trial with its reason, not an
  /// exception; Interrupted (core/interrupt.hpp) passes through; any other exception ends the run.
  virtual std::vector<Trial> evaluate(const EvaluationJob& job) = 0;
};

/// Evaluates one design as a trial numbered job.number: metrics, or status failed with the
/// exception's message; the wall time when the evaluator did not set it.
Trial evaluate_trial(Evaluator& evaluator, const EvaluationJob& job);

/// An Evaluator's jobs: one trial each (evaluate_trial).
class DesignEvaluation final : public JobEvaluator {
 public:
  /// evaluator must outlive this.
  explicit DesignEvaluation(Evaluator& evaluator) : evaluator_(&evaluator) {}
  std::vector<Trial> evaluate(const EvaluationJob& job) override { return {evaluate_trial(*evaluator_, job)}; }

 private:
  Evaluator* evaluator_;
};

}  // namespace codse
