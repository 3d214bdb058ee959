#pragma once
// The co-exploration's evaluator: a network job (network_job.hpp) trained (network_training.hpp),
// its weights stored in the artifacts directory, and turned into trials by the config's strategy
// (the HAL's mappings, synthesis at fidelity synthesis), numbered from 0: the study numbers them
// when it records them. The coordinator evaluates through it in its own process (one worker), and
// every worker process or MPI rank builds its own from the same config, data and artifacts
// directory, so the trials are the same wherever a network is trained.

#include <filesystem>
#include <memory>
#include <vector>

#include "core/trial.hpp"
#include "explore/explore_config.hpp"
#include "nn/data/dataset_split.hpp"
#include "search/job_evaluator.hpp"

namespace codse::explore {

struct ExploreContext;
class CoExplorationStrategy;

class NetworkEvaluation final : public JobEvaluator {
 public:
  /// data must outlive the object. artifacts_dir holds the weights files (created if missing).
  NetworkEvaluation(ExploreConfig config, const nn::DatasetSplits& data, std::filesystem::path artifacts_dir);
  ~NetworkEvaluation() override;
  /// The network's trials; a network that cannot be trained is one failed trial with the reason.
  std::vector<Trial> evaluate(const EvaluationJob& job) override;

  /// What the coordinator shares with its own evaluation (one context and strategy per process).
  const ExploreContext& context() const { return *context_; }
  const CoExplorationStrategy& strategy() const { return *strategy_; }

 private:
  std::unique_ptr<ExploreContext> context_;
  std::unique_ptr<CoExplorationStrategy> strategy_;
};

}  // namespace codse::explore
