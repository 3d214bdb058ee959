#pragma once
// A Study runs an explorer against an evaluator to a budget and records every finished trial in a
// journal (Optuna's study). Resume is replay: explorers are deterministic functions of their seed
// and of the trials told in order, so re-asking and telling the journal's trials rebuilds the exact
// state an interrupted run had, and the run continues as if it had never stopped. A design whose
// evaluation was cut short was never recorded and is evaluated again; a recorded one never is.

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "core/trial.hpp"
#include "core/trial_journal.hpp"
#include "search/evaluator.hpp"
#include "search/executor.hpp"
#include "search/explorer.hpp"

namespace codse {

struct StudyOptions {
  std::size_t budget = 0;  ///< at most this many trials in total (including resumed ones)
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
  /// Evaluates each asked batch through executor (threads, worker processes, MPI ranks), whose
  /// jobs must evaluate to one trial each (DesignEvaluation); the trials and their order are the
  /// same for any executor.
  Study(Explorer& explorer, Executor& executor, TrialJournal& journal, StudyOptions options);

  void on_trial(std::function<void(const StudyEvent&)> callback) { callback_ = std::move(callback); }

  /// Runs until the budget is spent or the explorer is done; returns every trial by number.
  /// Throws InputError when the journal holds a trial the explorer would not ask now (the
  /// journal was written with other settings).
  std::vector<Trial> run();

  std::size_t replayed_count() const { return replayed_; }
  std::size_t evaluated_count() const { return evaluated_; }
  /// The signal (SIGINT/SIGTERM) that stopped run() before its budget, or 0: run() then returns
  /// the trials recorded so far and evaluates nothing more (core/interrupt.hpp).
  int interrupted_by() const { return interrupted_by_; }

 private:
  void check_options() const;
  /// The one trial of a study's job (a multi-trial evaluator here is a programming error).
  static const Trial& only_trial(const EvaluationJob& job, const std::vector<Trial>& trials);
  /// Appends the batch's finished trials to trials, in ask order.
  static std::vector<Trial>& collect(const std::vector<std::optional<Trial>>& batch, std::vector<Trial>& trials);

  std::unique_ptr<DesignEvaluation> own_evaluation_;  // the one-evaluator constructor's
  std::unique_ptr<InlineExecutor> own_executor_;
  Explorer* explorer_;
  Executor* executor_;
  TrialJournal* journal_;
  StudyOptions options_;
  std::function<void(const StudyEvent&)> callback_;
  std::size_t replayed_ = 0;
  std::size_t evaluated_ = 0;
  std::size_t finished_ = 0;
  int interrupted_by_ = 0;
};

}  // namespace codse
