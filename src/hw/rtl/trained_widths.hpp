#pragma once
// The widths codse's RTL builds a trained network's matrix-vector units with: each layer's weights
// as wide as their trained values need and its accumulator as wide as the integer model's
// recorded bounds (FINN's MinimizeWeightBitWidth and MinimizeAccumulatorWidth do the same). The
// RTL generator stores the weights by these rules, and Workload(network, trained_widths(model))
// estimates what it builds (codse hw estimate --integer-model).

#include <cstdint>
#include <span>

#include "hw/model/workload.hpp"
#include "nn/integer/integer_model.hpp"

namespace codse::hw {

/// Bits the RTL stores trained weights in: two's complement of their range (and 0), at least 2.
int trained_weight_bits(std::span<const std::int32_t> weights);

/// Whether a trained layer's weights are bipolar: a binary quantizer's, all +-1 (none pruned to 0).
bool trained_bipolar_weights(const nn::IntegerOp& op);

/// The widths the RTL builds one trained dense or conv2d op with: its stored weight width (1 when
/// bipolar), bipolarity and accumulator width.
UnitWidths trained_unit_widths(const nn::IntegerOp& op);

/// trained_unit_widths of every dense or conv2d layer of the model.
BuiltWidths trained_widths(const nn::IntegerModel& model);

}  // namespace codse::hw
