#pragma once
// Random mappings of a network from the same mapping space the HAL searches: the hardware half
// of the random-search baseline (strategy: random). Each draw picks a template of the list
// uniformly, then every knob of its MappingSpace uniformly among its values; the mapping is
// estimated analytically and kept when it satisfies the constraints (and fits the device when
// must_fit). Draws repeat until count distinct feasible mappings are found or 200 x count draws
// were made, so a network with few feasible mappings yields fewer.

#include <cstdint>
#include <vector>

#include "core/objective.hpp"
#include "hw/model/device.hpp"
#include "hw/map/hal.hpp"
#include "hw/map/mapping_space.hpp"
#include "nn/ir/network.hpp"

namespace codse::explore {

std::vector<hw::FrontPoint> random_mappings(const nn::Network& network, const hw::Device& device,
                                            const hw::Calibration& calibration,
                                            const std::vector<hw::SpaceOptions>& spaces,
                                            const std::vector<MetricBound>& constraints, bool must_fit,
                                            std::size_t count, std::uint64_t seed);

}  // namespace codse::explore
