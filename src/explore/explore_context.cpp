#include "explore/explore_context.hpp"

#include "core/metric_catalog.hpp"

namespace codse::explore {

bool is_network_metric(const std::string& metric) {
  const auto* known = find_metric(metric);
  return known && known->source == MetricSource::network;
}

ExploreContext::ExploreContext(ExploreConfig config_in, const nn::DatasetSplits& data_in,
                               std::filesystem::path artifacts_dir)
    : config(std::move(config_in)), data(&data_in), files(std::move(artifacts_dir)) {
  const auto catalog = config.hardware.device_catalog();  // built-in + hardware.catalog
  for (const auto& name : config.hardware.devices) {
    devices.push_back(catalog.find(name));
    calibrations.push_back(catalog.calibration(name));
  }
  for (const auto& o : config.objectives)
    if (!is_network_metric(o.metric)) hw_objectives.push_back(o);
  if (hw_objectives.empty()) hw_objectives.push_back(Objective::parse("lut:min"));
  for (const auto& b : config.constraints)
    if (!is_network_metric(b.metric)) hw_constraints.push_back(b);
}

}  // namespace codse::explore
