#pragma once
// The folded template's matrix-vector unit: FINN's MVAU with PE output lanes and SIMD input
// lanes, plus its sliding-window unit for conv2d. Formulas and sources in folded_cost.cpp.

#include <cstdint>

#include "hw/cost/unit_cost.hpp"
#include "hw/model/calibration.hpp"

namespace codse::hw {

/// The unit's cost; `calibration` is the device's (the identity: FINN-R's formulas).
UnitCost folded_matrix_vector_cost(const Unit& unit, const LayerMapping& mapping, const Device& device,
                                   const Calibration& calibration);

/// Cycles of FINN's sliding-window unit (ConvolutionInputGenerator, finn-hlslib slidingwindow.h)
/// for a conv2d unit streaming simd channels per cycle.
std::int64_t sliding_window_cycles(const Unit& unit, std::int64_t simd);

}  // namespace codse::hw
