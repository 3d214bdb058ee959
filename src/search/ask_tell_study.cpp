#include "search/ask_tell_study.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "core/error.hpp"

namespace codse {

AskTellStudy::AskTellStudy(Explorer& explorer, TrialJournal& journal, std::size_t batch)
    : explorer_(&explorer), journal_(&journal), batch_(batch) {
  if (batch_ == 0) throw InputError("batch must be at least 1");
  replay(journal_->trials());
}

void AskTellStudy::replay(std::vector<Trial> stored) {
  std::map<std::size_t, Trial> by_number;
  for (auto& trial : stored) by_number.emplace(trial.number, std::move(trial));
  while (!by_number.empty()) {
    // Asked in full batches, as the run that wrote the journal asked them (a budget's last,
    // shorter batch is recorded whole or not at all as far as this replay needs).
    if (!ask_batch(std::numeric_limits<std::size_t>::max())) break;
    for (auto& slot : current_) {
      const auto it = by_number.find(slot.number);
      if (it == by_number.end()) continue;
      if (!(it->second.design == slot.design))
        throw InputError(fmt::format(
            "cannot resume: stored trial {} evaluated another design than the explorer asks now; the study was "
            "run with different settings (space, objectives, explorer, seed or batch)",
            slot.number));
      slot.handed_out = true;
      slot.result = std::move(it->second);
      trials_.push_back(*slot.result);
      by_number.erase(it);
      ++replayed_;
    }
    const bool whole = std::all_of(current_.begin(), current_.end(), [](const Slot& s) { return s.result.has_value(); });
    if (!whole) break;  // a batch cut short: its other designs are asked again first
    tell_batch_if_complete();
  }
  if (!by_number.empty())
    throw InputError(fmt::format("cannot resume: stored trial {} is not among the designs the explorer asks now; the "
                                 "study was run with different settings",
                                 by_number.begin()->first));
  std::sort(trials_.begin(), trials_.end(), [](const Trial& a, const Trial& b) { return a.number < b.number; });
}

bool AskTellStudy::ask_batch(std::size_t limit) {
  if (explorer_->done()) return false;
  const auto designs = explorer_->ask(std::min(batch_, limit));
  current_.clear();
  for (const auto& design : designs) current_.push_back({next_number_++, design, false, std::nullopt});
  return !current_.empty();
}

std::optional<AskedTrial> AskTellStudy::ask(std::size_t limit) {
  // Designs of the current batch are handed out whatever the limit: they were asked within it.
  auto next = std::find_if(current_.begin(), current_.end(), [](const Slot& s) { return !s.handed_out; });
  if (next == current_.end()) {
    if (limit == 0) return std::nullopt;
    if (!current_.empty())
      throw InputError(fmt::format("all {} trials of the current batch are pending (numbers {}); tell their results "
                                   "before asking more (the study asks {} at a time)",
                                   current_.size(), fmt::join(pending(), ", "), batch_));
    if (!ask_batch(limit)) return std::nullopt;
    next = current_.begin();
  }
  next->handed_out = true;
  next->asked_at = std::chrono::steady_clock::now();
  return AskedTrial{next->number, next->design};
}

AskTellStudy::Slot& AskTellStudy::slot_to_tell(std::size_t number) {
  const auto it = std::find_if(current_.begin(), current_.end(), [&](const Slot& s) { return s.number == number; });
  const bool finished = std::any_of(trials_.begin(), trials_.end(), [&](const Trial& t) { return t.number == number; });
  if (finished) throw InputError(fmt::format("trial {} was already told; a trial is told once", number));
  if (it == current_.end() || !it->handed_out)
    throw InputError(fmt::format("trial {} was never asked (asked so far: {})", number, next_number_));
  return *it;
}

const Trial& AskTellStudy::tell(std::size_t number, Metrics metrics) {
  auto& slot = slot_to_tell(number);
  if (metrics.seconds == 0.0)
    metrics.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - slot.asked_at).count();
  return finish(Trial{number, slot.design, TrialStatus::complete, std::move(metrics), {}, {}});
}

const Trial& AskTellStudy::tell_failed(std::size_t number, std::string error) {
  auto& slot = slot_to_tell(number);
  Metrics none;
  none.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - slot.asked_at).count();
  return finish(Trial{number, slot.design, TrialStatus::failed, std::move(none), std::move(error), {}});
}

const Trial& AskTellStudy::finish(Trial trial) {
  journal_->record(trial);  // durable before the explorer or the caller sees it
  auto& slot = slot_to_tell(trial.number);
  slot.result = trial;
  const auto at = std::upper_bound(trials_.begin(), trials_.end(), trial.number,
                                   [](std::size_t n, const Trial& t) { return n < t.number; });
  const auto index = static_cast<std::size_t>(at - trials_.begin());
  trials_.insert(at, std::move(trial));
  tell_batch_if_complete();
  return trials_[index];
}

void AskTellStudy::tell_batch_if_complete() {
  if (!std::all_of(current_.begin(), current_.end(), [](const Slot& s) { return s.result.has_value(); })) return;
  // In ask order after the whole batch, so a replay tells exactly the same sequence.
  for (const auto& slot : current_) explorer_->tell(*slot.result);
  current_.clear();
}

bool AskTellStudy::has_unasked() const {
  return std::any_of(current_.begin(), current_.end(), [](const Slot& s) { return !s.handed_out; });
}

std::vector<std::size_t> AskTellStudy::pending() const {
  std::vector<std::size_t> numbers;
  for (const auto& slot : current_)
    if (slot.handed_out && !slot.result) numbers.push_back(slot.number);
  return numbers;
}

}  // namespace codse
