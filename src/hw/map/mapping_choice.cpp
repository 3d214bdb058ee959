#include "hw/map/mapping_choice.hpp"

#include <algorithm>
#include <limits>
#include <tuple>

#include <fmt/format.h>

#include "core/error.hpp"
#include "hw/map/hal.hpp"
#include "hw/templates/folded/finn_folding.hpp"
#include "hw/templates/template_registry.hpp"

namespace codse::hw {

std::vector<SpaceOptions> template_spaces(const std::string& name, const std::vector<double>& clocks_mhz) {
  std::vector<SpaceOptions> spaces;
  for (const auto* accelerator : accelerator_templates()) {
    if (name != "both" && find_accelerator_template(name) != accelerator) continue;
    SpaceOptions options;
    options.accelerator = accelerator->name();
    options.clocks_mhz = clocks_mhz;
    spaces.push_back(options);
  }
  if (spaces.empty())
    throw InputError(fmt::format("--template {}: expected {} or both", name, accelerator_template_names()));
  return spaces;
}

namespace {

ChosenMapping cheapest_reaching(const Estimator& estimator, const MappingRequest& request, double clock) {
  MapOptions options;
  options.spaces = template_spaces(request.template_name, {clock});
  const std::vector<Objective> objectives{Objective::parse("lut:min"), Objective::parse("bram18:min"),
                                          Objective::parse("dsp:min")};
  const auto result = map_network(estimator, objectives, {MetricBound{"fps", request.target_fps, false}}, options);
  if (result.front.empty())
    throw InputError(fmt::format("no mapping of {} on {} reaches {} fps and fits (at {} MHz)",
                                 estimator.workload().network_name(), estimator.device().name, request.target_fps,
                                 clock));
  const auto cheapest = std::min_element(result.front.begin(), result.front.end(), [](const auto& a, const auto& b) {
    const auto& x = a.estimate.total;
    const auto& y = b.estimate.total;
    return std::tie(x.lut, x.bram18, x.dsp) < std::tie(y.lut, y.bram18, y.dsp);
  });
  return {cheapest->mapping, fmt::format("fewest LUTs reaching {} fps", request.target_fps), false};
}

}  // namespace

ChosenMapping choose_mapping(const Estimator& estimator, const MappingRequest& request) {
  const auto& device = estimator.device();
  const double clock = request.clock_mhz > 0.0 ? request.clock_mhz : device.default_clock_mhz;
  if (request.target_fps > 0.0 && !request.finn_folding) return cheapest_reaching(estimator, request, clock);
  FoldingOptions folding;
  folding.clock_mhz = clock;
  folding.storage = device.bram.present() ? WeightStorage::bram : WeightStorage::logic;
  folding.target_cycles = request.target_fps > 0.0 ? static_cast<std::int64_t>(clock * 1e6 / request.target_fps)
                                                   : std::numeric_limits<std::int64_t>::max();
  ChosenMapping chosen{finn_folding(estimator.workload(), device, folding), "", request.target_fps <= 0.0};
  chosen.mapping.offchip_gbps = device.offchip_gbps;
  chosen.how = chosen.smallest_folding ? "smallest folding (PE = SIMD = 1; no target throughput given)"
                                       : fmt::format("FINN folding for {} fps", request.target_fps);
  return chosen;
}

}  // namespace codse::hw
