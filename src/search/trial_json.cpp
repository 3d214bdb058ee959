#include "search/trial_json.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/json_number.hpp"

namespace codse {
namespace {

double number_of(const nlohmann::json& json, const char* field) {
  if (const auto value = double_from_json(json)) return *value;
  throw InputError(fmt::format("{}: expected a number, \"nan\", \"inf\" or \"-inf\", got {}", field, json.dump()));
}

const nlohmann::json& field(const nlohmann::json& json, const char* name) {
  if (!json.is_object() || !json.contains(name)) throw InputError(fmt::format("missing field '{}'", name));
  return json.at(name);
}

nlohmann::json design_json(const Design& design) {
  auto values = nlohmann::json::array();
  for (double v : design.values) values.push_back(json_number(v));
  return values;
}

Design design_of(const nlohmann::json& json) {
  if (!json.is_array()) throw InputError("design: expected an array of numbers");
  Design design;
  for (const auto& v : json) design.values.push_back(number_of(v, "design"));
  return design;
}

std::size_t count_of(const nlohmann::json& json, const char* name) {
  const auto& value = field(json, name);
  if (!value.is_number_unsigned()) throw InputError(fmt::format("{}: expected a whole number", name));
  return value.get<std::size_t>();
}

std::string text_of(const nlohmann::json& json, const char* name) {
  const auto& value = field(json, name);
  if (!value.is_string()) throw InputError(fmt::format("{}: expected a string", name));
  return value.get<std::string>();
}

}  // namespace

nlohmann::json trial_to_json(const Trial& trial) {
  auto metrics = nlohmann::json::object();
  for (const auto& [name, value] : trial.metrics.values) metrics[name] = json_number(value);
  return {{"number", trial.number},
          {"design", design_json(trial.design)},
          {"status", to_string(trial.status)},
          {"metrics", std::move(metrics)},
          {"fidelity", to_string(trial.metrics.fidelity)},
          {"seconds", json_number(trial.metrics.seconds)},
          {"error", trial.error},
          {"artifacts", trial.artifacts_json}};
}

Trial trial_from_json(const nlohmann::json& json) {
  Trial trial;
  trial.number = count_of(json, "number");
  trial.design = design_of(field(json, "design"));
  trial.status = trial_status_from_string(text_of(json, "status"));
  const auto& metrics = field(json, "metrics");
  if (!metrics.is_object()) throw InputError("metrics: expected an object");
  for (const auto& [name, value] : metrics.items()) trial.metrics.values[name] = number_of(value, "metrics");
  trial.metrics.fidelity = fidelity_from_string(text_of(json, "fidelity"));
  trial.metrics.seconds = number_of(field(json, "seconds"), "seconds");
  trial.error = text_of(json, "error");
  trial.artifacts_json = text_of(json, "artifacts");
  return trial;
}

nlohmann::json job_to_json(const EvaluationJob& job) {
  return {{"number", job.number}, {"design", design_json(job.design)}, {"input", job.input}};
}

EvaluationJob job_from_json(const nlohmann::json& json) {
  return {count_of(json, "number"), design_of(field(json, "design")), field(json, "input"), 0.0};
}

}  // namespace codse
