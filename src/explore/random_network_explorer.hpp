#pragma once
// Random search over the same network space LEMONADE explores: the baseline of the side-by-side
// benchmark (bench/explore). Each candidate is a random chain of allowed morphisms applied to a
// starting network, with hyperparameters drawn from the knobs' ranges, trained from scratch (no
// parent, no inherited weights: random search keeps no population to inherit from).
//
// - The starting networks are asked first, with the config's training settings (as LEMONADE).
// - Chain length: uniform in [1, max_chain]. The co-exploration sets max_chain to the number of
//   LEMONADE generations the budget allows (networks / accepted), so random chains reach as far
//   from the start as LEMONADE's last generation can.
// - Each link: a starting network drawn uniformly, then morphisms drawn as LEMONADE draws them
//   (a kind uniformly among the allowed ones, then an instance); a chain that leaves the knobs'
//   limits (parameters, weighted layers) is drawn again.
// - Hyperparameters: learning rate log-uniform in its range (3 significant digits, as LEMONADE's
//   mutations), epochs uniform in their range, batch size a power of two uniform in its range.
// - Duplicates (same structure and hyperparameters) are drawn again; tell() ignores results.

#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "explore/explore_config.hpp"
#include "explore/network_explorer.hpp"

namespace codse::explore {

class RandomNetworkExplorer final : public NetworkExplorer {
 public:
  RandomNetworkExplorer(std::vector<nn::Network> starts, TrainingHyper start_hyper, MlKnobs knobs,
                        std::size_t max_chain, std::uint64_t seed);

  std::string_view name() const override { return "random"; }
  /// The starting networks first (all of them), then n random candidates (fewer when no new one
  /// can be drawn).
  std::vector<Design> ask(std::size_t n) override;
  void tell(const Trial&) override {}
  bool done() const override { return false; }

  const NetworkCandidate& candidate(std::size_t id) const override { return candidates_.at(id); }
  using NetworkExplorer::candidate;
  std::size_t candidate_count() const { return candidates_.size(); }

 private:
  std::optional<NetworkCandidate> draw();
  TrainingHyper draw_hyper();

  MlKnobs knobs_;
  std::size_t max_chain_;
  std::mt19937_64 rng_;
  std::vector<NetworkCandidate> candidates_;
  std::size_t starts_ = 0;
  std::size_t asked_ = 0;
  std::set<std::string> signatures_;
};

}  // namespace codse::explore
