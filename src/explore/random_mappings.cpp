#include "explore/random_mappings.hpp"

#include <random>
#include <set>

#include "core/random_draws.hpp"
#include "hw/estimate/estimator.hpp"
#include "hw/model/workload.hpp"

namespace codse::explore {

std::vector<hw::FrontPoint> random_mappings(const nn::Network& network, const hw::Device& device,
                                            const hw::Calibration& calibration,
                                            const std::vector<hw::SpaceOptions>& spaces,
                                            const std::vector<MetricBound>& constraints, bool must_fit,
                                            std::size_t count, std::uint64_t seed) {
  const hw::Workload workload(network);
  const hw::Estimator estimator(workload, device, calibration);
  std::vector<hw::MappingSpace> mapping_spaces;
  for (const auto& options : spaces) mapping_spaces.emplace_back(workload, device, options);
  auto bounds = constraints;
  if (must_fit)
    for (const auto& b : hw::fit_bounds(device)) bounds.push_back(b);

  std::mt19937_64 rng(seed);
  std::set<std::pair<std::size_t, std::vector<double>>> seen;
  std::vector<hw::FrontPoint> points;
  for (std::size_t draw = 0; points.size() < count && draw < 200 * count; ++draw) {
    const auto s = draw::index(rng, mapping_spaces.size());
    const auto& space = mapping_spaces[s].space();
    Design design;
    for (const auto& knob : space.knobs())
      design.values.push_back(knob.values()[draw::index(rng, knob.size())]);
    if (!space.is_valid(design) || !seen.insert({s, design.values}).second) continue;
    hw::FrontPoint point{mapping_spaces[s].decode(design), {}};
    point.estimate = estimator.estimate(point.mapping);
    const auto metrics = point.estimate.to_metrics().values;
    bool feasible = true;
    for (const auto& b : bounds) feasible = feasible && b.holds(metrics.at(b.metric));
    if (feasible) points.push_back(std::move(point));
  }
  return points;
}

}  // namespace codse::explore
