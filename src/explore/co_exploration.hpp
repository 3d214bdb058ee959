#pragma once
// The co-exploration of networks and hardware (LEMONADE x HAL): LEMONADE proposes networks, each
// is trained (warm-started from its parent's weights, quantization-aware, for its budgeted epochs)
// and then mapped by the HAL on every device; a few mappings of the HAL's Pareto front, spread
// along it, become joint designs (network, device, mapping), one trial each.
//
// The config's strategy selects the co-exploration (lemonade) or a baseline of the benchmark in
// bench/explore, at the same budget of trained networks and joint trials; each is a
// CoExplorationStrategy in its own file (co_exploration_strategy.hpp lists them). This class is
// the orchestrator: it asks the strategy's network explorer for a batch, hands the networks to an
// executor as jobs (network_job.hpp) that a NetworkEvaluation trains, stores and turns into the
// strategy's trials (here, in worker processes or on MPI ranks), records them in ask order, tells
// the explorer, and replays what the journal holds.
//
// Trials: the design is {network id, device index, mapping index}; all trials of one network are
// recorded in one transaction as soon as it is mapped, with the metrics error, accuracy, lut, ff,
// dsp, bram18, latency_us, fps, power_w, energy_uj, params, macs (+ fits) and the artifacts
// network, mapping, estimate, parent (first trial number of the parent network), morphism,
// training, weights (path relative to the store's directory), device, network_id. A network that
// cannot be trained or has no feasible mapping is one failed trial {id, 0, 0}.
//
// Resume is replay, as in search::Study: LEMONADE is deterministic given its seed and what it was
// told, so the run re-asks, and a network whose trials the journal holds is told from them instead
// of being trained again; its weights are read back from the artifacts directory when a child
// needs them. A network killed mid-training was never recorded and is trained again.
// fidelity: synthesis (strategy lemonade): per network and device, besides the spread picks, the
// mappings an explorer (active learning) chose from the HAL's front are built, verified and synthesized
// (mapping_synthesis.hpp); their trials have fidelity synthesis, the synthesized resources as
// metrics, the analytic estimate as "estimate" and the synthesized one as "synthesis" (what the
// report compares), and "synthesis_flow" (RTL directory, verification, tool runs, explorer step).
// A mapping whose RTL is not bit exact, whose tools fail, or which does not fit once synthesized
// is a failed trial with the reason. The RTL goes to the artifacts directory, rtl/network-N/dD/mapping-F/.
// Study documents written as the run goes: "objectives", "hypervolume" ({trial, value} after each
// network), "hypervolume_reference", and at the end "hints" (hints.hpp) and "test_error" (the
// front's test error, front_test_error.hpp: the search itself sees only validation errors).

#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "core/trial.hpp"
#include "explore/explore_config.hpp"
#include "explore/hints.hpp"
#include "explore/joint_space.hpp"
#include "explore/network_explorer.hpp"
#include "nn/data/dataset_split.hpp"
#include "search/executor.hpp"
#include "store/study_journal.hpp"

namespace codse::explore {

struct ExploreProgress {
  std::size_t networks = 0;  // networks finished (replayed or trained)
  std::size_t budget_networks = 0;
  std::size_t trials = 0;
  std::size_t front = 0;
  double hypervolume = 0.0;
  bool replayed = false;
  double elapsed_seconds = 0.0;
  double budget_seconds = 0.0;  // 0: no wall-time budget
};

struct ExploreResult {
  std::vector<Trial> trials;       // by number
  std::vector<std::size_t> front;  // indices into trials
  double hypervolume = 0.0;
  std::size_t replayed_networks = 0;
  std::size_t trained_networks = 0;
  std::vector<Hint> hints;
  std::map<std::size_t, double> test_error;  // front trial number -> held-out test error (front_test_error.hpp)
};

struct ExploreContext;
class CoExplorationStrategy;
class NetworkEvaluation;

class CoExploration {
 public:
  /// data must outlive the object. artifacts_dir holds the weights files (created if missing).
  CoExploration(ExploreConfig config, const nn::DatasetSplits& data, std::filesystem::path artifacts_dir);
  ~CoExploration();

  void on_progress(std::function<void(const ExploreProgress&)> callback) { callback_ = std::move(callback); }
  /// Runs to the budget, recording into journal (replaying what it holds first). Networks are
  /// trained through executor (worker processes, MPI ranks: each runs a NetworkEvaluation of the
  /// same config), or in this process when it is null; the trials are the same either way.
  /// SIGINT/SIGTERM: records what finished and throws Interrupted.
  ExploreResult run(StudyJournal& journal, Executor* executor = nullptr);

  const JointSpace& space() const { return space_; }

 private:
  std::unique_ptr<NetworkExplorer> make_explorer() const;
  /// The executor's job of candidate: itself, its parent and the parent's first trial.
  EvaluationJob job_for(const NetworkCandidate& candidate, const NetworkExplorer& explorer) const;
  Trial network_summary(std::size_t id, const std::vector<Trial>& joint) const;

  class NetworkPlan;  // the Study's view of networks as jobs (co_exploration.cpp)

  // Training in this process (no executor given); its context (config, data, devices, artifact
  // files) and strategy are the orchestrator's too.
  std::unique_ptr<NetworkEvaluation> evaluation_;
  const ExploreContext& context() const;
  const CoExplorationStrategy& strategy() const;
  JointSpace space_;
  std::vector<Objective> network_objectives_;  // what the network explorer is told
  std::map<std::size_t, std::size_t> first_trial_;  // network id -> its first trial number
  std::function<void(const ExploreProgress&)> callback_;
};

}  // namespace codse::explore
