#include "report/html_report.hpp"

#include "core/atomic_file.hpp"
#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <map>
#include <string_view>

#include <fmt/format.h>

#include "core/design.hpp"
#include "core/error.hpp"
#include "core/metric_catalog.hpp"
#include "report/report_assets.hpp"

namespace codse::report {
namespace {

/// Artifacts every trial keeps in the page: small, and what the hover and the lineage need.
constexpr std::array<std::string_view, 3> light_artifacts{"parent", "morphism", "training"};

nlohmann::json trial_artifacts(const Trial& trial, bool on_front) {
  if (trial.artifacts_json.empty()) return nlohmann::json::object();
  auto artifacts = nlohmann::json::parse(trial.artifacts_json, nullptr, /*allow_exceptions=*/false);
  if (!artifacts.is_object()) return {{"unreadable", trial.artifacts_json.substr(0, 200)}};
  if (on_front) return artifacts;
  nlohmann::json light = nlohmann::json::object();
  for (const auto key : light_artifacts)
    if (artifacts.contains(key)) light[std::string(key)] = artifacts[std::string(key)];
  return light;
}

/// A trial's metrics at 9 significant digits: every chart, table and the page's CSV show fewer,
/// and a calibrated estimate's 17 (49426.13027820713 LUTs) would take a tenth of the page.
nlohmann::json page_metrics(const std::map<std::string, double>& values) {
  nlohmann::json metrics = nlohmann::json::object();
  for (const auto& [name, value] : values)
    metrics[name] = std::isfinite(value) ? std::stod(fmt::format("{:.9g}", value)) : value;
  return metrics;
}

nlohmann::json trial_json(const Trial& trial, bool on_front, const TrialDesign& design,
                          const std::map<std::size_t, double>& test_error) {
  nlohmann::json knobs = nlohmann::json::object();
  for (const auto& [name, value] : design.knobs) knobs[name] = value;
  // The held-out test error of a front design, apart from the metrics: no chart or axis may treat
  // it as something the search saw.
  const auto tested = test_error.find(trial.number);
  return {{"number", trial.number},
          {"test_error", tested == test_error.end() ? nlohmann::json() : nlohmann::json(tested->second)},
          {"name", design.name},
          {"knobs", knobs},
          {"key", design_key_hex(trial.design)},
          {"status", std::string(to_string(trial.status))},
          {"fidelity", std::string(to_string(trial.metrics.fidelity))},
          {"seconds", trial.metrics.seconds},
          {"design", trial.design.values},
          {"metrics", page_metrics(trial.metrics.values)},
          {"error", trial.error},
          {"front", on_front},
          {"artifacts", trial_artifacts(trial, on_front)}};
}

nlohmann::json objectives_json(const ReportData& data) {
  nlohmann::json objectives = nlohmann::json::array();
  for (const auto& objective : data.objectives) {
    nlohmann::json entry{{"name", objective.metric}, {"sense", objective.sense == Sense::minimize ? "min" : "max"}};
    if (const auto* metric = find_metric(objective.metric)) {  // a study of a table names its own metrics
      entry["unit"] = std::string(metric->unit);
      entry["description"] = std::string(metric->description);
    }
    objectives.push_back(std::move(entry));
  }
  return objectives;
}

/// Units of every metric a trial reports that codse's catalog knows, so every axis can say one.
nlohmann::json metric_units_json(const ReportData& data) {
  nlohmann::json units = nlohmann::json::object();
  for (const auto& trial : data.trials)
    for (const auto& [name, value] : trial.metrics.values)
      if (!units.contains(name))
        if (const auto* metric = find_metric(name)) units[name] = std::string(metric->unit);
  if (!data.test_error.empty()) units["test_error"] = std::string(find_metric("test_error")->unit);
  return units;
}

nlohmann::json hypervolume_json(const HypervolumeCurve& curve) {
  nlohmann::json points = nlohmann::json::array();
  for (const auto& point : curve.points) points.push_back({{"trial", point.trial}, {"value", point.value}});
  return {{"source", curve.source}, {"normalisation", curve.normalisation}, {"points", points},
          {"reference", curve.reference}};
}

nlohmann::json pair_fronts_json(const ReportData& data) {
  nlohmann::json fronts = nlohmann::json::array();
  for (const auto& pair : data.pair_fronts) fronts.push_back({{"x", pair.x}, {"y", pair.y}, {"trials", pair.trials}});
  return fronts;
}

std::string html_escape(std::string_view text) {
  std::string escaped;
  for (const char c : text) {
    switch (c) {
      case '&': escaped += "&amp;"; break;
      case '<': escaped += "&lt;"; break;
      case '>': escaped += "&gt;"; break;
      case '"': escaped += "&quot;"; break;
      default: escaped += c;
    }
  }
  return escaped;
}

}  // namespace

nlohmann::json report_json(const ReportData& data) {
  nlohmann::json trials = nlohmann::json::array();
  for (std::size_t i = 0; i < data.trials.size(); ++i) {
    const auto& trial = data.trials[i];
    const bool front = std::find(data.front.begin(), data.front.end(), trial.number) != data.front.end();
    trials.push_back(
        trial_json(trial, front, i < data.designs.size() ? data.designs[i] : TrialDesign{}, data.test_error));
  }
  return {{"study", data.study},
          {"store", data.store.string()},
          {"command", data.config.is_object() ? data.config.value("command", nlohmann::json("")) : nlohmann::json("")},
          {"config", data.config},
          {"objectives", objectives_json(data)},
          {"metric_units", metric_units_json(data)},
          {"knobs", data.knobs},
          {"trials", trials},
          {"front", data.front},
          {"pair_fronts", pair_fronts_json(data)},
          {"hypervolume", hypervolume_json(data.hypervolume)},
          {"hints", data.hints}};
}

std::string script_safe_json(const nlohmann::json& json) {
  const auto text = json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string safe;
  safe.reserve(text.size());
  for (const char c : text) {
    if (c == '<')
      safe += "\\u003c";
    else
      safe += c;
  }
  return safe;
}

std::string render_report_html(const ReportData& data) {
  // The 3-D library (~0.6 MB) is only sent when there are three objectives to show in 3-D.
  const auto charts_3d = data.objectives.size() >= 3 ? chart_library_3d_script() : std::string_view();
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>codse report: {}</title>\n<style>\n{}</style>\n</head>\n<body>\n"
      "<main id=\"report\"><p class=\"loading\">Rendering the report (needs JavaScript)...</p></main>\n"
      "<script type=\"application/json\" id=\"codse-data\">{}</script>\n"
      "<script id=\"chart-library\">\n{}</script>\n<script id=\"chart-library-3d\">\n{}</script>\n"
      "<script>\n{}</script>\n</body>\n</html>\n",
      html_escape(data.study), report_stylesheet(), script_safe_json(report_json(data)), chart_library_script(),
      charts_3d, report_script());
}

void write_report_html(const ReportData& data, const std::filesystem::path& path) {
  write_file_atomically(path, render_report_html(data));
}

}  // namespace codse::report
