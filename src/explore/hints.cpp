#include "explore/hints.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

namespace codse::explore {
namespace {

const std::vector<std::string> hardware_costs{"lut", "bram18", "dsp", "latency_us"};

/// One trained network as the hints see it: its accuracy and its cheapest design per cost.
struct NetworkView {
  std::size_t id = 0;
  std::optional<std::size_t> parent;
  std::string change_kind;
  std::string change;
  double accuracy = 0.0;
  std::map<std::string, double> cheapest;
  std::size_t first_trial = 0;
  bool on_front = false;
};

std::map<std::size_t, NetworkView> network_views(const std::vector<Trial>& trials, const std::set<std::size_t>& front) {
  std::map<std::size_t, NetworkView> views;
  for (std::size_t i = 0; i < trials.size(); ++i) {
    const auto& trial = trials[i];
    if (trial.status != TrialStatus::complete || trial.artifacts_json.empty()) continue;
    const auto artifacts = nlohmann::json::parse(trial.artifacts_json, nullptr, false);
    if (!artifacts.is_object() || !artifacts.contains("network_id")) continue;
    const auto id = artifacts["network_id"].get<std::size_t>();
    auto [it, inserted] = views.try_emplace(id);
    auto& v = it->second;
    if (inserted) {
      v.id = id;
      v.first_trial = trial.number;
      if (artifacts.contains("parent_network_id")) v.parent = artifacts["parent_network_id"].get<std::size_t>();
      v.change_kind = artifacts.value("change_kind", "");
      v.change = artifacts.value("morphism", "");
      v.accuracy = trial.metrics.values.count("accuracy") ? trial.metrics.values.at("accuracy") : 0.0;
    }
    for (const auto& cost : hardware_costs) {
      const auto m = trial.metrics.values.find(cost);
      if (m == trial.metrics.values.end()) continue;
      auto c = v.cheapest.find(cost);
      if (c == v.cheapest.end() || m->second < c->second) v.cheapest[cost] = m->second;
    }
    if (front.contains(i)) v.on_front = true;
  }
  return views;
}

std::string signed_percent(double fraction) { return fmt::format("{:+.1f}%", 100.0 * fraction); }

/// Mean change from parent to child per kind of change: accuracy in points, costs relative.
struct ChangeEffect {
  std::size_t children = 0;
  double accuracy = 0.0;
  std::map<std::string, double> cost;
  std::map<std::string, std::size_t> cost_count;
  std::vector<std::size_t> trials;
};

std::map<std::string, ChangeEffect> change_effects(const std::map<std::size_t, NetworkView>& views) {
  std::map<std::string, ChangeEffect> effects;
  for (const auto& [id, child] : views) {
    if (!child.parent || !views.contains(*child.parent)) continue;
    const auto& parent = views.at(*child.parent);
    auto& e = effects[child.change_kind];
    ++e.children;
    e.accuracy += child.accuracy - parent.accuracy;
    e.trials.push_back(child.first_trial);
    for (const auto& [cost, value] : child.cheapest) {
      const auto p = parent.cheapest.find(cost);
      if (p == parent.cheapest.end() || p->second <= 0.0) continue;
      e.cost[cost] += value / p->second - 1.0;
      ++e.cost_count[cost];
    }
  }
  for (auto& [kind, e] : effects) {
    e.accuracy /= static_cast<double>(e.children);
    for (auto& [cost, sum] : e.cost) sum /= static_cast<double>(e.cost_count[cost]);
  }
  return effects;
}

Hint morphism_hint(const std::string& kind, const ChangeEffect& e) {
  Hint hint{"morphism", kind, "", nlohmann::json::object()};
  std::string text = fmt::format("{}: {} accuracy", kind, signed_percent(e.accuracy));
  hint.evidence["children"] = e.children;
  hint.evidence["accuracy_change"] = e.accuracy;
  hint.evidence["trials"] = e.trials;
  for (const auto& [cost, change] : e.cost) {
    text += fmt::format(", {} {}", signed_percent(change), cost);
    hint.evidence[cost + "_change"] = change;
  }
  hint.text = text + fmt::format(" (mean over {} child{})", e.children, e.children == 1 ? "" : "ren");
  return hint;
}

/// The layer limiting throughput and the one dominating each resource, from the estimate.
std::optional<Hint> bottleneck_hint(const Trial& trial) {
  const auto artifacts = nlohmann::json::parse(trial.artifacts_json, nullptr, false);
  if (!artifacts.is_object() || !artifacts.contains("estimate")) return std::nullopt;
  const auto& layers = artifacts["estimate"]["layers"];
  if (!layers.is_array() || layers.empty()) return std::nullopt;
  Hint hint{"bottleneck", fmt::format("trial {}", trial.number), "", nlohmann::json::object()};
  std::string text = fmt::format("trial {}:", trial.number);
  for (const auto& layer : layers)
    if (layer.value("bottleneck", false)) {
      text += fmt::format(" throughput limited by {} ({} cycles, {})", layer["name"].get<std::string>(),
                          layer["cycles"].get<std::int64_t>(), layer["limiter"].get<std::string>());
      hint.evidence["bottleneck"] = layer["name"];
      hint.evidence["bottleneck_cycles"] = layer["cycles"];
    }
  for (const auto* resource : {"lut", "bram18", "dsp"}) {
    double total = 0.0, top = -1.0;
    std::string name;
    for (const auto& layer : layers) {
      // hw::estimate_to_json writes resources flat in each layer; studies from before nested them.
      const double v = layer.contains("resources") ? layer["resources"].value(resource, 0.0) : layer.value(resource, 0.0);
      total += v;
      if (v > top) top = v, name = layer["name"].get<std::string>();
    }
    if (total <= 0.0) continue;
    text += fmt::format("; {} {:.0f}% of {}", name, 100.0 * top / total, resource);
    hint.evidence[std::string(resource) + "_dominant"] = {{"layer", name}, {"share", top / total}};
  }
  hint.text = text;
  return hint;
}

std::optional<Hint> sensitivity_hint(const std::string& kind, const std::map<std::string, ChangeEffect>& effects) {
  const auto it = effects.find(kind);
  if (it == effects.end()) return std::nullopt;
  const auto& e = it->second;
  const std::string subject = kind == "lower_bits" ? "bit width" : "sparsity";
  Hint hint{"sensitivity", subject, "", nlohmann::json::object()};
  const double lut = e.cost.count("lut") ? e.cost.at("lut") : 0.0;
  hint.text = fmt::format("{}: each {} step changed accuracy by {} and LUTs by {} on average ({} children)", subject,
                          kind == "lower_bits" ? "lower-bits" : "higher-sparsity", signed_percent(e.accuracy),
                          signed_percent(lut), e.children);
  hint.evidence = {{"children", e.children}, {"accuracy_change", e.accuracy}, {"lut_change", lut}, {"trials", e.trials}};
  return hint;
}

/// For networks off the front with a child on it: the child's change with the smallest LUT growth.
std::vector<Hint> onto_front_hints(const std::map<std::size_t, NetworkView>& views) {
  std::map<std::size_t, const NetworkView*> best;  // parent id -> cheapest child that made the front
  for (const auto& [id, child] : views) {
    if (!child.on_front || !child.parent || !views.contains(*child.parent)) continue;
    const auto& parent = views.at(*child.parent);
    if (parent.on_front) continue;
    const auto growth = [&](const NetworkView& v) { return v.cheapest.count("lut") ? v.cheapest.at("lut") : 0.0; };
    auto& b = best[parent.id];
    if (!b || growth(child) < growth(*b)) b = &child;
  }
  std::vector<Hint> hints;
  for (const auto& [parent_id, child] : best) {
    const auto& parent = views.at(parent_id);
    Hint hint{"onto_front", fmt::format("trial {}", parent.first_trial), "", nlohmann::json::object()};
    hint.text = fmt::format("the designs of trial {} (off the front) reach it with: {} (trial {}, {} accuracy)",
                            parent.first_trial, child->change, child->first_trial,
                            signed_percent(child->accuracy - parent.accuracy));
    hint.evidence = {{"from_trial", parent.first_trial}, {"to_trial", child->first_trial}, {"change", child->change},
                     {"accuracy_change", child->accuracy - parent.accuracy}};
    hints.push_back(std::move(hint));
  }
  return hints;
}

}  // namespace

std::vector<Hint> derive_hints(const std::vector<Trial>& trials, const JointSpace& space) {
  const auto front_indices = space.front(trials);
  const std::set<std::size_t> front(front_indices.begin(), front_indices.end());
  const auto views = network_views(trials, front);
  const auto effects = change_effects(views);
  std::vector<Hint> hints;
  for (const auto& [kind, effect] : effects) hints.push_back(morphism_hint(kind, effect));
  for (const auto* kind : {"lower_bits", "raise_sparsity"})
    if (auto hint = sensitivity_hint(kind, effects)) hints.push_back(std::move(*hint));
  for (auto index : front_indices)
    if (auto hint = bottleneck_hint(trials[index])) hints.push_back(std::move(*hint));
  for (auto& hint : onto_front_hints(views)) hints.push_back(std::move(hint));
  return hints;
}

nlohmann::json hints_to_json(const std::vector<Hint>& hints) {
  nlohmann::json array = nlohmann::json::array();
  for (const auto& h : hints)
    array.push_back({{"kind", h.kind}, {"subject", h.subject}, {"text", h.text}, {"evidence", h.evidence}});
  return array;
}

}  // namespace codse::explore
