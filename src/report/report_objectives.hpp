#pragma once
// Which objectives a study has: a co-exploration stores them as the document "objectives"
// ([{name, sense}]); a `codse dse` study only in its configuration ("objectives": ["lut:min"]).

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/objective.hpp"

namespace codse::report {

/// The objectives of the "objectives" document when there is one, else of config["objectives"].
/// Each entry is "NAME:min|max" or {"name"|"metric": NAME, "sense": "min|max|minimize|maximize"}.
/// where names the store and study in messages. Throws InputError naming the entry that is not
/// one of these, or saying no objective was found.
std::vector<Objective> study_objectives(const std::optional<nlohmann::json>& document,
                                        const nlohmann::json& config, const std::string& where);

}  // namespace codse::report
