#pragma once
// A network of the co-exploration as an executor's job: what a worker process or MPI rank needs to
// train and map it without the coordinator's explorer (the candidate, its parent's network whose
// stored weights it inherits, and the parent's first trial number the trials refer to), as JSON.

#include <cstddef>
#include <optional>

#include <nlohmann/json.hpp>

#include "explore/network_candidate.hpp"
#include "search/job_evaluator.hpp"

namespace codse::explore {

struct NetworkJob {
  NetworkCandidate candidate;
  std::optional<NetworkCandidate> parent;    // its network and id: the weights it inherits
  std::optional<std::size_t> parent_trial;  // the parent's first trial number
};

/// The job of candidate (ask position number), with its parent when it has one.
EvaluationJob network_job(std::size_t number, const NetworkCandidate& candidate, const NetworkCandidate* parent,
                          std::optional<std::size_t> parent_trial);
/// Throws InputError naming the field when job.input is not what network_job writes.
NetworkJob read_network_job(const EvaluationJob& job);

}  // namespace codse::explore
