#include "explore/co_exploration.hpp"

#include <chrono>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "explore/co_exploration_strategy.hpp"
#include "explore/front_test_error.hpp"
#include "explore/network_training.hpp"
#include "explore/trial_artifacts.hpp"
#include "nn/ir/network_io.hpp"

namespace codse::explore {
namespace {

std::size_t network_id(const Trial& trial) { return static_cast<std::size_t>(trial.design.values.at(0)); }

}  // namespace

CoExploration::CoExploration(ExploreConfig config, const nn::DatasetSplits& data, std::filesystem::path artifacts_dir)
    : context_(std::make_unique<ExploreContext>(std::move(config), data, std::move(artifacts_dir))),
      strategy_(make_strategy(*context_)),
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

std::vector<Trial> CoExploration::evaluate(const NetworkCandidate& candidate, const NetworkExplorer& explorer,
                                           std::size_t first_number) {
  const auto start = std::chrono::steady_clock::now();
  TrainedNetwork trained;
  try {
    trained = train_candidate(*context_, candidate, candidate.parent ? &explorer.candidate(*candidate.parent) : nullptr);
  } catch (const std::exception& error) {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return {failed_trial(NetworkRecord{candidate.id, nullptr, {}}, first_number, strategy_->failed_slot(), seconds,
                         fmt::format("training failed: {}", error.what()))};
  }
  context_->files.save_weights(candidate.id, trained.weights);
  const auto parent_trial =
      candidate.parent ? std::optional<std::size_t>(first_trial_.at(*candidate.parent)) : std::nullopt;
  return strategy_->network_trials(network_record(candidate, trained, context_->files, parent_trial), trained,
                                   first_number);
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

ExploreResult CoExploration::run(StudyJournal& journal) {
  const auto& config = context_->config;
  const auto clock_start = std::chrono::steady_clock::now();
  const double budget_seconds = config.budget_minutes * 60.0;
  const auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_start).count(); };

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
  bool stop = false;
  while (!stop) {
    const auto designs = explorer->ask(config.lemonade.accepted);
    if (designs.empty()) break;
    for (const auto& design : designs) {
      if (config.budget_networks && networks >= config.budget_networks) {
        stop = true;
        break;
      }
      const auto& candidate = explorer->candidate(design);
      const bool replayed = stored.contains(candidate.id);
      if (!replayed && budget_seconds > 0 && elapsed() >= budget_seconds) {
        stop = true;
        break;
      }
      std::vector<Trial> joint;
      if (replayed) {
        joint = stored.at(candidate.id);
        ++result.replayed_networks;
      } else {
        throw_if_interrupted();  // SIGINT/SIGTERM: what finished is in the journal; nothing new starts
        joint = evaluate(candidate, *explorer, result.trials.size());
        journal.record_all(joint);
        ++result.trained_networks;
      }
      if (joint.front().number != result.trials.size())
        throw InputError(fmt::format("{}: study '{}' holds network {} at trial {} where this run has trial {}; it "
                                     "was written with other settings",
                                     journal.path().string(), journal.name(), candidate.id, joint.front().number,
                                     result.trials.size()));
      first_trial_[candidate.id] = joint.front().number;
      explorer->tell(network_summary(candidate.id, joint));
      ++networks;
      add(joint, replayed);
    }
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
  result.test_error = measure_front_test_error(*context_, result.trials, result.front, journal);
  result.hints = derive_hints(result.trials, space_);
  journal.put_document("hints", hints_to_json(result.hints));
  return result;
}

}  // namespace codse::explore
