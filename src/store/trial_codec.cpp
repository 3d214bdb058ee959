#include "store/trial_codec.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace codse {

nlohmann::json number_to_json(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  return value;
}

double number_from_json(const nlohmann::json& json) {
  if (json.is_number()) return json.get<double>();
  if (json.is_string()) {
    const auto& text = json.get_ref<const std::string&>();
    if (text == "nan") return std::numeric_limits<double>::quiet_NaN();
    if (text == "inf") return std::numeric_limits<double>::infinity();
    if (text == "-inf") return -std::numeric_limits<double>::infinity();
  }
  throw std::invalid_argument("expected a number, found " + json.dump());
}

std::string encode_design(const Design& design) {
  auto array = nlohmann::json::array();
  for (double value : design.values) array.push_back(number_to_json(value));
  return array.dump();
}

Design decode_design(std::string_view text) {
  const auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_array()) throw std::invalid_argument("design is not a JSON array");
  Design design;
  design.values.reserve(json.size());
  for (const auto& value : json) design.values.push_back(number_from_json(value));
  return design;
}

std::string encode_metrics(const std::map<std::string, double>& values) {
  auto object = nlohmann::json::object();
  for (const auto& [name, value] : values) object[name] = number_to_json(value);
  return object.dump();
}

std::map<std::string, double> decode_metrics(std::string_view text) {
  const auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) throw std::invalid_argument("metrics are not a JSON object");
  std::map<std::string, double> values;
  for (const auto& [name, value] : json.items()) values.emplace(name, number_from_json(value));
  return values;
}

std::string encode_artifacts(std::string_view artifacts_json) {
  if (artifacts_json.empty()) return "{}";
  const auto json = nlohmann::json::parse(artifacts_json, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) throw std::invalid_argument("artifacts are not a JSON object");
  return std::string(artifacts_json);
}

std::string decode_artifacts(std::string_view text) {
  if (text == "{}") return "";
  return std::string(text);
}

}  // namespace codse
