#pragma once
// Which fields of two JSON configurations differ, said the way a person reads them. It is what
// makes resuming a study with different settings a clear error instead of a silent mix of runs.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace codse {

/// One line per differing field, e.g. "budget: stored 100, given 200",
/// "explorer.population: stored 20, not given", "batch: not stored, given 4". Empty when equal.
/// Nested fields are joined with '.', array elements by their index ("objectives.1"). Sorted.
std::vector<std::string> config_differences(const nlohmann::json& stored,
                                            const nlohmann::json& given);

}  // namespace codse
