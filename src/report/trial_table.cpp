#include "report/trial_table.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "core/objective.hpp"
#include "report/recorded_weights.hpp"

namespace codse::report {
namespace {

using nlohmann::ordered_json;

/// The study's metric bounds (a co-exploration's config "constraints"; "fits" and "any_size" are
/// not bounds).
std::vector<MetricBound> constraints(const nlohmann::json& config) {
  std::vector<MetricBound> bounds;
  if (!config.is_object() || !config.contains("constraints") || !config.at("constraints").is_array()) return bounds;
  for (const auto& entry : config.at("constraints")) {
    if (!entry.is_string()) continue;
    try {
      bounds.push_back(MetricBound::parse(entry.get<std::string>()));
    } catch (const std::exception&) {  // "fits", "any_size"
    }
  }
  return bounds;
}

ordered_json number_or_null(double value) { return std::isfinite(value) ? ordered_json(value) : ordered_json(); }

/// Every metric name the trials hold that is not an objective, sorted.
std::vector<std::string> other_metrics(const ReportData& data) {
  std::set<std::string> names;
  for (const auto& trial : data.trials)
    for (const auto& [name, value] : trial.metrics.values) names.insert(name);
  for (const auto& objective : data.objectives) names.erase(objective.metric);
  return {names.begin(), names.end()};
}

/// The constraints as the trial's metrics meet them: null when a bounded metric is missing.
ordered_json feasible(const Trial& trial, const std::vector<MetricBound>& bounds) {
  for (const auto& bound : bounds) {
    const auto found = trial.metrics.values.find(bound.metric);
    if (found == trial.metrics.values.end()) return ordered_json();
    if (!bound.holds(found->second)) return false;
  }
  return true;
}

/// The artifact fields a co-exploration trial records that a table shows: where it ran, the ML
/// knobs of its network (the morphism that made it, its parent trial, its training) and where its
/// files are (the weights file, as a path from where the store was opened). Null for a trial
/// without them (every `codse dse` trial).
void add_artifacts(ordered_json& row, const Trial& trial, const std::filesystem::path& store) {
  static const std::vector<std::pair<std::string, nlohmann::json::json_pointer>> fields = {
      {"device", nlohmann::json::json_pointer("/device")},
      {"network_id", nlohmann::json::json_pointer("/network_id")},
      {"morphism", nlohmann::json::json_pointer("/morphism")},
      {"parent", nlohmann::json::json_pointer("/parent")},
      {"train_epochs", nlohmann::json::json_pointer("/training/epochs")},
      {"learning_rate", nlohmann::json::json_pointer("/training/learning_rate")},
      {"batch_size", nlohmann::json::json_pointer("/training/batch_size")}};
  const auto artifacts = trial.artifacts_json.empty() ? nlohmann::json()
                                                      : nlohmann::json::parse(trial.artifacts_json, nullptr, false);
  for (const auto& [column, pointer] : fields) {
    row[column] = nullptr;
    if (artifacts.is_object() && artifacts.contains(pointer) && artifacts.at(pointer).is_primitive())
      row[column] = artifacts.at(pointer);
  }
  const auto weights = recorded_weights(store, artifacts);
  row["artifacts"] = weights ? ordered_json(weights->string()) : ordered_json();
}

ordered_json trial_row(const ReportData& data, const Trial& trial, const std::vector<std::string>& metrics,
                       const std::vector<MetricBound>& bounds, bool on_front) {
  ordered_json row;
  row["number"] = trial.number;
  row["status"] = std::string(to_string(trial.status));
  row["fidelity"] = std::string(to_string(trial.metrics.fidelity));
  row["seconds"] = trial.metrics.seconds;
  row["on_front"] = on_front;
  row["feasible"] = feasible(trial, bounds);
  for (std::size_t k = 0; k < data.knobs.size(); ++k)
    row[data.knobs[k]] = k < trial.design.values.size() ? number_or_null(trial.design.values[k]) : ordered_json();
  for (const auto& objective : data.objectives) {
    const auto found = trial.metrics.values.find(objective.metric);
    row[objective.metric] = found == trial.metrics.values.end() ? ordered_json() : number_or_null(found->second);
  }
  // Beside the objectives (error among them, the validation error): the held-out test error the
  // co-exploration measured for its front's designs, null for the others.
  if (!data.test_error.empty()) {
    const auto found = data.test_error.find(trial.number);
    row["test_error"] = found == data.test_error.end() ? ordered_json() : number_or_null(found->second);
  }
  for (const auto& name : metrics) {
    const auto found = trial.metrics.values.find(name);
    row[name] = found == trial.metrics.values.end() ? ordered_json() : number_or_null(found->second);
  }
  add_artifacts(row, trial, data.store);
  row["failure"] = trial.error;  // not "error": that is a metric (1 - accuracy)
  return row;
}

std::string csv_field(const ordered_json& value) {
  if (value.is_null()) return {};
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_number_integer()) return value.dump();
  if (value.is_number()) return fmt::format("{}", value.get<double>());
  const auto text = value.is_string() ? value.get<std::string>() : value.dump();
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string csv_line(const std::vector<std::string>& fields) { return fmt::format("{}\r\n", fmt::join(fields, ",")); }

}  // namespace

TrialTable trial_table(const ReportData& data, bool front_only) {
  const std::set<std::size_t> front(data.front.begin(), data.front.end());
  const auto metrics = other_metrics(data);
  const auto bounds = constraints(data.config);
  TrialTable table;
  for (const auto& trial : data.trials) {
    const bool on_front = front.count(trial.number) > 0;
    if (front_only && !on_front) continue;
    table.rows.push_back(trial_row(data, trial, metrics, bounds, on_front));
  }
  // Every row has the same columns, so a row of an empty trial names them (also for an empty table).
  const auto header = trial_row(data, Trial{}, metrics, bounds, false);
  for (auto it = header.begin(); it != header.end(); ++it) table.columns.push_back(it.key());
  return table;
}

std::string trial_table_csv(const TrialTable& table) {
  std::vector<std::string> header;
  for (const auto& column : table.columns) header.push_back(csv_field(column));
  std::string text = csv_line(header);
  for (const auto& row : table.rows) {
    std::vector<std::string> fields;
    for (const auto& column : table.columns) fields.push_back(csv_field(row.contains(column) ? row.at(column) : ordered_json()));
    text += csv_line(fields);
  }
  return text;
}

ordered_json trial_table_json(const ReportData& data, const TrialTable& table) {
  ordered_json objectives = ordered_json::array();
  for (const auto& objective : data.objectives)
    objectives.push_back({{"metric", objective.metric}, {"sense", objective.sense == Sense::minimize ? "min" : "max"}});
  ordered_json bounds = ordered_json::array();
  for (const auto& bound : constraints(data.config)) bounds.push_back(bound.to_string());
  return {{"study", data.study},     {"store", data.store.string()}, {"objectives", objectives},
          {"constraints", bounds},   {"front", data.front},          {"columns", table.columns},
          {"trials", table.rows}};
}

}  // namespace codse::report
