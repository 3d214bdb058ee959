#pragma once
// An open study: the caller evaluates (Optuna's ask-and-tell), where search::Study calls an
// Evaluator itself. The explorer is asked `batch` designs at a time and told a batch's results
// in ask order once all of them are in, exactly as Study::run does, so for the same seed both
// evaluate the same designs in the same order, and either resumes the other's journal.
//
// Resume is replay, as in Study: the journal's trials are re-asked and told on construction; a
// design the explorer asks now that the journal holds under another number means the settings
// changed, an InputError. A batch cut short by a kill resumes with its unfinished designs asked
// again, first.

#include <chrono>
#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "core/design.hpp"
#include "core/trial.hpp"
#include "core/trial_journal.hpp"
#include "search/explorer.hpp"

namespace codse {

struct AskedTrial {
  std::size_t number = 0;
  Design design;
};

class AskTellStudy {
 public:
  /// Replays the journal into the explorer. InputError when the journal holds a trial the
  /// explorer would not ask now (the journal was written with other settings).
  AskTellStudy(Explorer& explorer, TrialJournal& journal, std::size_t batch = 1);

  /// The next design to evaluate, or nothing when the explorer has nothing more (it stopped by
  /// itself or its pool is exhausted). limit caps the size of a newly asked batch (a budget's
  /// remainder, as Study::run asks min(batch, budget - asked)). InputError when all of the
  /// current batch is out and untold: the explorer cannot be asked more before it learns them.
  std::optional<AskedTrial> ask(std::size_t limit = std::numeric_limits<std::size_t>::max());
  /// Records the result of an asked trial in the journal (durably) and returns it. InputError
  /// when the trial was never asked or was already told.
  const Trial& tell(std::size_t number, Metrics metrics);
  /// Records the trial as failed with the reason.
  const Trial& tell_failed(std::size_t number, std::string error);

  /// Every finished trial, replayed or new, by number.
  const std::vector<Trial>& trials() const { return trials_; }
  /// Numbers asked and not yet told.
  std::vector<std::size_t> pending() const;
  /// Trials asked so far (finished or pending): the next trial's number.
  std::size_t asked_count() const { return next_number_; }
  std::size_t replayed_count() const { return replayed_; }
  /// True when the current batch holds designs not handed out yet (a resume that cut a batch):
  /// they were asked within the budget of the run that asked them and are handed out first.
  bool has_unasked() const;
  bool explorer_done() const { return explorer_->done(); }

 private:
  struct Slot {
    std::size_t number;
    Design design;
    bool handed_out = false;
    std::optional<Trial> result;
    std::chrono::steady_clock::time_point asked_at{};
  };

  void replay(std::vector<Trial> stored);
  bool ask_batch(std::size_t limit);
  Slot& slot_to_tell(std::size_t number);
  const Trial& finish(Trial trial);
  void tell_batch_if_complete();

  Explorer* explorer_;
  TrialJournal* journal_;
  std::size_t batch_;
  std::vector<Slot> current_;  // the batch asked last, in ask order
  std::vector<Trial> trials_;
  std::size_t next_number_ = 0;
  std::size_t replayed_ = 0;
};

}  // namespace codse
