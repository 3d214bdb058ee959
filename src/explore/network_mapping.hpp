#pragma once
// The mapping call of the co-exploration: for one trained network and one device, the mappings
// its trials get, and how they were found: the HAL's Pareto front with picks spread along it (plus,
// at fidelity synthesis, those the synthesis explorer had built, verified and synthesized), or random
// feasible mappings (the random strategy's baseline).

#include <cstddef>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "explore/explore_context.hpp"
#include "explore/mapping_synthesis.hpp"
#include "hw/map/hal.hpp"
#include "nn/ir/network.hpp"

namespace codse::explore {

/// The mappings chosen for one device, and how; synthesized[k] holds the hardware flow's result
/// for points[k] when the synthesis explorer picked it (fidelity synthesis).
struct DeviceMappings {
  std::vector<hw::FrontPoint> points;
  std::vector<std::optional<SynthesizedMapping>> synthesized;
  nlohmann::json how;
  double seconds = 0.0;
};

/// Up to k indices spread evenly over 0..n-1 (both ends included).
std::vector<std::size_t> spread(std::size_t n, std::size_t k);

/// The mapping spaces of a device: the HAL's defaults, or at synthesis fidelity the mappings the
/// RTL builds as estimated (hw::rtl_buildable_space).
std::vector<hw::SpaceOptions> space_options(const ExploreContext& context, const hw::Device& device);

/// The HAL's front of network on context.devices[device], count mappings spread along it; with a
/// synthesis job, plus the mappings the synthesis explorer had synthesized.
DeviceMappings hal_mappings(const ExploreContext& context, const nn::Network& network, std::size_t device,
                            std::size_t count, const SynthesisJob* synthesis = nullptr);

/// mappings_per_network random feasible mappings of network (candidate network_id) on
/// context.devices[device], drawn with the trial seed of (network_id, device).
DeviceMappings random_device_mappings(const ExploreContext& context, const nn::Network& network,
                                      std::size_t network_id, std::size_t device);

/// LUTs of FINN's folding heuristic at a fixed cycle target on device: one estimate, no search,
/// and it grows with width, depth and bits as the HAL's fronts do (LEMONADE's cheap hardware cost).
double folding_lut_cost(const nn::Network& network, const hw::Device& device, const hw::Calibration& calibration);

}  // namespace codse::explore
