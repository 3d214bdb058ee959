#pragma once
// What the parts of one co-exploration share: the config, the data, the devices, the hardware
// objectives and constraints (the joint ones that are not network metrics) and the artifact files.

#include <filesystem>
#include <string>
#include <vector>

#include "core/objective.hpp"
#include "explore/artifact_files.hpp"
#include "explore/explore_config.hpp"
#include "hw/model/calibration.hpp"
#include "hw/model/device.hpp"
#include "nn/data/dataset_split.hpp"

namespace codse::explore {

/// The network metrics of the metric catalog (error, accuracy, params, macs): known once a
/// network is trained, before any mapping.
bool is_network_metric(const std::string& metric);

struct ExploreContext {
  /// data must outlive the context. Creates the artifact directories.
  ExploreContext(ExploreConfig config, const nn::DatasetSplits& data, std::filesystem::path artifacts_dir);

  ExploreConfig config;
  const nn::DatasetSplits* data;
  ArtifactFiles files;
  std::vector<hw::Device> devices;          // config.hardware.devices, from the built-in catalog + hardware.catalog
  std::vector<hw::Calibration> calibrations;  // each device's, from the same catalog
  std::vector<Objective> hw_objectives;     // the objectives the HAL maps for (lut:min when none)
  std::vector<MetricBound> hw_constraints;  // the constraints the HAL maps under
};

}  // namespace codse::explore
