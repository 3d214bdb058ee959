#pragma once
// The estimate as the table `codse hw estimate` prints and Python's print(codse.estimate(...))
// shows: one row per unit (its knobs, resources, share of the LUTs and of the initiation interval,
// the limiter; * marks the bottleneck), then the totals, throughput, power and fit.

#include <string>

#include "hw/model/device.hpp"
#include "hw/model/estimate.hpp"
#include "hw/model/mapping.hpp"

namespace codse::hw {

std::string estimate_table_text(const Estimate& estimate, const Mapping& mapping, const Device& device);

}  // namespace codse::hw
