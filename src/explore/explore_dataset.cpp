#include "explore/explore_dataset.hpp"

#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "core/error.hpp"
#include "explore/config_fields.hpp"
#include "nn/data/dataset_loader.hpp"
#include "nn/ir/network_io.hpp"

namespace codse::explore {
namespace {

/// dataset.name: a known dataset, or csv:PATH with PATH relative to the config file.
std::string read_dataset_name(const ConfigReader& r, const YAML::Node& node, const std::string& key) {
  auto name = r.text(node, key);
  if (name.starts_with("csv:")) {
    const std::filesystem::path p = name.substr(4);
    if (p.is_relative()) name = "csv:" + (r.source().parent_path() / p).string();
    return name;
  }
  const auto& known = nn::known_datasets();
  if (std::find(known.begin(), known.end(), name) == known.end())
    r.fail(node, key, fmt::format("unknown dataset '{}' (mnist, fashion-mnist, cifar10 or csv:PATH)", name));
  return name;
}

}  // namespace

/// dataset: what load_explore_dataset loads. Where the files are (data_dir) is not part of the
/// study's identity, so a study still resumes on another copy of the same data.
ConfigSection dataset_section() {
  using C = ExploreConfig;
  using D = DatasetConfig;
  return {"dataset",
          {field("dataset.name", at(&C::dataset, &D::name), read_dataset_name, InIdentity::always)
               .required("missing (mnist, fashion-mnist, cifar10 or csv:PATH)"),
           field("dataset.data_dir", at(&C::dataset, &D::data_dir), path(), InIdentity::no),
           field("dataset.train_samples", at(&C::dataset, &D::train_samples), integer<std::size_t>(0, 1 << 30),
                 InIdentity::always),
           field("dataset.test_samples", at(&C::dataset, &D::test_samples), integer<std::size_t>(0, 1 << 30),
                 InIdentity::always),
           field("dataset.validation_fraction", at(&C::dataset, &D::validation_fraction), number(0.01, 0.9),
                 InIdentity::always),
           field("dataset.test_fraction", at(&C::dataset, &D::test_fraction), number(0.01, 0.9),
                 InIdentity::unless_default)},
          "missing (e.g. dataset: {name: mnist})"};
}

nn::DatasetSplits load_explore_dataset(const ExploreConfig& config) {
  nn::DatasetOptions options;
  options.data_dir = config.dataset.data_dir;
  options.validation_fraction = config.dataset.validation_fraction;
  options.test_fraction = config.dataset.test_fraction;
  options.seed = config.seed;
  options.limits.train = config.dataset.train_samples;
  options.limits.test = config.dataset.test_samples;
  // An imported starting network brings the preprocessing it was trained with; every network of
  // the run is fed the same samples, so the starting networks must agree on it.
  for (const auto& path : config.networks) {
    const auto preprocessing = nn::load_network(path).preprocessing();
    if (!preprocessing) continue;
    if (options.preprocessing && *options.preprocessing != *preprocessing)
      throw InputError(fmt::format("{}: networks: {} expects another input preprocessing than the networks before it",
                                   config.source.string(), path.string()));
    options.preprocessing = preprocessing;
  }
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

void check_networks_fit(const ExploreConfig& config, const nn::DatasetSplits& data) {
  const auto& shape = data.train.sample_shape();
  for (const auto& path : config.networks) {
    const auto network = nn::load_network(path);
    const auto input = network.input_shape();
    if (input.size() != shape.size())
      throw InputError(fmt::format("{}: networks: {} takes {}x{}x{} ({} values) but the samples of dataset {} are "
                                   "{}x{}x{} ({} values)",
                                   config.source.string(), path.string(), input.channels, input.height, input.width,
                                   input.size(), data.name, shape.channels, shape.height, shape.width, shape.size()));
    const auto outputs = network.output_shape().size();
    if (data.train.num_classes() > outputs)
      throw InputError(fmt::format("{}: networks: {} has {} outputs but dataset {} has {} classes",
                                   config.source.string(), path.string(), outputs, data.name,
                                   data.train.num_classes()));
  }
}

}  // namespace codse::explore
