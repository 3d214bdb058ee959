#include "search/study.hpp"

#include <algorithm>
#include <chrono>
#include <map>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/interrupt.hpp"

namespace codse {

Study::Study(Explorer& explorer, Evaluator& evaluator, TrialJournal& journal, StudyOptions options)
    : explorer_(&explorer), evaluator_(&evaluator), journal_(&journal), options_(options) {
  if (options_.budget == 0) throw InputError("budget must be at least 1");
  if (options_.batch == 0) throw InputError("batch must be at least 1");
}

Trial Study::evaluate(std::size_t number, const Design& design) {
  Trial trial{number, design, TrialStatus::complete, {}, {}, {}};
  const auto start = std::chrono::steady_clock::now();
  try {
    trial.metrics = evaluator_->evaluate(design);
  } catch (const std::exception& error) {
    trial.status = TrialStatus::failed;
    trial.error = error.what();
  }
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  if (trial.metrics.seconds == 0.0) trial.metrics.seconds = took.count();
  return trial;
}

std::vector<Trial> Study::run() {
  std::map<std::size_t, Trial> stored;
  for (auto& trial : journal_->trials()) stored.emplace(trial.number, std::move(trial));

  std::vector<Trial> trials;
  std::size_t number = 0;
  while (number < options_.budget && !explorer_->done()) {
    const auto designs = explorer_->ask(std::min(options_.batch, options_.budget - number));
    if (designs.empty()) break;
    std::vector<Trial> batch;
    for (const auto& design : designs) {
      const auto it = stored.find(number);
      const bool replayed = it != stored.end();
      if (replayed && !(it->second.design == design))
        throw InputError(fmt::format(
            "cannot resume: stored trial {} evaluated another design than the explorer asks now; "
            "the study was run with different settings (table, knobs, objectives, explorer, seed "
            "or batch)",
            number));
      if (!replayed && (interrupted_by_ = interrupt_signal()) != 0) return trials;  // nothing new starts
      batch.push_back(replayed ? it->second : evaluate(number, design));
      if (replayed) {
        ++replayed_;
      } else {
        journal_->record(batch.back());
        ++evaluated_;
      }
      trials.push_back(batch.back());
      ++number;
      if (callback_) callback_({batch.back(), replayed, trials.size(), options_.budget});
    }
    // Tell in ask order after the whole batch, so a replay tells exactly the same sequence.
    for (const auto& trial : batch) explorer_->tell(trial);
  }
  return trials;
}

}  // namespace codse
