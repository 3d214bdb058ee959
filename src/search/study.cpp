#include "search/study.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/interrupt.hpp"

namespace codse {

Study::Study(Explorer& explorer, Evaluator& evaluator, TrialJournal& journal, StudyOptions options)
    : Study(explorer, evaluator, inline_executor_, journal, options) {}

Study::Study(Explorer& explorer, Evaluator& evaluator, Executor& executor, TrialJournal& journal,
             StudyOptions options)
    : explorer_(&explorer), evaluator_(&evaluator), executor_(&executor), journal_(&journal), options_(options) {
  if (options_.budget == 0) throw InputError("budget must be at least 1");
  if (options_.batch == 0) throw InputError("batch must be at least 1");
}

std::vector<Trial> Study::run() {
  std::map<std::size_t, Trial> stored;
  for (auto& trial : journal_->trials()) stored.emplace(trial.number, std::move(trial));

  std::vector<Trial> trials;
  std::size_t number = 0;
  while (number < options_.budget && !explorer_->done()) {
    const auto designs = explorer_->ask(std::min(options_.batch, options_.budget - number));
    if (designs.empty()) break;
    // The batch in ask order: stored trials replayed now, the others evaluated by the executor.
    std::vector<std::optional<Trial>> batch(designs.size());
    std::vector<EvaluationJob> jobs;
    std::vector<std::size_t> job_slots;
    for (std::size_t i = 0; i < designs.size(); ++i, ++number) {
      const auto it = stored.find(number);
      if (it == stored.end()) {
        jobs.push_back({number, designs[i]});
        job_slots.push_back(i);
        continue;
      }
      if (!(it->second.design == designs[i]))
        throw InputError(fmt::format(
            "cannot resume: stored trial {} evaluated another design than the explorer asks now; "
            "the study was run with different settings (table, knobs, objectives, explorer, seed "
            "or batch)",
            number));
      batch[i] = it->second;
      ++replayed_;
      ++finished_;
      if (callback_) callback_({*batch[i], true, finished_, options_.budget});
    }
    if (!jobs.empty() && (interrupted_by_ = interrupt_signal()) != 0) return collect(batch, trials);  // nothing new starts
    const auto results = executor_->run(*evaluator_, jobs, [&](const Trial& trial) {
      journal_->record(trial);  // durable before anything else hears of it
      ++evaluated_;
      ++finished_;
      if (callback_) callback_({trial, false, finished_, options_.budget});
    });
    for (std::size_t j = 0; j < jobs.size(); ++j) {
      if (results[j]) batch[job_slots[j]] = results[j];
      else interrupted_by_ = interrupt_signal();
    }
    if (interrupted_by_ != 0) return collect(batch, trials);
    // Tell in ask order after the whole batch, so a replay tells exactly the same sequence.
    for (const auto& trial : batch) explorer_->tell(*trial);
    collect(batch, trials);
  }
  return trials;
}

std::vector<Trial>& Study::collect(const std::vector<std::optional<Trial>>& batch, std::vector<Trial>& trials) {
  for (const auto& trial : batch)
    if (trial) trials.push_back(*trial);
  return trials;
}

}  // namespace codse
