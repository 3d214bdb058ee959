#pragma once
// How designs and metrics are written to the store as JSON text, exactly: finite doubles as JSON
// numbers (nlohmann/json prints the shortest text that parses back to the same double), and the
// values JSON cannot hold as numbers as the strings "nan", "inf" and "-inf" (core/json_number;
// nlohmann/json would otherwise print them as null and lose them).

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/trial.hpp"

namespace codse {

/// The design as a JSON array of its values.
std::string encode_design(const Design& design);
/// Throws std::invalid_argument if text is not such an array.
Design decode_design(std::string_view text);

/// The metric values as a JSON object name -> number.
std::string encode_metrics(const std::map<std::string, double>& values);
/// Throws std::invalid_argument if text is not such an object.
std::map<std::string, double> decode_metrics(std::string_view text);

/// The artifacts column's text: "{}" for none (empty text), else the text as given (verbatim, so
/// it reads back byte for byte).
/// Throws std::invalid_argument if text is neither empty nor a JSON object.
std::string encode_artifacts(std::string_view artifacts_json);
/// The column's text back as Trial::artifacts_json: empty for "{}".
std::string decode_artifacts(std::string_view text);

}  // namespace codse
