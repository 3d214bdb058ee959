#include "store/trial_codec.hpp"

#include <stdexcept>

#include "core/json_number.hpp"

namespace codse {
namespace {

double decoded_number(const nlohmann::json& json) {
  if (const auto value = double_from_json(json)) return *value;
  throw std::invalid_argument("expected a number, found " + json.dump());
}

}  // namespace

std::string encode_design(const Design& design) {
  auto array = nlohmann::json::array();
  for (double value : design.values) array.push_back(json_number(value));
  return array.dump();
}

Design decode_design(std::string_view text) {
  const auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_array()) throw std::invalid_argument("design is not a JSON array");
  Design design;
  design.values.reserve(json.size());
  for (const auto& value : json) design.values.push_back(decoded_number(value));
  return design;
}

std::string encode_metrics(const std::map<std::string, double>& values) {
  auto object = nlohmann::json::object();
  for (const auto& [name, value] : values) object[name] = json_number(value);
  return object.dump();
}

std::map<std::string, double> decode_metrics(std::string_view text) {
  const auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) throw std::invalid_argument("metrics are not a JSON object");
  std::map<std::string, double> values;
  for (const auto& [name, value] : json.items()) values.emplace(name, decoded_number(value));
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
