#pragma once
// The calibration of `codse explore --dry-run`: the config's first starting network trained and
// mapped once, exactly as the run's first job is (NetworkEvaluation), timed. Its weights go to a
// temporary directory that is removed afterwards, so a dry run leaves nothing behind.

#include <cstddef>
#include <string>

#include "explore/explore_config.hpp"
#include "nn/data/dataset_split.hpp"

namespace codse::explore {

struct StartCalibration {
  double seconds = 0.0;    // training, weights file and mapping of the starting network
  std::size_t trials = 0;  // its trials (the mappings kept; 1 when it failed)
  std::string error;       // not empty: the network could not be trained (the trial's reason)
};

/// Interrupted (SIGINT/SIGTERM) passes through; the temporary directory is removed either way.
StartCalibration calibrate_start_network(const ExploreConfig& config, const nn::DatasetSplits& data);

}  // namespace codse::explore
