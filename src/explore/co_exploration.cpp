#include "explore/co_exploration.hpp"

#include <csignal>
#include <chrono>
#include <optional>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "explore/co_exploration_strategy.hpp"
#include "explore/network_evaluation.hpp"
#include "explore/network_job.hpp"
#include "explore/network_training.hpp"
#include "explore/trial_artifacts.hpp"
#include "nn/ir/network_io.hpp"
#include "search/trial_json.hpp"

namespace codse::explore {
namespace {

std::size_t network_id(const Trial& trial) { return static_cast<std::size_t>(trial.design.values.at(0)); }

}  // namespace

CoExploration::CoExploration(ExploreConfig config, const nn::DatasetSplits& data, std::filesystem::path artifacts_dir)
    : context_(std::make_unique<ExploreContext>(std::move(config), data, std::move(artifacts_dir))),
      strategy_(make_strategy(*context_)),
      evaluation_(std::make_unique<NetworkEvaluation>(context_->config, data, context_->files.dir())),
      space_(context_->config.objectives),
      network_objectives_(strategy_->network_objectives()) {}

CoExploration::~CoExploration() = default;

std::unique_ptr<NetworkExplorer> CoExploration::make_explorer() const {
  const auto& config = context_->config;
  std::vector<nn::Network> starts;
  for (const auto& path : config.networks) starts.push_back(nn::load_network(path));
  const TrainingHyper hyper{config.training.learning_rate, config.training.epochs, config.training.batch_size};
  return strategy_->make_explorer(std::move(starts), hyper);
}

EvaluationJob CoExploration::job_for(const NetworkCandidate& candidate, const NetworkExplorer& explorer) const {
  if (!candidate.parent) return network_job(candidate.id, candidate, nullptr, std::nullopt);
  const auto parent_trial = first_trial_.find(*candidate.parent);
  if (parent_trial == first_trial_.end())
    throw std::logic_error(fmt::format("network {} was asked before its parent {} was told", candidate.id,
                                       *candidate.parent));
  return network_job(candidate.id, candidate, &explorer.candidate(*candidate.parent), parent_trial->second);
}

Trial CoExploration::network_summary(std::size_t id, const std::vector<Trial>& joint) const {
  // What the network explorer is told: the network's error and, per hardware objective, the best
  // value any of its joint designs reaches (its front in the joint space is what makes it a good
  // parent). The sequential strategy's explorer is told the error alone.
  Trial summary;
  summary.design.values = {candidate_design_value(id)};
  summary.status = TrialStatus::failed;
  for (const auto& trial : joint) {
    if (trial.status != TrialStatus::complete) continue;
    summary.status = TrialStatus::complete;
    for (const auto& o : network_objectives_) {
      const double v = trial.metrics.at(o.metric);
      auto it = summary.metrics.values.find(o.metric);
      if (it == summary.metrics.values.end() || o.minimised(v) < o.minimised(it->second))
        summary.metrics.values[o.metric] = v;
    }
  }
  return summary;
}

namespace {

/// A network of the batch being run, in ask order: its trials once they are known (stored ones at
/// once, evaluated ones as their job finishes) and whether they are still to be recorded.
struct BatchEntry {
  std::size_t id = 0;
  std::optional<std::vector<Trial>> trials;
  bool replayed = false;
  std::optional<std::size_t> job;  // its index among the batch's jobs
};

/// Finished networks that could not be recorded yet because a network asked before them was still
/// running when a signal stopped the run: kept as a study document, so the resumed run records
/// them in their turn instead of training them again.
constexpr const char* unrecorded_key = "unrecorded_networks";

std::map<std::size_t, std::vector<Trial>> read_unrecorded(const StudyJournal& journal) {
  std::map<std::size_t, std::vector<Trial>> networks;
  if (const auto document = journal.document(unrecorded_key))
    for (const auto& [id, trials] : document->items()) {
      auto& list = networks[std::stoull(id)];
      for (const auto& trial : trials) list.push_back(trial_from_json(trial));
    }
  return networks;
}

void write_unrecorded(StudyJournal& journal, const std::map<std::size_t, std::vector<Trial>>& networks) {
  auto document = nlohmann::json::object();
  for (const auto& [id, trials] : networks) {
    auto& list = document[std::to_string(id)] = nlohmann::json::array();
    for (const auto& trial : trials) list.push_back(trial_to_json(trial));
  }
  journal.put_document(unrecorded_key, document);
}

/// The trials of a network evaluated with numbers from 0, numbered from first.
std::vector<Trial> numbered_from(std::vector<Trial> trials, std::size_t first) {
  for (auto& trial : trials) trial.number += first;
  return trials;
}

}  // namespace

ExploreResult CoExploration::run(StudyJournal& journal, Executor* executor) {
  const auto& config = context_->config;
  const auto clock_start = std::chrono::steady_clock::now();
  const double budget_seconds = config.budget_minutes * 60.0;
  const auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_start).count(); };
  InlineExecutor in_this_process(*evaluation_);
  Executor& jobs_executor = executor ? *executor : in_this_process;

  nlohmann::json objectives = nlohmann::json::array();
  for (const auto& o : config.objectives)
    objectives.push_back({{"name", o.metric}, {"sense", o.sense == Sense::minimize ? "minimize" : "maximize"}});
  journal.put_document("objectives", objectives);

  std::map<std::size_t, std::vector<Trial>> stored;
  std::vector<Trial> stored_final_phase;
  for (auto& trial : journal.trials()) {
    if (strategy_->in_final_phase(trial)) stored_final_phase.push_back(std::move(trial));
    else stored[network_id(trial)].push_back(std::move(trial));
  }
  auto unrecorded = read_unrecorded(journal);

  const auto explorer = make_explorer();
  ExploreResult result;
  nlohmann::json hypervolume_history = nlohmann::json::array();
  std::vector<double> reference;
  std::size_t networks = 0;
  const auto add = [&](const std::vector<Trial>& joint, bool replayed) {
    result.trials.insert(result.trials.end(), joint.begin(), joint.end());
    if (reference.empty() && !space_.front(joint).empty()) {
      reference = space_.reference(joint);
      journal.put_document("hypervolume_reference", reference);
    }
    result.hypervolume = reference.empty() ? 0.0 : space_.hypervolume(result.trials, reference);
    hypervolume_history.push_back({{"trial", result.trials.back().number}, {"value", result.hypervolume}});
    journal.put_document("hypervolume", hypervolume_history);
    if (callback_)
      callback_({networks, config.budget_networks, result.trials.size(), space_.front(result.trials).size(),
                 result.hypervolume, replayed, elapsed(), budget_seconds});
  };
  // Records (when new), tells and adds one network; networks are taken strictly in ask order, so
  // the trial numbers and everything the explorer is told are the same for any executor.
  const auto take = [&](BatchEntry& entry) {
    auto joint = entry.replayed ? std::move(*entry.trials) : numbered_from(std::move(*entry.trials), result.trials.size());
    if (!entry.replayed) {
      journal.record_all(joint);
      if (unrecorded.erase(entry.id)) write_unrecorded(journal, unrecorded);
      ++result.trained_networks;
    } else {
      ++result.replayed_networks;
    }
    if (joint.front().number != result.trials.size())
      throw InputError(fmt::format("{}: study '{}' holds network {} at trial {} where this run has trial {}; it "
                                   "was written with other settings",
                                   journal.path().string(), journal.name(), entry.id, joint.front().number,
                                   result.trials.size()));
    first_trial_[entry.id] = joint.front().number;
    explorer->tell(network_summary(entry.id, joint));
    ++networks;
    add(joint, entry.replayed);
  };
  bool stop = false;
  while (!stop) {
    const auto designs = explorer->ask(config.lemonade.accepted);
    if (designs.empty()) break;
    // The batch: the asked networks within the budgets; the stored ones need no evaluation.
    std::vector<BatchEntry> batch;
    std::vector<EvaluationJob> jobs;
    for (const auto& design : designs) {
      if (config.budget_networks && networks + batch.size() >= config.budget_networks) {
        stop = true;
        break;
      }
      const auto& candidate = explorer->candidate(design);
      BatchEntry entry{candidate.id, std::nullopt, false, std::nullopt};
      if (const auto it = stored.find(candidate.id); it != stored.end()) {
        entry.trials = it->second;
        entry.replayed = true;
      } else if (const auto kept = unrecorded.find(candidate.id); kept != unrecorded.end()) {
        entry.trials = kept->second;  // finished before an interruption, recorded in its turn now
      } else if (budget_seconds > 0 && elapsed() >= budget_seconds) {
        stop = true;
        break;
      } else {
        entry.job = jobs.size();
        jobs.push_back(job_for(candidate, *explorer));
      }
      batch.push_back(std::move(entry));
    }
    std::size_t taken = 0;
    const auto take_ready = [&] {
      while (taken < batch.size() && batch[taken].trials) take(batch[taken++]);
    };
    take_ready();
    if (!jobs.empty()) throw_if_interrupted();  // SIGINT/SIGTERM: what finished is in the journal
    std::vector<std::size_t> entry_of_job(jobs.size());
    for (std::size_t e = 0; e < batch.size(); ++e)
      if (batch[e].job) entry_of_job[*batch[e].job] = e;
    const auto outcomes = jobs_executor.run(jobs, [&](std::size_t job, const std::vector<Trial>& trials) {
      batch[entry_of_job[job]].trials = trials;
      take_ready();
    });
    if (taken < batch.size()) {  // stopped by a signal: keep what finished out of turn
      for (std::size_t e = taken; e < batch.size(); ++e)
        if (batch[e].trials && !batch[e].replayed) unrecorded[batch[e].id] = *batch[e].trials;
      write_unrecorded(journal, unrecorded);
      throw Interrupted(interrupt_signal() ? interrupt_signal() : SIGTERM);
    }
    (void)outcomes;
  }
  if (strategy_->has_final_phase()) {
    const bool replayed = !stored_final_phase.empty();
    if (!replayed) throw_if_interrupted();
    auto joint = replayed ? stored_final_phase : strategy_->final_phase(result.trials, *explorer, networks);
    if (!replayed) journal.record_all(joint);
    if (!joint.empty()) {
      if (joint.front().number != result.trials.size())
        throw InputError(fmt::format("{}: study '{}' holds its mapping phase at trial {} where this run has trial {}; "
                                     "it was written with other settings",
                                     journal.path().string(), journal.name(), joint.front().number,
                                     result.trials.size()));
      add(joint, replayed);
    }
  }
  result.front = space_.front(result.trials);
  result.hints = derive_hints(result.trials, space_);
  journal.put_document("hints", hints_to_json(result.hints));
  return result;
}

}  // namespace codse::explore
