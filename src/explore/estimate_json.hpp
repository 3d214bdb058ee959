#pragma once
// An Estimate as JSON for trial artifacts and reports: {"total": {metric: value}, "layers": [...]},
// totals as Estimate::to_metrics names them, one object per unit with its resources, cycles,
// limiter and whether it is the bottleneck.

#include <nlohmann/json.hpp>

#include "hw/estimate.hpp"

namespace codse::explore {

nlohmann::json estimate_to_json(const hw::Estimate& estimate);

}  // namespace codse::explore
