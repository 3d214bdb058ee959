#include "store/test_error_document.hpp"

#include <charconv>
#include <optional>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "store/study_journal.hpp"

namespace codse {
namespace {

/// A trial number written as a JSON key ("17"), or nothing when key is not one.
std::optional<std::size_t> trial_number(const std::string& key) {
  std::size_t number = 0;
  const auto [end, error] = std::from_chars(key.data(), key.data() + key.size(), number);
  if (key.empty() || error != std::errc() || end != key.data() + key.size()) return std::nullopt;
  return number;
}

}  // namespace

std::map<std::size_t, double> read_test_error(const StudyJournal& journal) {
  std::map<std::size_t, double> values;
  const auto document = journal.document(test_error_key);
  if (!document) return values;
  const auto where =
      fmt::format("{}: study '{}': document \"{}\"", journal.path().string(), journal.name(), test_error_key);
  if (!document->is_object())
    throw InputError(fmt::format("{}: expected {{\"<trial number>\": error}}, got {}", where, document->dump()));
  for (const auto& [key, value] : document->items()) {
    const auto number = trial_number(key);
    if (!number || !value.is_number())
      throw InputError(
          fmt::format("{}[\"{}\"]: expected a trial number mapped to a number, got {}", where, key, value.dump()));
    values[*number] = value.get<double>();
  }
  return values;
}

void write_test_error(StudyJournal& journal, const std::map<std::size_t, double>& values) {
  nlohmann::json document = nlohmann::json::object();
  for (const auto& [number, value] : values) document[std::to_string(number)] = value;
  journal.put_document(test_error_key, document);
}

}  // namespace codse
