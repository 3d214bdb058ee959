#include "explore/network_mapping.hpp"

#include <algorithm>
#include <chrono>
#include <map>

#include <fmt/format.h>

#include "explore/random_mappings.hpp"
#include "explore/trial_seed.hpp"
#include "hw/estimate/estimator.hpp"
#include "hw/map/hal.hpp"
#include "hw/templates/folded/finn_folding.hpp"
#include "hw/model/workload.hpp"

namespace codse::explore {

std::vector<std::size_t> spread(std::size_t n, std::size_t k) {
  if (n <= k) {
    std::vector<std::size_t> all(n);
    for (std::size_t i = 0; i < n; ++i) all[i] = i;
    return all;
  }
  std::vector<std::size_t> picks;
  for (std::size_t j = 0; j < k; ++j) {
    const auto i = k == 1 ? 0 : (j * (n - 1) + (k - 1) / 2) / (k - 1);
    if (picks.empty() || picks.back() != i) picks.push_back(i);
  }
  return picks;
}

std::vector<hw::SpaceOptions> space_options(const ExploreContext& context, const hw::Device& device) {
  const auto& config = context.config;
  std::vector<hw::SpaceOptions> spaces;
  for (const auto& accelerator : config.hardware.templates) {
    hw::SpaceOptions space;
    if (config.fidelity == ExploreFidelity::synthesis) space = hw::rtl_buildable_space(accelerator, device);
    space.accelerator = accelerator;
    space.clocks_mhz = config.hardware.clocks_mhz;
    spaces.push_back(space);
  }
  return spaces;
}

DeviceMappings hal_mappings(const ExploreContext& context, const nn::Network& network, std::size_t device,
                            std::size_t count, const SynthesisJob* synthesis) {
  const auto& config = context.config;
  const auto start = std::chrono::steady_clock::now();
  hw::MapOptions options;
  options.must_fit = config.must_fit;
  options.seed = config.seed;
  options.spaces = space_options(context, context.devices[device]);
  const hw::Estimator estimator(network, context.devices[device], context.calibrations[device]);
  const auto result = hw::map_network(estimator, context.hw_objectives, context.hw_constraints, options);
  DeviceMappings mappings;
  mappings.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  mappings.how = {{"method", result.method}, {"front_size", result.front.size()}, {"seconds", mappings.seconds}};
  std::map<std::size_t, std::optional<SynthesizedMapping>> chosen;  // front index -> flow result
  for (auto pick : spread(result.front.size(), count)) chosen[pick];
  if (synthesis) {
    auto job = *synthesis;
    job.device = &context.devices[device];
    job.calibration = &context.calibrations[device];
    job.out_dir = synthesis->out_dir / fmt::format("d{}", device);
    const auto flow_start = std::chrono::steady_clock::now();
    for (auto& done : synthesize_promising(result.front, context.hw_objectives, config.synthesis, job))
      chosen[done.front_index] = std::move(done);
    mappings.how["synthesis"] = {{"explorer", config.synthesis.explorer},
                                 {"synthesized", std::count_if(chosen.begin(), chosen.end(),
                                                               [](const auto& c) { return c.second.has_value(); })},
                                 {"seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - flow_start).count()}};
  }
  for (auto& [index, flow] : chosen) {
    mappings.points.push_back(result.front[index]);
    mappings.synthesized.push_back(std::move(flow));
  }
  return mappings;
}

DeviceMappings random_device_mappings(const ExploreContext& context, const nn::Network& network,
                                      std::size_t network_id, std::size_t device) {
  const auto& config = context.config;
  const auto start = std::chrono::steady_clock::now();
  DeviceMappings mappings;
  mappings.points = random_mappings(network, context.devices[device], context.calibrations[device],
                                    space_options(context, context.devices[device]),
                                    context.hw_constraints, config.must_fit, config.hardware.mappings_per_network,
                                    trial_seed(config.seed, network_id, device));
  mappings.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  mappings.how = {{"method", "random"}, {"seconds", mappings.seconds}};
  return mappings;
}

double folding_lut_cost(const nn::Network& network, const hw::Device& device, const hw::Calibration& calibration) {
  const hw::Workload workload(network);
  hw::FoldingOptions folding;
  folding.target_cycles = 4096;
  const auto mapping = hw::finn_folding(workload, device, folding);
  return hw::Estimator(workload, device, calibration).estimate(mapping).total.lut;
}

}  // namespace codse::explore
