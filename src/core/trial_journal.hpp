#pragma once
// Where finished trials go as they finish. A study replays its journal to resume; the SQLite
// store (module store) is the durable implementation, MemoryJournal the one for throw-away runs.

#include <vector>

#include "core/trial.hpp"

namespace codse {

class TrialJournal {
 public:
  virtual ~TrialJournal() = default;
  /// Every recorded trial, ordered by number.
  virtual std::vector<Trial> trials() const = 0;
  /// Records a finished trial durably before returning. Recording a number twice is an error.
  virtual void record(const Trial& trial) = 0;
  /// Records several trials (one evaluation's): a durable journal records all or none.
  virtual void record_all(const std::vector<Trial>& trials) {
    for (const auto& trial : trials) record(trial);
  }
};

class MemoryJournal final : public TrialJournal {
 public:
  std::vector<Trial> trials() const override;
  void record(const Trial& trial) override;

 private:
  std::vector<Trial> trials_;
};

}  // namespace codse
