#pragma once
// The HAL's exact search for chain networks (no skip connections). A mapping's cost is a sum
// over layers (resources, power, latency, off-chip bytes) and a maximum (cycles), and every
// metric is monotone in those quantities (cost_state.hpp). So the Pareto front over all
// mappings is built layer by layer, as in multi-objective dynamic programming: keep only the
// non-dominated partial states of the first k layers, extend each by every choice of layer k+1,
// drop what violates a constraint (partial sums only grow), keep the non-dominated, and so on.
// Dominance is tested on the quantities the objectives and the binding constraints depend on;
// a state no worse in all of them is no worse for every completion, so the result is exactly
// the front of the full space.

#include <cstddef>
#include <optional>
#include <vector>

#include "core/objective.hpp"
#include "hw/estimator.hpp"
#include "hw/mapping.hpp"
#include "hw/mapping_space.hpp"

namespace codse::hw {

struct LayerwiseStats {
  std::size_t layer_options = 0;     // layer mappings costed, over all layers and global knobs
  std::size_t partial_states = 0;    // partial states generated while merging
  std::size_t largest_front = 0;     // the largest intermediate front
  std::size_t dominance_dims = 0;    // quantities dominance was tested on
};

/// The mappings of the exact front (one per distinct objective vector within each combination
/// of global knobs; the caller filters across them). nullopt when the exact search does not
/// apply: the network has skip connections, or an objective or constraint is not a monotone
/// function of the state (e.g. offchip_gbps, or a lower bound on lut).
std::optional<std::vector<Mapping>> layerwise_front(const Estimator& estimator, const MappingSpace& space,
                                                    const std::vector<Objective>& objectives,
                                                    const std::vector<MetricBound>& constraints,
                                                    LayerwiseStats* stats = nullptr);

}  // namespace codse::hw
