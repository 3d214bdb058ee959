#include "explore/explore_dataset.hpp"

#include <string>

#include <fmt/format.h>

#include "core/error.hpp"

namespace codse::explore {

nn::DatasetSplits load_explore_dataset(const ExploreConfig& config) {
  nn::DatasetOptions options;
  options.data_dir = config.dataset.data_dir;
  options.validation_fraction = config.dataset.validation_fraction;
  options.test_fraction = config.dataset.test_fraction;
  options.seed = config.seed;
  options.limits.train = config.dataset.train_samples;
  options.limits.test = config.dataset.test_samples;
  try {
    return nn::load_dataset(config.dataset.name, options);
  } catch (const InputError& error) {
    // The loader's message usually names the dataset already; say it once.
    const std::string what = error.what(), named = "dataset " + config.dataset.name + ": ";
    throw InputError(fmt::format("{}: {}{}\n  to get MNIST and Fashion-MNIST run ./scripts/setup.sh "
                                 "(it puts them in ~/.cache/codse/data), or point dataset.data_dir or "
                                 "CODSE_DATA_DIR at the files",
                                 config.source.string(), what.starts_with(named) ? "" : named, what));
  }
}

}  // namespace codse::explore
