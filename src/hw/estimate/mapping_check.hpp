#pragma once
// Whether a Mapping can be built: it maps exactly the network's layers with weights, in order,
// every PE divides its layer's outputs, every SIMD its inputs, every reuse factor its products,
// and the device has what the mapping asks for. Fitting the device is not a condition (the
// estimate says whether it fits).

#include <string>

#include "hw/model/device.hpp"
#include "hw/model/mapping.hpp"
#include "hw/model/workload.hpp"
#include "nn/ir/network.hpp"

namespace codse::hw {

/// Empty when valid, otherwise the first reason, naming the layer
/// ("layer fc1: PE 3 does not divide 256 outputs").
std::string why_invalid(const Workload& workload, const Mapping& mapping, const Device& device);

/// The reason one layer's knobs are illegal under the mapping's template and clock, or empty.
std::string why_invalid_layer(const Unit& unit, const LayerMapping& layer, const Mapping& mapping,
                              const Device& device);

/// Throws InputError with why_invalid's reason.
void validate(const Workload& workload, const Mapping& mapping, const Device& device);
void validate(const nn::Network& network, const Mapping& mapping, const Device& device);

}  // namespace codse::hw
