#include "explore/network_job.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/error.hpp"
#include "nn/ir/network_io.hpp"

namespace codse::explore {
namespace {

nlohmann::json morphism_json(const nn::Morphism& m) {
  return {{"kind", nn::to_string(m.kind)}, {"layer", m.layer},      {"to", m.to},        {"units", m.units},
          {"fraction", m.fraction},         {"bits", m.bits},        {"target", m.target}};
}

nn::Morphism morphism_of(const nlohmann::json& json) {
  const auto name = json.at("kind").get<std::string>();
  const auto kind = nn::morphism_kind_from_string(name);
  if (!kind) throw InputError(fmt::format("job input: unknown morphism kind '{}'", name));
  return {*kind,
          json.at("layer").get<std::string>(),
          json.at("to").get<std::string>(),
          json.at("units").get<int>(),
          json.at("fraction").get<double>(),
          json.at("bits").get<int>(),
          json.at("target").get<double>()};
}

// The fields training and the trial writer read; `cheap` only guides the explorer.
nlohmann::json candidate_json(const NetworkCandidate& c) {
  nlohmann::json json{{"id", c.id},
                      {"change", c.change},
                      {"change_kind", c.change_kind},
                      {"morphism_seed", c.morphism_seed},
                      {"network", nn::format_network_json(c.network)},
                      {"learning_rate", c.hyper.learning_rate},
                      {"epochs", c.hyper.epochs},
                      {"batch_size", c.hyper.batch_size}};
  if (c.parent) json["parent"] = *c.parent;
  if (c.morphism) json["morphism"] = morphism_json(*c.morphism);
  return json;
}

NetworkCandidate candidate_of(const nlohmann::json& json) {
  NetworkCandidate c;
  c.id = json.at("id").get<std::size_t>();
  c.change = json.at("change").get<std::string>();
  c.change_kind = json.at("change_kind").get<std::string>();
  c.morphism_seed = json.at("morphism_seed").get<std::uint64_t>();
  c.network = nn::parse_network_json(json.at("network").get<std::string>(), fmt::format("job input, network {}", c.id));
  c.hyper = {json.at("learning_rate").get<double>(), json.at("epochs").get<int>(), json.at("batch_size").get<int>()};
  if (json.contains("parent")) c.parent = json.at("parent").get<std::size_t>();
  if (json.contains("morphism")) c.morphism = morphism_of(json.at("morphism"));
  return c;
}

}  // namespace

EvaluationJob network_job(std::size_t number, const NetworkCandidate& candidate, const NetworkCandidate* parent,
                          std::optional<std::size_t> parent_trial) {
  nlohmann::json input{{"candidate", candidate_json(candidate)}};
  if (parent) input["parent"] = candidate_json(*parent);
  if (parent_trial) input["parent_trial"] = *parent_trial;
  // Training dominates a network's evaluation: epochs times the multiply-accumulates per sample.
  const double cost = candidate.hyper.epochs * static_cast<double>(std::max<std::int64_t>(1, candidate.network.stats().macs));
  return {number, {{candidate_design_value(candidate.id)}}, std::move(input), cost};
}

NetworkJob read_network_job(const EvaluationJob& job) {
  try {
    NetworkJob read{candidate_of(job.input.at("candidate")), std::nullopt, std::nullopt};
    if (job.input.contains("parent")) read.parent = candidate_of(job.input.at("parent"));
    if (job.input.contains("parent_trial")) read.parent_trial = job.input.at("parent_trial").get<std::size_t>();
    return read;
  } catch (const nlohmann::json::exception& error) {
    throw InputError(fmt::format("the job of trial {} is not a network job: {}", job.number, error.what()));
  }
}

}  // namespace codse::explore
