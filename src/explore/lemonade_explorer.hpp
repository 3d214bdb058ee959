#pragma once
// LEMONADE (Elsken, Metzen and Hutter, "Efficient Multi-Objective Neural Architecture Search via
// Lamarckian Evolution", ICLR 2019) as an ask/tell Explorer over networks. It never trains: it
// proposes NetworkCandidates (the Design is the candidate id) and is told each one's metrics.
//
// What follows the paper:
// - The population is the Pareto front of every network told so far over the objectives.
// - A Gaussian kernel density estimate over the population's cheap objectives (here log10 of
//   parameters, of MACs, and of the analytic hardware cost the caller supplies, e.g. the LUTs of a
//   FINN folding from the HAL's estimator) picks parents with probability inversely proportional
//   to their density, so sparse regions of the front get explored.
// - Each parent yields a child by one network morphism (nn/morph/morphism.hpp: widen, deepen, add or
//   remove a skip, remove a layer, prune units, lower bits, raise sparsity); n_generated children
//   are generated, and n_accepted of them are chosen, without replacement, with probability
//   inversely proportional to the density of their cheap objectives under the population's KDE.
//   Only those are asked, i.e. trained (warm-started from the parent's weights: Lamarckian
//   inheritance, done by the evaluator with the candidate's morphism and morphism_seed).
// Where it deviates:
// - Besides morphisms, a share of children (hyper_mutation) are hyperparameter mutations of the
//   parent (learning rate x/÷ up to 3 in its range, epochs +-1, batch size x2 or /2): the same
//   network trained further with other settings, as the issue asks.
// - The paper's generation 0 trains a few random trivial networks; here the starting networks of
//   the config are generation 0.
// - The paper's approximate morphisms (remove layer, prune) are applied with the same probability
//   as the function-preserving ones instead of in a separate phase.
// - Children that equal a network already proposed (same structure and hyperparameters) and
//   children over the knobs' limits (parameters, weighted layers, bits, sparsity) are dropped.

#include <cstdint>
#include <functional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/objective.hpp"
#include "explore/explore_config.hpp"
#include "explore/network_candidate.hpp"
#include "explore/network_explorer.hpp"

namespace codse::explore {

struct LemonadeOptions {
  std::size_t generated = 24;
  std::size_t accepted = 4;
  double hyper_mutation = 0.2;
  MlKnobs knobs;
  std::vector<Objective> objectives;  // the metrics told trials carry; the population's front
  std::uint64_t seed = 1;
};

/// The analytic hardware cost of a network (a positive number, e.g. LUTs); the third cheap
/// objective.
using HardwareCost = std::function<double(const nn::Network&)>;

class LemonadeExplorer final : public NetworkExplorer {
 public:
  LemonadeExplorer(std::vector<nn::Network> starts, TrainingHyper start_hyper, LemonadeOptions options,
                   HardwareCost hardware_cost);

  std::string_view name() const override { return "lemonade"; }
  /// The starting networks first (all of them, whatever n), then one generation of at most
  /// min(n, accepted) children. Empty when nothing is told yet or no new child can be made.
  std::vector<Design> ask(std::size_t n) override;
  /// trial.design is {candidate id}; a complete trial must carry every objective.
  void tell(const Trial& trial) override;
  bool done() const override { return false; }

  const NetworkCandidate& candidate(std::size_t id) const override { return candidates_.at(id); }
  using NetworkExplorer::candidate;
  std::size_t candidate_count() const { return candidates_.size(); }
  /// Ids of the current population (the Pareto front of told networks), ascending.
  std::vector<std::size_t> population() const;

 private:
  std::optional<NetworkCandidate> make_child(const NetworkCandidate& parent);
  std::optional<NetworkCandidate> morph(const NetworkCandidate& parent);
  std::optional<NetworkCandidate> mutate_hyper(const NetworkCandidate& parent);
  std::vector<double> cheap_objectives(const nn::Network& network) const;
  std::vector<Design> add_generation(std::vector<NetworkCandidate> accepted);

  LemonadeOptions options_;
  HardwareCost hardware_cost_;
  std::mt19937_64 rng_;
  std::vector<NetworkCandidate> candidates_;  // by id
  std::size_t starts_ = 0;
  std::size_t asked_ = 0;
  std::set<std::string> signatures_;
  std::vector<std::optional<std::vector<double>>> told_;  // minimised objective values by id
};

}  // namespace codse::explore
