#pragma once
// What a study does with its jobs besides asking and evaluating them. The default is a hardware
// DSE: one trial per asked design, numbered by its ask position, told to the explorer as it is.
// The co-exploration plans networks: a job is a network with its parent (the job's input), it
// gives one trial per chosen mapping, numbered when recorded, and the explorer is told a summary
// of them. Study runs both with the same batches, executors and replay.

#include <cstddef>
#include <optional>
#include <vector>

#include "core/design.hpp"
#include "core/trial.hpp"
#include "search/job_evaluator.hpp"

namespace codse {

class JobPlan {
 public:
  virtual ~JobPlan() = default;
  /// The job of the design asked at position `position` (0, 1, ... over the whole study).
  virtual EvaluationJob job(std::size_t position, const Design& asked) { return {position, asked, nullptr, 0.0}; }
  /// Whether each job gives exactly one trial numbered by its position: then a trial is recorded
  /// the moment it finishes; otherwise trials are numbered and recorded in ask order.
  virtual bool one_trial_per_job() const { return true; }
  /// The asked design a recorded trial came from (a resumed study groups its trials by it), or
  /// nothing for a trial the study does not own (a later phase's, in the same journal).
  virtual std::optional<Design> asked_design(const Trial& trial) const { return trial.design; }
  /// What the explorer is told of one job's trials.
  virtual Trial told(const Design& /*asked*/, const std::vector<Trial>& trials) const { return trials.front(); }
  /// Whether another evaluation may start (e.g. within a wall-time budget). Replays always may.
  virtual bool may_start() const { return true; }
  /// A job's trials, recorded (or replayed) in ask order: progress, documents.
  virtual void taken(const Design& /*asked*/, const std::vector<Trial>& /*trials*/, bool /*replayed*/) {}

  /// Several trials per job only: the trials of jobs that finished while one asked before them
  /// was still running when a signal stopped the study. They cannot be numbered yet; a plan that
  /// keeps them (a document in the store) hands them back to the resumed study in their turn,
  /// instead of evaluating them again.
  virtual void keep_unrecorded(const std::vector<std::pair<Design, std::vector<Trial>>>& /*finished*/) {}
  virtual std::optional<std::vector<Trial>> kept(const Design& /*asked*/) const { return std::nullopt; }
  /// Called when a kept job's trials have been recorded.
  virtual void recorded_kept(const Design& /*asked*/) {}
};

}  // namespace codse
