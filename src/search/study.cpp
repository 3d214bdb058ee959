#include "search/study.hpp"

#include <algorithm>
#include <csignal>
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
      options_(options),
      plan_(&default_plan_) {
  check_options();
}

Study::Study(Explorer& explorer, Executor& executor, TrialJournal& journal, StudyOptions options, JobPlan* plan)
    : explorer_(&explorer), executor_(&executor), journal_(&journal), options_(options),
      plan_(plan ? plan : &default_plan_) {
  check_options();
}

void Study::check_options() const {
  if (options_.budget == 0) throw InputError("budget must be at least 1");
  if (options_.batch == 0) throw InputError("batch must be at least 1");
}

void Study::refuse_resume(std::size_t number) {
  throw InputError(fmt::format(
      "cannot resume: stored trial {} evaluated another design than the explorer asks now; the study was run with "
      "different settings (table, knobs, objectives, explorer, seed or batch)",
      number));
}

void Study::read_journal() {
  for (auto& trial : journal_->trials()) {
    stored_numbers_.insert(trial.number);
    if (const auto asked = plan_->asked_design(trial)) stored_[asked->values].push_back(std::move(trial));
  }
}

std::vector<Trial> Study::run() {
  read_journal();
  std::vector<Trial> trials;
  std::size_t position = 0;  // designs asked so far
  bool stop = false;
  while (!stop && position < options_.budget && !explorer_->done()) {
    auto designs = explorer_->ask(std::min(options_.batch, options_.budget - position));
    if (designs.empty()) break;
    if (designs.size() > options_.budget - position) designs.resize(options_.budget - position);
    std::vector<EvaluationJob> jobs;
    auto batch = plan_batch(designs, position, jobs, stop);
    position += batch.size();
    std::size_t taken = 0;
    const auto take_ready = [&] {
      while (taken < batch.size() && batch[taken].trials) take(batch[taken++], trials);
    };
    take_ready();  // what the journal holds is told at once
    if (!jobs.empty() && (interrupted_by_ = interrupt_signal()) != 0) return trials;  // nothing new starts
    std::vector<std::size_t> entry_of_job(jobs.size());
    for (std::size_t e = 0; e < batch.size(); ++e)
      if (batch[e].source == Source::evaluated) entry_of_job[batch[e].job] = e;
    executor_->run(jobs, [&](std::size_t j, const std::vector<Trial>& evaluated) {
      auto& entry = batch[entry_of_job[j]];
      if (plan_->one_trial_per_job()) record_finished(entry, jobs[j], evaluated);
      else entry.trials = evaluated;
      take_ready();
    });
    if (taken < batch.size()) {  // a signal stopped the batch
      set_aside(batch, taken, trials);
      interrupted_by_ = interrupt_signal() ? interrupt_signal() : SIGTERM;
      return trials;
    }
  }
  return trials;
}

std::vector<Study::Entry> Study::plan_batch(const std::vector<Design>& designs, std::size_t position,
                                            std::vector<EvaluationJob>& jobs, bool& stop) {
  std::vector<Entry> batch;
  for (const auto& design : designs) {
    Entry entry{design, Source::evaluated, std::nullopt, false, 0};
    if (const auto it = stored_.find(design.values); it != stored_.end()) {
      entry.source = Source::stored;
      entry.trials = it->second;
      entry.recorded = true;
    } else if (auto kept = plan_->kept(design)) {
      entry.source = Source::kept;
      entry.trials = std::move(kept);
    } else if (!plan_->may_start()) {
      stop = true;
      break;
    } else {
      const auto at = position + batch.size();
      // A one-trial job is numbered by its position: a stored trial there came from another design.
      if (plan_->one_trial_per_job() && stored_numbers_.contains(at)) refuse_resume(at);
      entry.job = jobs.size();
      jobs.push_back(plan_->job(at, design));
    }
    batch.push_back(std::move(entry));
  }
  return batch;
}

void Study::record_finished(Entry& entry, const EvaluationJob& job, const std::vector<Trial>& trials) {
  if (trials.size() != 1 || trials.front().number != job.number || !(trials.front().design == job.design))
    throw std::logic_error(fmt::format("the evaluation of trial {} returned {} trials; a one-trial plan's jobs "
                                       "return one trial of the asked design and number",
                                       job.number, trials.size()));
  journal_->record(trials.front());  // durable before anything else hears of it
  ++evaluated_;
  report(trials.front(), false);
  entry.trials = trials;
  entry.recorded = true;
}

void Study::take(Entry& entry, std::vector<Trial>& trials) {
  auto& taken = *entry.trials;
  if (!entry.recorded) {  // several trials per job: numbered now, in ask order
    for (std::size_t i = 0; i < taken.size(); ++i) {
      taken[i].number = next_number_ + i;
      if (stored_numbers_.contains(taken[i].number)) refuse_resume(taken[i].number);
    }
    journal_->record_all(taken);
    if (entry.source == Source::kept) plan_->recorded_kept(entry.asked);
    evaluated_ += taken.size();
    for (const auto& trial : taken) report(trial, false);
  } else if (entry.source == Source::stored) {
    if (taken.front().number != next_number_) refuse_resume(taken.front().number);
    replayed_ += taken.size();
    for (const auto& trial : taken) report(trial, true);
  }
  next_number_ += taken.size();
  // Told in ask order after the trials before it, so a replay tells exactly the same sequence.
  explorer_->tell(plan_->told(entry.asked, taken));
  plan_->taken(entry.asked, taken, entry.source == Source::stored);
  trials.insert(trials.end(), taken.begin(), taken.end());
}

void Study::set_aside(std::vector<Entry>& batch, std::size_t taken, std::vector<Trial>& trials) {
  std::vector<std::pair<Design, std::vector<Trial>>> unrecorded;
  for (std::size_t e = taken; e < batch.size(); ++e) {
    auto& entry = batch[e];
    if (!entry.trials) continue;
    if (entry.recorded) trials.insert(trials.end(), entry.trials->begin(), entry.trials->end());
    else if (entry.source == Source::evaluated) unrecorded.emplace_back(entry.asked, *entry.trials);
  }
  if (!unrecorded.empty()) plan_->keep_unrecorded(unrecorded);
  std::sort(trials.begin(), trials.end(), [](const Trial& a, const Trial& b) { return a.number < b.number; });
}

void Study::report(const Trial& trial, bool replayed) {
  ++finished_;
  if (callback_) callback_({trial, replayed, finished_, options_.budget});
}

}  // namespace codse
