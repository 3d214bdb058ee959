#pragma once
// The unrolled template's matrix-vector unit: a layer unrolled up to a reuse factor, as
// hls4ml's latency strategy builds it. Formulas and sources in unrolled_cost.cpp.

#include "hw/cost/unit_cost.hpp"

namespace codse::hw {

UnitCost unrolled_matrix_vector_cost(const Unit& unit, const LayerMapping& mapping, const Device& device);

}  // namespace codse::hw
