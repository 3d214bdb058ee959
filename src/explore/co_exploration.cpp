#include "explore/co_exploration.hpp"

#include <chrono>
#include <limits>
#include <optional>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "explore/co_exploration_strategy.hpp"
#include "explore/front_test_error.hpp"
#include "explore/network_evaluation.hpp"
#include "explore/network_job.hpp"
#include "explore/network_training.hpp"
#include "explore/trial_artifacts.hpp"
#include "nn/ir/network_io.hpp"
#include "search/study.hpp"
#include "search/trial_json.hpp"

namespace codse::explore {
namespace {

std::size_t network_id(const Trial& trial) { return static_cast<std::size_t>(trial.design.values.at(0)); }

}  // namespace

CoExploration::CoExploration(ExploreConfig config, const nn::DatasetSplits& data, std::filesystem::path artifacts_dir)
    : evaluation_(std::make_unique<NetworkEvaluation>(std::move(config), data, std::move(artifacts_dir))),
      space_(context().config.objectives),
      network_objectives_(strategy().network_objectives()) {}

const ExploreContext& CoExploration::context() const { return evaluation_->context(); }
const CoExplorationStrategy& CoExploration::strategy() const { return evaluation_->strategy(); }

CoExploration::~CoExploration() = default;

std::unique_ptr<NetworkExplorer> CoExploration::make_explorer() const {
  const auto& config = context().config;
  std::vector<nn::Network> starts;
  for (const auto& path : config.networks) starts.push_back(nn::load_network(path));
  const TrainingHyper hyper{config.training.learning_rate, config.training.epochs, config.training.batch_size};
  return strategy().make_explorer(std::move(starts), hyper);
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

/// Finished networks that could not be recorded yet because a network asked before them was still
/// running when a signal stopped the run: kept as a study document, so the resumed run records
/// them in their turn instead of training them again.
constexpr const char* unrecorded_key = "unrecorded_networks";

}  // namespace

/// The co-exploration's jobs as the Study sees them: a network (with its parent) per asked
/// design, its trials numbered when recorded, the explorer told their summary, a wall-time budget,
/// and after each network the hypervolume documents and the progress callback.
class CoExploration::NetworkPlan final : public JobPlan {
 public:
  NetworkPlan(CoExploration& exploration, StudyJournal& journal, const NetworkExplorer& explorer, ExploreResult& result)
      : x_(exploration), journal_(journal), explorer_(explorer), result_(result),
        budget_seconds_(exploration.context().config.budget_minutes * 60.0) {
    if (const auto document = journal_.document(unrecorded_key))
      for (const auto& [id, trials] : document->items())
        for (const auto& trial : trials) unrecorded_[std::stoull(id)].push_back(trial_from_json(trial));
  }

  EvaluationJob job(std::size_t /*position*/, const Design& asked) override {
    return x_.job_for(explorer_.candidate(asked), explorer_);
  }
  bool one_trial_per_job() const override { return false; }
  std::optional<Design> asked_design(const Trial& trial) const override {
    if (x_.strategy().in_final_phase(trial)) return std::nullopt;
    return Design{{candidate_design_value(network_id(trial))}};
  }
  Trial told(const Design& asked, const std::vector<Trial>& trials) const override {
    return x_.network_summary(explorer_.candidate(asked).id, trials);
  }
  bool may_start() const override { return budget_seconds_ <= 0 || elapsed() < budget_seconds_; }
  void taken(const Design& asked, const std::vector<Trial>& joint, bool replayed) override {
    x_.first_trial_[explorer_.candidate(asked).id] = joint.front().number;
    ++(replayed ? result_.replayed_networks : result_.trained_networks);
    ++networks_;
    add(joint, replayed);
  }

  /// Trials into the result, the hypervolume documents and the progress callback.
  void add(const std::vector<Trial>& joint, bool replayed) {
    result_.trials.insert(result_.trials.end(), joint.begin(), joint.end());
    if (reference_.empty() && !x_.space_.front(joint).empty()) {
      reference_ = x_.space_.reference(joint);
      journal_.put_document("hypervolume_reference", reference_);
    }
    result_.hypervolume = reference_.empty() ? 0.0 : x_.space_.hypervolume(result_.trials, reference_);
    history_.push_back({{"trial", result_.trials.back().number}, {"value", result_.hypervolume}});
    journal_.put_document("hypervolume", history_);
    if (x_.callback_)
      x_.callback_({networks_, x_.context().config.budget_networks, result_.trials.size(),
                    x_.space_.front(result_.trials).size(), result_.hypervolume, replayed, elapsed(), budget_seconds_});
  }

  void keep_unrecorded(const std::vector<std::pair<Design, std::vector<Trial>>>& finished) override {
    for (const auto& [asked, trials] : finished) unrecorded_[explorer_.candidate(asked).id] = trials;
    write_unrecorded();
  }
  std::optional<std::vector<Trial>> kept(const Design& asked) const override {
    const auto it = unrecorded_.find(explorer_.candidate(asked).id);
    if (it == unrecorded_.end()) return std::nullopt;
    return it->second;
  }
  void recorded_kept(const Design& asked) override {
    unrecorded_.erase(explorer_.candidate(asked).id);
    write_unrecorded();
  }

  std::size_t networks() const { return networks_; }

 private:
  double elapsed() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(); }
  void write_unrecorded() {
    auto document = nlohmann::json::object();
    for (const auto& [id, trials] : unrecorded_) {
      auto& list = document[std::to_string(id)] = nlohmann::json::array();
      for (const auto& trial : trials) list.push_back(trial_to_json(trial));
    }
    journal_.put_document(unrecorded_key, document);
  }

  CoExploration& x_;
  StudyJournal& journal_;
  const NetworkExplorer& explorer_;
  ExploreResult& result_;
  double budget_seconds_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::map<std::size_t, std::vector<Trial>> unrecorded_;
  std::vector<double> reference_;
  nlohmann::json history_ = nlohmann::json::array();
  std::size_t networks_ = 0;
};

ExploreResult CoExploration::run(StudyJournal& journal, Executor* executor) {
  const auto& config = context().config;
  InlineExecutor in_this_process(*evaluation_);
  nlohmann::json objectives = nlohmann::json::array();
  for (const auto& o : config.objectives)
    objectives.push_back({{"name", o.metric}, {"sense", o.sense == Sense::minimize ? "minimize" : "maximize"}});
  journal.put_document("objectives", objectives);

  const auto explorer = make_explorer();
  ExploreResult result;
  NetworkPlan plan(*this, journal, *explorer, result);
  const std::size_t budget = config.budget_networks ? config.budget_networks : std::numeric_limits<std::size_t>::max();
  Study study(*explorer, executor ? *executor : in_this_process, journal, {budget, config.lemonade.accepted}, &plan);
  study.run();
  if (study.interrupted_by()) throw Interrupted(study.interrupted_by());  // what finished is in the journal

  std::vector<Trial> stored_final_phase;
  for (auto& trial : journal.trials())
    if (strategy().in_final_phase(trial)) stored_final_phase.push_back(std::move(trial));
  if (strategy().has_final_phase()) {
    const bool replayed = !stored_final_phase.empty();
    if (!replayed) throw_if_interrupted();
    auto joint = replayed ? stored_final_phase : strategy().final_phase(result.trials, *explorer, plan.networks());
    if (!replayed) journal.record_all(joint);
    if (!joint.empty()) {
      if (joint.front().number != result.trials.size())
        throw InputError(fmt::format("{}: study '{}' holds its mapping phase at trial {} where this run has trial {}; "
                                     "it was written with other settings",
                                     journal.path().string(), journal.name(), joint.front().number,
                                     result.trials.size()));
      plan.add(joint, replayed);
    }
  }
  result.front = space_.front(result.trials);
  result.test_error = measure_front_test_error(context(), result.trials, result.front, journal);
  result.hints = derive_hints(result.trials, space_);
  journal.put_document("hints", hints_to_json(result.hints));
  return result;
}

}  // namespace codse::explore
