#pragma once
// The hardware abstraction layer: the Pareto-optimal mappings of one network on one device, so
// the ML developer never writes hardware. Three ways to get the front, chosen per template:
//   layerwise  exact, for chain networks and monotone objectives (layerwise_front.hpp); covers
//              spaces of billions of mappings in seconds; epsilon-approximate when the exact
//              fronts grow past its work limits (deep networks, many objectives)
//   exhaustive every mapping estimated, when the space has at most exhaustive_limit mappings
//   explorer   an explorer of module search (make_explorer, ask/tell) over a candidate pool of
//              sampled mappings plus FINN-heuristic foldings, to a budget of estimates
// The template's seed mappings are among the candidates (for the folded template FINN's folding
// heuristic at every power-of-two cycle target up to the slowest full fold; unless finn_seeds is
// off), so the front dominates or
// equals the heuristic at those targets by construction; with the exact search that adds nothing,
// with an approximate one or an explorer it can. Every mapping on the returned front has been estimated
// by the Estimator, so the front's numbers are the estimator's, whatever way found it.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/objective.hpp"
#include "hw/estimate/estimator.hpp"
#include "hw/model/device.hpp"
#include "hw/model/estimate.hpp"
#include "hw/map/layerwise_front.hpp"
#include "hw/model/mapping.hpp"
#include "hw/map/mapping_space.hpp"
#include "nn/ir/network.hpp"

namespace codse::hw {

struct MapOptions {
  std::vector<SpaceOptions> spaces = {SpaceOptions{}};  // one search per entry, fronts merged
  bool must_fit = true;                // adds lut <= device LUTs, ... for every resource
  bool allow_layerwise = true;         // false forces exhaustive or explorer (tests compare them)
  bool finn_seeds = true;              // FINN's foldings (power-of-two cycle targets) as candidates
  LayerwiseLimits layerwise;           // work limits of the layerwise search and its epsilons
  std::size_t exhaustive_limit = 200'000;
  std::string explorer = "nsga2";
  std::size_t budget = 3000;           // estimates the explorer may ask for
  std::size_t pool_size = 20'000;      // sampled candidates the explorer chooses from
  std::uint64_t seed = 1;
};

struct FrontPoint {
  Mapping mapping;
  Estimate estimate;
};

struct MapResult {
  std::vector<FrontPoint> front;  // sorted by the first objective
  std::string method;             // "layerwise" (exact), "layerwise-eps=E" (epsilon-approximate),
                                  // "exhaustive" or "explorer:NAME" (joined by '+')
  double space_size = 0.0;        // mappings in the searched spaces
  std::size_t estimated = 0;      // full estimates run
  LayerwiseStats layerwise;
  double seconds = 0.0;
};

/// The constraints "fits the device": every resource at most what the device has.
std::vector<MetricBound> fit_bounds(const Device& device);

/// The Pareto-optimal mappings of the estimator's network on its device, costed with its
/// calibration. Throws InputError for an objective or constraint on an unknown metric, or no
/// objective.
MapResult map_network(const Estimator& estimator, const std::vector<Objective>& objectives,
                      const std::vector<MetricBound>& constraints, const MapOptions& options);
/// With the default MapOptions.
MapResult map_network(const Estimator& estimator, const std::vector<Objective>& objectives,
                      const std::vector<MetricBound>& constraints);

}  // namespace codse::hw
