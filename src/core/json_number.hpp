#pragma once
// Doubles in JSON, which has no NaN or infinity: codse writes those as the strings "nan", "inf"
// and "-inf" (a trial's design and metrics, in the store and between workers and ranks).

#include <optional>

#include <nlohmann/json.hpp>

namespace codse {

/// value as JSON: a number, or "nan", "inf" or "-inf".
nlohmann::json json_number(double value);

/// The double json_number wrote: a JSON number, or one of those three strings; nullopt for
/// anything else (the caller says where it was and what it expected).
std::optional<double> double_from_json(const nlohmann::json& json);

}  // namespace codse
