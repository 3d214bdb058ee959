#pragma once
// Evaluations on MPI ranks: rank 0 runs the study (explorer, store) and this executor, which sends
// each job to an idle rank of 1..size-1 and takes the trials back in whatever order they finish
// (the study still tells them in ask order). Every rank runs the same codse command, so each
// builds the same evaluator from the same arguments; artifacts (weights, RTL) go to a directory
// every rank reaches. A rank that dies is reported by the launcher (mpirun/srun name it) and the
// job ends; the store holds every trial recorded before, and --resume continues from there.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "search/executor.hpp"
#include "search/worker_protocol.hpp"

namespace codse {

class MpiExecutor final : public Executor {
 public:
  /// On rank 0 of an active MpiSession (throws std::logic_error otherwise).
  MpiExecutor();
  /// Sends every worker rank the stop message.
  ~MpiExecutor() override;
  MpiExecutor(const MpiExecutor&) = delete;
  MpiExecutor& operator=(const MpiExecutor&) = delete;

  std::vector<Outcome> run(const std::vector<EvaluationJob>& jobs, const Finished& finished) override;
  std::size_t workers() const override { return busy_.size(); }

 private:
  std::vector<std::optional<std::size_t>> busy_;  // per worker rank (rank - 1): the slot it evaluates
};

/// A worker rank's end: jobs from rank 0, trials back to it.
class MpiWorkerLink final : public WorkerLink {
 public:
  std::optional<std::string> receive() override;
  void send(const std::string& message) override;
};

}  // namespace codse
