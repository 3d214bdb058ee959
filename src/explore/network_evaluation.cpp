#include "explore/network_evaluation.hpp"

#include <chrono>

#include <fmt/format.h>

#include "explore/co_exploration_strategy.hpp"
#include "explore/network_job.hpp"
#include "explore/network_training.hpp"
#include "explore/trial_artifacts.hpp"

namespace codse::explore {

NetworkEvaluation::NetworkEvaluation(ExploreConfig config, const nn::DatasetSplits& data,
                                     std::filesystem::path artifacts_dir)
    : context_(std::make_unique<ExploreContext>(std::move(config), data, std::move(artifacts_dir))),
      strategy_(make_strategy(*context_)) {}

NetworkEvaluation::~NetworkEvaluation() = default;

std::vector<Trial> NetworkEvaluation::evaluate(const EvaluationJob& job) {
  const auto network = read_network_job(job);
  const auto& candidate = network.candidate;
  const auto start = std::chrono::steady_clock::now();
  TrainedNetwork trained;
  try {
    trained = train_candidate(*context_, candidate, network.parent ? &*network.parent : nullptr);
  } catch (const std::exception& error) {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return {failed_trial(NetworkRecord{candidate.id, nullptr, {}}, 0, strategy_->failed_slot(), seconds,
                         fmt::format("training failed: {}", error.what()))};
  }
  context_->files.save_weights(candidate.id, trained.weights);
  return strategy_->network_trials(network_record(candidate, trained, context_->files, network.parent_trial), trained, 0);
}

}  // namespace codse::explore
