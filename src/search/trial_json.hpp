#pragma once
// Trials and jobs as JSON, exactly, for the messages between a study and its worker processes or
// MPI ranks: doubles as JSON numbers (nlohmann/json prints the shortest text that reads back to
// the same double, so a trial evaluated on a worker is bit for bit the one evaluated here), and
// NaN and infinities, which JSON numbers cannot hold, as the strings "nan", "inf" and "-inf".

#include <nlohmann/json.hpp>

#include "core/trial.hpp"
#include "search/job_evaluator.hpp"

namespace codse {

nlohmann::json trial_to_json(const Trial& trial);
/// Throws InputError naming the field when json is not what trial_to_json writes.
Trial trial_from_json(const nlohmann::json& json);

nlohmann::json job_to_json(const EvaluationJob& job);
/// Throws InputError naming the field when json is not what job_to_json writes.
EvaluationJob job_from_json(const nlohmann::json& json);

}  // namespace codse
