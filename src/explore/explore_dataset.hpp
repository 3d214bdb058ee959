#pragma once
// The dataset an explore config names, loaded as `codse explore` runs it: the config's dataset
// name, data_dir, train/test sample limits and split fractions, split with the config's seed.
// The one place that turns ExploreConfig::dataset into nn::load_dataset options, so the command
// and the tests train on the same data for the same config.

#include "explore/explore_config.hpp"
#include "nn/data/dataset_loader.hpp"

namespace codse::explore {

/// Throws InputError when the dataset cannot be loaded; the message names the config file and
/// the dataset, and says how to get MNIST / Fashion-MNIST or point data_dir at the files.
nn::DatasetSplits load_explore_dataset(const ExploreConfig& config);

/// Throws InputError naming the config file, `networks` and the network file when a starting
/// network's input size differs from the dataset's sample size or it has fewer outputs than the
/// dataset has classes: every trial of such a study would fail. `codse explore` calls it after
/// load_explore_dataset, before it creates the store.
void check_networks_fit(const ExploreConfig& config, const nn::DatasetSplits& data);

}  // namespace codse::explore
