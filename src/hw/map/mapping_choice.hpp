#pragma once
// The mapping a user gets without writing one: the cheapest mapping that reaches a throughput, or
// FINN's folding heuristic, or the smallest folding. `codse hw estimate` and the Python module's
// codse.estimate choose through this one function, so they give the same answer.

#include <string>
#include <vector>

#include "hw/estimate/estimator.hpp"
#include "hw/map/mapping_space.hpp"
#include "hw/model/mapping.hpp"

namespace codse::hw {

struct MappingRequest {
  double target_fps = 0.0;             ///< > 0: reach this many inferences per second
  double clock_mhz = 0.0;              ///< 0: the device's default clock
  std::string template_name = "folded";  ///< a registered template, or "both"
  bool finn_folding = false;           ///< with target_fps: FINN's heuristic instead of the HAL's front
};

struct ChosenMapping {
  Mapping mapping;
  /// How it was chosen, for people: "fewest LUTs reaching 1000 fps", "FINN folding for 1000 fps",
  /// "smallest folding (PE = SIMD = 1; no target throughput given)".
  std::string how;
  bool smallest_folding = false;  ///< the fallback without a target: callers should say so
};

/// One mapping space per template: name is a registered template or "both" (every one).
/// InputError listing the templates for another name.
std::vector<SpaceOptions> template_spaces(const std::string& name, const std::vector<double>& clocks_mhz);

/// With target_fps: the HAL's fewest-LUT mapping (then fewest BRAM, DSP) that fits and reaches it
/// (InputError when none does), or FINN's folding heuristic for it. Without: every layer at
/// PE = SIMD = 1, the smallest and slowest folding.
ChosenMapping choose_mapping(const Estimator& estimator, const MappingRequest& request);

}  // namespace codse::hw
