#include "search/study.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/interrupt.hpp"

namespace codse {

Study::Study(Explorer& explorer, Evaluator& evaluator, TrialJournal& journal, StudyOptions options)
    : own_evaluation_(std::make_unique<DesignEvaluation>(evaluator)),
      own_executor_(std::make_unique<InlineExecutor>(*own_evaluation_)),
      explorer_(&explorer),
      executor_(own_executor_.get()),
      journal_(&journal),
      options_(options) {
  check_options();
}

Study::Study(Explorer& explorer, Executor& executor, TrialJournal& journal, StudyOptions options)
    : explorer_(&explorer), executor_(&executor), journal_(&journal), options_(options) {
  check_options();
}

void Study::check_options() const {
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
        jobs.push_back({number, designs[i], nullptr});
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
    const auto outcomes = executor_->run(jobs, [&](std::size_t j, const std::vector<Trial>& evaluated) {
      const auto& trial = only_trial(jobs[j], evaluated);
      journal_->record(trial);  // durable before anything else hears of it
      ++evaluated_;
      ++finished_;
      if (callback_) callback_({trial, false, finished_, options_.budget});
    });
    for (std::size_t j = 0; j < jobs.size(); ++j) {
      if (outcomes[j]) batch[job_slots[j]] = outcomes[j]->front();
      else interrupted_by_ = interrupt_signal();
    }
    if (interrupted_by_ != 0) return collect(batch, trials);
    // Tell in ask order after the whole batch, so a replay tells exactly the same sequence.
    for (const auto& trial : batch) explorer_->tell(*trial);
    collect(batch, trials);
  }
  return trials;
}

const Trial& Study::only_trial(const EvaluationJob& job, const std::vector<Trial>& trials) {
  if (trials.size() != 1 || trials.front().number != job.number || !(trials.front().design == job.design))
    throw std::logic_error(fmt::format("the evaluation of trial {} returned {} trials; a study's evaluations return "
                                       "one trial of the asked design and number",
                                       job.number, trials.size()));
  return trials.front();
}

std::vector<Trial>& Study::collect(const std::vector<std::optional<Trial>>& batch, std::vector<Trial>& trials) {
  for (const auto& trial : batch)
    if (trial) trials.push_back(*trial);
  return trials;
}

}  // namespace codse
