#include "nn/data/dataset_loader.hpp"

#include <array>
#include <cstdlib>
#include <optional>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "core/error.hpp"
#include "nn/data/cifar_reader.hpp"
#include "nn/data/gzip_file.hpp"
#include "nn/data/idx_reader.hpp"

namespace codse::nn {
namespace {

constexpr const char* kCsvPrefix = "csv:";

const std::vector<std::string>& digit_names() {
  static const std::vector<std::string> names{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
  return names;
}

const std::vector<std::string>& fashion_names() {
  static const std::vector<std::string> names{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                              "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
  return names;
}

std::string join(const std::vector<std::filesystem::path>& paths) {
  std::string text;
  for (const auto& path : paths) text += (text.empty() ? "" : ", ") + path.string();
  return text;
}

/// How a user gets a dataset's files, said where they are missing.
std::string where_to_get(const std::string& name) {
  if (name == "cifar10")
    return "scripts/setup.sh does not download CIFAR-10 (163 MB): get the binary version, "
           "cifar-10-binary.tar.gz from https://www.cs.toronto.edu/~kriz/cifar.html, unpack it "
           "(tar xzf) and give its cifar-10-batches-bin directory (data_batch_1.bin ... test_batch.bin) "
           "as data_dir / --data-dir, or move it to ~/.cache/codse/data/cifar10";
  return "run scripts/setup.sh to install it, or give the directory that holds its files (data_dir / --data-dir)";
}

std::filesystem::path resolve_data_dir(const std::string& name, const DatasetOptions& options) {
  if (!options.data_dir.empty()) return options.data_dir;
  const auto candidates = default_data_dirs(name);
  std::error_code error;
  for (const auto& dir : candidates)
    if (std::filesystem::is_directory(dir, error)) return dir;
  throw InputError(fmt::format("dataset {}: not found in {}; {}", name, join(candidates), where_to_get(name)));
}

/// scikit-learn's 8x8 digits: 1,797 rows of 64 pixels (0..16) and the label, no header.
TrainTest read_digits(const DatasetOptions& options) {
  const auto dir = resolve_data_dir("digits", options);
  constexpr std::array<const char*, 1> names{"digits.csv"};
  const auto file = find_data_file(dir, names);
  if (file.empty())
    throw InputError(fmt::format("dataset digits: no digits.csv or digits.csv.gz in {}; {}", dir.string(),
                                 where_to_get("digits")));
  CsvOptions csv;
  csv.header = CsvHeader::absent;
  csv.num_classes = 10;
  return read_csv_dataset(file, csv);
}

TrainTest read_files(const std::string& spec, const DatasetOptions& options) {
  if (spec == "mnist")
    return read_idx_directory(resolve_data_dir(spec, options), "MNIST", digit_names(), options.limits);
  if (spec == "fashion-mnist")
    return read_idx_directory(resolve_data_dir(spec, options), "Fashion-MNIST", fashion_names(),
                              options.limits);
  if (spec == "cifar10") return read_cifar_directory(resolve_data_dir(spec, options), options.limits);
  if (spec == "digits") {
    auto data = read_digits(options);
    return {data.train.first(options.limits.train == 0 ? data.train.size() : options.limits.train),
            std::move(data.test)};
  }
  if (spec.rfind(kCsvPrefix, 0) == 0 && spec.size() > std::string_view(kCsvPrefix).size()) {
    auto data = read_csv_dataset(spec.substr(std::string_view(kCsvPrefix).size()), options.csv);
    return {data.train.first(options.limits.train == 0 ? data.train.size() : options.limits.train),
            data.test.first(options.limits.test == 0 ? data.test.size() : options.limits.test)};
  }
  throw InputError(
      fmt::format("unknown dataset '{}'; expected mnist, fashion-mnist, cifar10, digits or csv:FILE", spec));
}

void check_fraction(const char* what, double fraction) {
  if (!(fraction >= 0.0 && fraction < 1.0))
    throw InputError(fmt::format("{} {} is out of range; expected a fraction in [0, 1)", what, fraction));
}

/// Distinct seeds for the test split, the validation split and the shuffle, so changing one
/// fraction does not reshuffle the others (splitmix64's finaliser).
std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t stream) {
  std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (stream + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// {kept, held out}; the kept part in an order shuffled for shuffle_seed when given. The kept
/// part is rearranged in place: MNIST's training set is 188 MB of floats, not worth a copy.
std::pair<Dataset, Dataset> hold_out(Dataset data, double fraction, std::uint64_t seed, SplitMode mode,
                                     std::optional<std::uint64_t> shuffle_seed = std::nullopt) {
  auto split = split_indices(data, fraction, seed, mode);
  if (shuffle_seed) shuffle(split.kept, *shuffle_seed);
  Dataset held_out = data.subset(split.held_out);
  data.keep(split.kept);
  return {std::move(data), std::move(held_out)};
}

}  // namespace

std::vector<std::filesystem::path> default_data_dirs(const std::string& name) {
  std::vector<std::filesystem::path> dirs;
  if (const char* root = std::getenv("CODSE_DATA_DIR"); root != nullptr && *root != '\0')
    dirs.push_back(std::filesystem::path(root) / name);
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0')
    dirs.push_back(std::filesystem::path(home) / ".cache" / "codse" / "data" / name);
  if (name == "fashion-mnist") dirs.emplace_back("/usr/share/datasets/fashion-mnist");
  // Debian's python3-sklearn ships the digits (scripts/setup.sh copies them to the cache).
  if (name == "digits") dirs.emplace_back("/usr/lib/python3/dist-packages/sklearn/datasets/data");
  return dirs;
}

const std::vector<std::string>& known_datasets() {
  static const std::vector<std::string> names{"mnist", "fashion-mnist", "cifar10", "digits"};
  return names;
}

DatasetSplits load_dataset(const std::string& spec, const DatasetOptions& options) {
  check_fraction("validation fraction", options.validation_fraction);
  check_fraction("test fraction", options.test_fraction);
  auto files = read_files(spec, options);

  DatasetSplits splits;
  splits.name = spec;
  if (files.test.empty()) {
    if (files.train.empty()) throw InputError(fmt::format("dataset {}: no samples", spec));
    auto [rest, test] = hold_out(std::move(files.train), options.test_fraction, derive_seed(options.seed, 0),
                                 options.split_mode);
    files.train = std::move(rest);
    splits.test = std::move(test);
  } else {
    splits.test = std::move(files.test);
  }
  auto [train, validation] = hold_out(
      std::move(files.train), options.validation_fraction, derive_seed(options.seed, 1), options.split_mode,
      options.shuffle ? std::optional(derive_seed(options.seed, 2)) : std::nullopt);
  splits.train = std::move(train);
  splits.validation = std::move(validation);

  splits.normalization = options.preprocessing
                             ? ChannelNormalization::of(*options.preprocessing, splits.train.sample_shape().channels)
                             : ChannelNormalization::fit(splits.train, options.normalization);
  splits.normalization.apply(splits.train);
  splits.normalization.apply(splits.validation);
  splits.normalization.apply(splits.test);
  return splits;
}

}  // namespace codse::nn
