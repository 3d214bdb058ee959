#pragma once
// A Study runs an explorer against an evaluator to a budget and records every finished trial in a
// journal (Optuna's study). It is the one loop of codse's searches: hardware DSE tables and live
// tool runs, the HAL's mapping search, the synthesis explorer and the co-exploration of networks
// (whose JobPlan makes a job of each network and several trials of it). Jobs run through an
// Executor: in this thread, in threads, in worker processes or on MPI ranks, with the same trials.
//
// Resume is replay: explorers are deterministic functions of their seed and of the trials told in
// order, so re-asking and telling the journal's trials rebuilds the exact state an interrupted run
// had, and the run continues as if it had never stopped. A job whose evaluation was cut short was
// never recorded and is evaluated again; a recorded one never is.

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "core/trial.hpp"
#include "core/trial_journal.hpp"
#include "search/evaluator.hpp"
#include "search/executor.hpp"
#include "search/explorer.hpp"
#include "search/job_plan.hpp"

namespace codse {

struct StudyOptions {
  std::size_t budget = 0;  ///< at most this many jobs (trials of a one-trial plan), resumed ones included
  std::size_t batch = 1;   ///< designs asked at a time
};

/// Called after each trial (replayed or new), for progress displays and logs.
struct StudyEvent {
  const Trial& trial;
  bool replayed;          ///< true when the trial came from the journal
  std::size_t finished;   ///< trials finished so far, this one included
  std::size_t budget;
};

class Study {
 public:
  /// Evaluates in this thread (InlineExecutor over the evaluator).
  Study(Explorer& explorer, Evaluator& evaluator, TrialJournal& journal, StudyOptions options);
  /// Evaluates each asked batch through executor (threads, worker processes, MPI ranks); plan
  /// (null: one trial per job, JobPlan's defaults) must outlive the study. The trials and their
  /// order are the same for any executor: what the explorer is told is told in ask order.
  Study(Explorer& explorer, Executor& executor, TrialJournal& journal, StudyOptions options, JobPlan* plan = nullptr);

  void on_trial(std::function<void(const StudyEvent&)> callback) { callback_ = std::move(callback); }

  /// Runs until the budget is spent, the explorer is done or the plan may start nothing more;
  /// returns every trial by number. Throws InputError when the journal holds trials the explorer
  /// would not ask now (the journal was written with other settings).
  std::vector<Trial> run();

  std::size_t replayed_count() const { return replayed_; }
  std::size_t evaluated_count() const { return evaluated_; }
  /// The signal (SIGINT/SIGTERM) that stopped run() before its budget, or 0: run() then returns
  /// the trials recorded so far and evaluates nothing more (core/interrupt.hpp).
  int interrupted_by() const { return interrupted_by_; }

 private:
  enum class Source { stored, kept, evaluated };
  /// One asked design of the batch being run, in ask order.
  struct Entry {
    Design asked;
    Source source = Source::evaluated;
    std::optional<std::vector<Trial>> trials;  // known once replayed, kept or evaluated
    bool recorded = false;                     // in the journal already
    std::size_t job = 0;                       // its index among the batch's jobs (evaluated ones)
  };

  void check_options() const;
  void read_journal();
  /// The batch's entries for designs; stop is set when the plan may start nothing more.
  std::vector<Entry> plan_batch(const std::vector<Design>& designs, std::size_t position,
                                std::vector<EvaluationJob>& jobs, bool& stop);
  /// A one-trial job's trial, recorded the moment it finished.
  void record_finished(Entry& entry, const EvaluationJob& job, const std::vector<Trial>& trials);
  /// Records (if new), tells and keeps one entry's trials, in ask order.
  void take(Entry& entry, std::vector<Trial>& trials);
  /// After a signal: the finished entries not taken yet (kept by the plan, or already recorded).
  void set_aside(std::vector<Entry>& batch, std::size_t taken, std::vector<Trial>& trials);
  void report(const Trial& trial, bool replayed);
  [[noreturn]] static void refuse_resume(std::size_t number);

  std::unique_ptr<DesignEvaluation> own_evaluation_;  // the one-evaluator constructor's
  std::unique_ptr<InlineExecutor> own_executor_;
  JobPlan default_plan_;
  Explorer* explorer_;
  Executor* executor_;
  TrialJournal* journal_;
  StudyOptions options_;
  JobPlan* plan_;
  std::function<void(const StudyEvent&)> callback_;
  std::map<std::vector<double>, std::vector<Trial>> stored_;  // the journal's trials by asked design
  std::set<std::size_t> stored_numbers_;
  std::size_t next_number_ = 0;  // the number the next recorded trial gets
  std::size_t replayed_ = 0;
  std::size_t evaluated_ = 0;
  std::size_t finished_ = 0;
  int interrupted_by_ = 0;
};

}  // namespace codse
