#include "report/report_objectives.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace codse::report {
namespace {

Sense sense_from_text(const std::string& text, const std::string& field) {
  if (text == "min" || text == "minimize") return Sense::minimize;
  if (text == "max" || text == "maximize") return Sense::maximize;
  throw InputError(fmt::format("{}.sense: '{}' is not min, max, minimize or maximize", field, text));
}

Objective objective_from_json(const nlohmann::json& entry, const std::string& field) {
  if (entry.is_string()) return Objective::parse(entry.get<std::string>());
  if (!entry.is_object())
    throw InputError(fmt::format("{}: expected \"NAME:min|max\" or {{\"name\", \"sense\"}}, got {}", field,
                                 entry.dump()));
  const auto name = entry.contains("name") ? entry.at("name") : entry.value("metric", nlohmann::json());
  if (!name.is_string() || name.get<std::string>().empty())
    throw InputError(fmt::format("{}.name: expected the metric's name, got {}", field, entry.dump()));
  const auto sense = entry.value("sense", nlohmann::json("min"));
  if (!sense.is_string()) throw InputError(fmt::format("{}.sense: expected min or max, got {}", field, sense.dump()));
  return {name.get<std::string>(), sense_from_text(sense.get<std::string>(), field)};
}

std::vector<Objective> objectives_from_list(const nlohmann::json& list, const std::string& field) {
  if (!list.is_array()) throw InputError(fmt::format("{}: expected a list of objectives, got {}", field, list.dump()));
  std::vector<Objective> objectives;
  for (std::size_t i = 0; i < list.size(); ++i)
    objectives.push_back(objective_from_json(list[i], fmt::format("{}[{}]", field, i)));
  return objectives;
}

}  // namespace

std::vector<Objective> study_objectives(const std::optional<nlohmann::json>& document,
                                        const nlohmann::json& config, const std::string& where) {
  std::vector<Objective> objectives;
  try {
    if (document)
      objectives = objectives_from_list(*document, "document \"objectives\"");
    else if (config.is_object() && config.contains("objectives"))
      objectives = objectives_from_list(config.at("objectives"), "config.objectives");
  } catch (const InputError& error) {
    throw InputError(fmt::format("{}: {}", where, error.what()));
  }
  if (objectives.empty())
    throw InputError(fmt::format(
        "{}: no objectives: neither an \"objectives\" document nor a non-empty config.objectives", where));
  return objectives;
}

}  // namespace codse::report
