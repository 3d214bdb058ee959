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
#include "hw/estimate/estimator.hpp"
#include "hw/model/mapping.hpp"
#include "hw/map/mapping_space.hpp"

namespace codse::hw {

/// The work the exact search may do before it gives up and tries an approximate one: fronts
/// grow with the number of layers and of quantities dominance must look at (9-layer CNNs with
/// four objectives do not finish in minutes).
struct LayerwiseLimits {
  std::size_t max_front = 10'000;         // partial states kept after a layer
  std::size_t max_pairs = 5'000'000;      // partial states x layer choices merged at one layer
  /// Tried in order after the exact search (epsilon 0) exceeds the limits; empty: exact only.
  std::vector<double> epsilons = {0.01, 0.1, 0.3, 1.0};
};

struct LayerwiseStats {
  std::size_t layer_options = 0;     // layer mappings costed, over all layers and global knobs
  std::size_t partial_states = 0;    // partial states generated while merging
  std::size_t largest_front = 0;     // the largest intermediate front
  std::size_t dominance_dims = 0;    // quantities dominance was tested on
  double epsilon = 0.0;              // 0: the front is exact; else the epsilon that fit the limits
};

/// The mappings of the exact front (one per distinct objective vector within each combination
/// of global knobs; the caller filters across them). nullopt when the search does not apply:
/// the network has skip connections, an objective or constraint is not a monotone function of
/// the state (e.g. offchip_gbps, or a lower bound on lut), or even the largest epsilon exceeds
/// the limits.
///
/// When the exact search exceeds the limits it runs again with epsilon-dominance (Papadimitriou
/// and Yannakakis, FOCS 2000): each quantity is compared on a log(1 + v) / log(1 + epsilon) grid,
/// so a state is dropped when another is at most about (1 + epsilon) times worse in every
/// quantity. After L layers every mapping of the true front has one on the returned front within
/// (1 + epsilon)^L of it in every quantity (the returned numbers themselves are exact
/// estimates); a kept representative near a constraint's bound may break it where the dropped
/// state would not, so mappings right at a bound can be missed. stats->epsilon says which
/// epsilon it took.
std::optional<std::vector<Mapping>> layerwise_front(const Estimator& estimator, const MappingSpace& space,
                                                    const std::vector<Objective>& objectives,
                                                    const std::vector<MetricBound>& constraints,
                                                    LayerwiseStats* stats, const LayerwiseLimits& limits);

}  // namespace codse::hw
