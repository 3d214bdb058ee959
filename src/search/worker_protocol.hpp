#pragma once
// The messages between a study's coordinator and its workers (worker processes of a
// ProcessPoolExecutor, or MPI ranks), and the worker's loop. A message is one line of JSON:
//   coordinator -> worker   {"slot": 3, "job": {"number": 17, "design": [...], "input": ...}}
//                           {"stop": true}
//   worker -> coordinator   {"slot": 3, "trials": [...]}       the job's trials (trial_json.hpp)
//                           {"slot": 3, "error": "..."}        the evaluator itself failed
// `slot` is the job's place in the batch the coordinator is running. The transport (a pipe, MPI)
// only moves the text, so every executor runs the same worker loop.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/trial.hpp"
#include "search/job_evaluator.hpp"

namespace codse {

/// The worker's end of its connection to the coordinator.
class WorkerLink {
 public:
  virtual ~WorkerLink() = default;
  /// The next message, or nothing when the coordinator has gone.
  virtual std::optional<std::string> receive() = 0;
  virtual void send(const std::string& message) = 0;
};

std::string job_message(std::size_t slot, const EvaluationJob& job);
std::string stop_message();

struct WorkerReply {
  std::size_t slot = 0;
  std::vector<Trial> trials;
  std::string error;  ///< not empty: the evaluator threw (not a failed design: the run ends)
};
std::string reply_message(const WorkerReply& reply);
/// Throws InputError when text is not a reply message.
WorkerReply parse_reply(const std::string& text);

/// Evaluates every job the link brings and answers with its trials, until a stop message or the
/// end of the link. Interrupted (SIGINT/SIGTERM) ends the loop without an answer: the coordinator
/// abandons that job.
void serve_jobs(JobEvaluator& evaluator, WorkerLink& link);

}  // namespace codse
