#include "explore/random_network_explorer.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/random_draws.hpp"
#include "explore/morphism_choice.hpp"

namespace codse::explore {

RandomNetworkExplorer::RandomNetworkExplorer(std::vector<nn::Network> starts, TrainingHyper start_hyper,
                                             MlKnobs knobs, std::size_t max_chain, std::uint64_t seed)
    : knobs_(std::move(knobs)), max_chain_(std::max<std::size_t>(1, max_chain)), rng_(seed) {
  if (starts.empty()) throw InputError("random network search needs at least one starting network");
  for (auto& network : starts) {
    NetworkCandidate c = start_candidate(candidates_.size(), std::move(network), start_hyper);
    signatures_.insert(candidate_signature(c.network, c.hyper));
    candidates_.push_back(std::move(c));
  }
  starts_ = candidates_.size();
}

TrainingHyper RandomNetworkExplorer::draw_hyper() {
  TrainingHyper h;
  const double log_lr = draw::real(rng_, std::log(knobs_.learning_rate_min), std::log(knobs_.learning_rate_max));
  h.learning_rate = std::stod(fmt::format("{:.3g}", std::exp(log_lr)));
  h.epochs = static_cast<int>(draw::integer(rng_, knobs_.epochs_min, knobs_.epochs_max));
  std::vector<int> batches;
  for (int b = 1; b <= knobs_.batch_max; b *= 2)
    if (b >= knobs_.batch_min) batches.push_back(b);
  if (batches.empty()) batches.push_back(knobs_.batch_min);
  h.batch_size = batches[draw::index(rng_, batches.size())];
  return h;
}

std::optional<NetworkCandidate> RandomNetworkExplorer::draw() {
  NetworkCandidate c;
  const auto start = draw::index(rng_, starts_);
  c.network = candidates_[start].network;
  const auto length = 1 + draw::index(rng_, max_chain_);
  std::vector<std::string> steps;
  for (std::size_t i = 0; i < length; ++i) {
    const auto morphism = draw_morphism(c.network, knobs_, rng_);
    if (!morphism) break;
    c.network = morphed_structure(c.network, *morphism, rng_());
    steps.push_back(nn::describe(*morphism));
  }
  if (!within_limits(c.network, knobs_)) return std::nullopt;
  c.hyper = draw_hyper();
  c.change_kind = "random";
  c.change = fmt::format("random from {}: {}", candidates_[start].network.name(), fmt::join(steps, "; "));
  if (signatures_.contains(candidate_signature(c.network, c.hyper))) return std::nullopt;
  return c;
}

std::vector<Design> RandomNetworkExplorer::ask(std::size_t n) {
  std::vector<Design> designs;
  if (asked_ < starts_) {
    for (std::size_t id = asked_; id < starts_; ++id) designs.push_back(Design{{candidate_design_value(id)}});
    asked_ = starts_;
    return designs;
  }
  // Bounded tries: a space with few distinct candidates left ends the search instead of looping.
  for (std::size_t tries = 0; designs.size() < n && tries < 50 * n; ++tries) {
    auto c = draw();
    if (!c) continue;
    c->id = candidates_.size();
    signatures_.insert(candidate_signature(c->network, c->hyper));
    designs.push_back(Design{{candidate_design_value(c->id)}});
    candidates_.push_back(std::move(*c));
  }
  asked_ = candidates_.size();
  return designs;
}

}  // namespace codse::explore
