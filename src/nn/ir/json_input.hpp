#pragma once
// Strict JSON input shared by every file reader (network, integer model, mapping, device catalog;
// docs/FORMATS.md): a key that appears twice in one object is refused (nlohmann::json would keep
// the last one silently), and integers are range-checked before they are narrowed (nlohmann's get
// wraps: 2^32 as an int is 0, 2^64 - 1 as an int64 is -1).

#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace codse::nn {

/// Parses JSON text like BasicJson::parse (syntax errors throw nlohmann's parse_error), and throws
/// InputError "SOURCE: the key 'K' appears twice in one object" for a duplicate key (no prefix when
/// SOURCE is empty).
template <typename BasicJson = nlohmann::json>
BasicJson parse_json_unique_keys(std::string_view text, const std::string& source) {
  using Event = typename BasicJson::parse_event_t;
  std::vector<std::set<std::string>> open;  // the keys of every object being read, innermost last
  const typename BasicJson::parser_callback_t check = [&open, &source](int, Event event, BasicJson& parsed) {
    if (event == Event::object_start) {
      open.emplace_back();
    } else if (event == Event::object_end) {
      if (!open.empty()) open.pop_back();
    } else if (event == Event::key && !open.empty()) {
      const auto& key = parsed.template get_ref<const std::string&>();
      if (!open.back().insert(key).second)
        throw InputError(fmt::format("{}the key '{}' appears twice in one object", source.empty() ? "" : source + ": ", key));
    }
    return true;
  };
  try {
    return BasicJson::parse(text, check);
  } catch (const typename BasicJson::out_of_range& error) {
    // A number beyond double's range (1e309): nlohmann reports it as out_of_range, not as the
    // parse_error its callers turn into "not valid JSON".
    throw InputError(fmt::format("{}not valid JSON: {}", source.empty() ? "" : source + ": ", error.what()));
  }
}

/// The integer a JSON value holds when it is written as an integer (no fraction, no exponent) and
/// lies in [min, max]; std::nullopt otherwise (another type, 1.0, 1e3, or out of range).
template <typename BasicJson>
std::optional<std::int64_t> json_integer_in(const BasicJson& value, std::int64_t min, std::int64_t max) {
  if (value.is_number_unsigned()) {
    const auto x = value.template get<std::uint64_t>();
    if (max < 0 || x > static_cast<std::uint64_t>(max)) return std::nullopt;
    const auto signed_x = static_cast<std::int64_t>(x);
    if (signed_x < min) return std::nullopt;
    return signed_x;
  }
  if (!value.is_number_integer()) return std::nullopt;
  const auto x = value.template get<std::int64_t>();
  if (x < min || x > max) return std::nullopt;
  return x;
}

/// The same for the range of an integer type T.
template <typename T, typename BasicJson>
std::optional<T> json_integer_as(const BasicJson& value) {
  const auto x = json_integer_in(value, static_cast<std::int64_t>(std::numeric_limits<T>::min()),
                                 static_cast<std::int64_t>(std::numeric_limits<T>::max()));
  if (!x) return std::nullopt;
  return static_cast<T>(*x);
}

}  // namespace codse::nn
