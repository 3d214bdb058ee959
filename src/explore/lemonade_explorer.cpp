#include "explore/lemonade_explorer.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <Eigen/Core>
#include <fmt/format.h>

#include "core/error.hpp"
#include "core/pareto_front.hpp"
#include "core/random_draws.hpp"
#include "explore/kernel_density.hpp"
#include "explore/morphism_choice.hpp"

namespace codse::explore {
namespace {

// Bandwidth floor of the KDE in log10 units: 0.05 is a factor of 1.12, so a population of one
// network still prefers children that differ from it by more than ~10% in size.
constexpr double min_bandwidth = 0.05;

/// Index drawn with probability proportional to weights (all positive).
std::size_t draw(const std::vector<double>& weights, std::mt19937_64& rng) {
  return draw::weighted(rng, weights);
}

}  // namespace

LemonadeExplorer::LemonadeExplorer(std::vector<nn::Network> starts, TrainingHyper start_hyper,
                                   LemonadeOptions options, HardwareCost hardware_cost)
    : options_(std::move(options)), hardware_cost_(std::move(hardware_cost)), rng_(options_.seed) {
  if (starts.empty()) throw InputError("LEMONADE needs at least one starting network");
  if (options_.accepted == 0 || options_.generated < options_.accepted)
    throw InputError("LEMONADE: accepted must be in [1, generated]");
  for (auto& network : starts) {
    std::vector<double> cheap = cheap_objectives(network);
    NetworkCandidate c = start_candidate(candidates_.size(), std::move(network), start_hyper);
    c.cheap = std::move(cheap);
    signatures_.insert(candidate_signature(c.network, c.hyper));
    candidates_.push_back(std::move(c));
  }
  starts_ = candidates_.size();
}

std::vector<double> LemonadeExplorer::cheap_objectives(const nn::Network& network) const {
  const auto stats = network.stats();
  return {std::log10(std::max<double>(1.0, static_cast<double>(stats.params))),
          std::log10(std::max<double>(1.0, static_cast<double>(stats.macs))),
          std::log10(std::max(1.0, hardware_cost_(network)))};
}

std::optional<NetworkCandidate> LemonadeExplorer::morph(const NetworkCandidate& parent) {
  const auto morphism = draw_morphism(parent.network, options_.knobs, rng_);
  if (!morphism) return std::nullopt;
  NetworkCandidate child;
  child.parent = parent.id;
  child.morphism = *morphism;
  child.change = nn::describe(*morphism);
  child.change_kind = nn::to_string(morphism->kind);
  child.morphism_seed = rng_();
  child.hyper = parent.hyper;
  child.network = morphed_structure(parent.network, *morphism, child.morphism_seed);
  if (!within_limits(child.network, options_.knobs)) return std::nullopt;
  return child;
}

std::optional<NetworkCandidate> LemonadeExplorer::mutate_hyper(const NetworkCandidate& parent) {
  const auto& knobs = options_.knobs;
  NetworkCandidate child;
  child.parent = parent.id;
  child.change_kind = "hyperparameters";
  child.network = parent.network;
  child.hyper = parent.hyper;
  auto& h = child.hyper;
  switch (draw::index(rng_, 3)) {
    case 0: {
      const double factor = std::pow(3.0, draw::real(rng_, -1.0, 1.0));
      const double lr = std::clamp(h.learning_rate * factor, knobs.learning_rate_min, knobs.learning_rate_max);
      child.change = fmt::format("learning rate {:.3g} -> {:.3g}", h.learning_rate, lr);
      h.learning_rate = std::stod(fmt::format("{:.3g}", lr));  // 3 digits: stable signatures
      break;
    }
    case 1: {
      const int epochs = std::clamp(h.epochs + (draw::chance(rng_, 0.5) ? 1 : -1), knobs.epochs_min,
                                    knobs.epochs_max);
      child.change = fmt::format("epochs {} -> {}", h.epochs, epochs);
      h.epochs = epochs;
      break;
    }
    default: {
      const int batch = std::clamp(draw::chance(rng_, 0.5) ? h.batch_size * 2 : h.batch_size / 2,
                                   knobs.batch_min, knobs.batch_max);
      child.change = fmt::format("batch size {} -> {}", h.batch_size, batch);
      h.batch_size = batch;
      break;
    }
  }
  if (h == parent.hyper) return std::nullopt;
  return child;
}

std::optional<NetworkCandidate> LemonadeExplorer::make_child(const NetworkCandidate& parent) {
  const bool hyper = draw::chance(rng_, options_.hyper_mutation);
  auto child = hyper ? mutate_hyper(parent) : morph(parent);
  if (!child) return std::nullopt;
  if (signatures_.contains(candidate_signature(child->network, child->hyper))) return std::nullopt;
  child->cheap = cheap_objectives(child->network);
  return child;
}

std::vector<std::size_t> LemonadeExplorer::population() const {
  std::vector<std::size_t> ids;
  for (std::size_t id = 0; id < told_.size(); ++id)
    if (told_[id]) ids.push_back(id);
  if (ids.empty()) return ids;
  Eigen::MatrixXd values(static_cast<Eigen::Index>(ids.size()), static_cast<Eigen::Index>(options_.objectives.size()));
  for (std::size_t r = 0; r < ids.size(); ++r)
    for (std::size_t c = 0; c < options_.objectives.size(); ++c)
      values(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = (*told_[ids[r]])[c];
  std::vector<std::size_t> front;
  for (auto row : pareto_front(values)) front.push_back(ids[row]);
  return front;
}

std::vector<Design> LemonadeExplorer::add_generation(std::vector<NetworkCandidate> accepted) {
  std::vector<Design> designs;
  for (auto& child : accepted) {
    child.id = candidates_.size();
    signatures_.insert(candidate_signature(child.network, child.hyper));
    designs.push_back(Design{{candidate_design_value(child.id)}});
    candidates_.push_back(std::move(child));
  }
  asked_ = candidates_.size();
  return designs;
}

std::vector<Design> LemonadeExplorer::ask(std::size_t n) {
  if (asked_ < starts_) {
    std::vector<Design> designs;
    for (std::size_t id = asked_; id < starts_; ++id) designs.push_back(Design{{candidate_design_value(id)}});
    asked_ = starts_;
    return designs;
  }
  const auto parents = population();
  if (parents.empty() || n == 0) return {};
  std::vector<std::vector<double>> cheap;
  for (auto id : parents) cheap.push_back(candidates_[id].cheap);
  const KernelDensity kde(cheap, min_bandwidth);
  std::vector<double> parent_weights;
  for (const auto& point : cheap) parent_weights.push_back(1.0 / kde.density(point));

  // Generate: parents drawn inversely to their density; tries are bounded so that a population
  // with few possible new children ends the generation instead of looping.
  std::vector<NetworkCandidate> children;
  std::set<std::string> generation;
  for (std::size_t tries = 0; children.size() < options_.generated && tries < 8 * options_.generated; ++tries) {
    auto child = make_child(candidates_[parents[draw(parent_weights, rng_)]]);
    if (!child || !generation.insert(candidate_signature(child->network, child->hyper)).second) continue;
    children.push_back(std::move(*child));
  }
  // Accept: without replacement, inversely to the density of the child's cheap objectives.
  std::vector<NetworkCandidate> accepted;
  const auto wanted = std::min(n, options_.accepted);
  while (accepted.size() < wanted && !children.empty()) {
    std::vector<double> weights;
    for (const auto& child : children) weights.push_back(1.0 / std::max(kde.density(child.cheap), 1e-300));
    const auto pick = draw(weights, rng_);
    accepted.push_back(std::move(children[pick]));
    children.erase(children.begin() + static_cast<std::ptrdiff_t>(pick));
  }
  return add_generation(std::move(accepted));
}

void LemonadeExplorer::tell(const Trial& trial) {
  const auto& c = candidate(trial.design);
  if (told_.size() <= c.id) told_.resize(c.id + 1);
  if (trial.status != TrialStatus::complete) return;
  std::vector<double> values;
  for (const auto& objective : options_.objectives) values.push_back(objective.minimised(trial.metrics.at(objective.metric)));
  for (double v : values)
    if (std::isnan(v)) return;  // a network without a feasible mapping is not in the population
  told_[c.id] = std::move(values);
}

}  // namespace codse::explore
