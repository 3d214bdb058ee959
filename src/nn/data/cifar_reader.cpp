#include "nn/data/cifar_reader.hpp"

#include <array>
#include <fstream>
#include <utility>

#include <fmt/format.h>

#include "core/error.hpp"
#include "nn/data/gzip_file.hpp"

namespace codse::nn {
namespace {

constexpr int kClasses = 10;
constexpr int kSide = 32;
constexpr std::size_t kPixels = 3 * kSide * kSide;
constexpr std::size_t kRecord = 1 + kPixels;

/// Reads records until the limit or the end; a partial record at the end is a truncated file.
std::vector<std::uint8_t> read_records(const std::filesystem::path& path, std::size_t limit) {
  GzipFile file(path);
  if (limit == 0) return file.read_rest();
  std::vector<std::uint8_t> bytes(limit * kRecord);
  bytes.resize(file.read(bytes));
  return bytes;
}

/// batches.meta.txt of the official release: one class name per line (blank lines ignored).
std::vector<std::string> read_class_names(const std::filesystem::path& dir) {
  std::ifstream in(dir / "batches.meta.txt");
  if (!in) return cifar10_class_names();
  std::vector<std::string> names;
  for (std::string line; std::getline(in, line);) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (!line.empty()) names.push_back(line);
  }
  if (names.size() != static_cast<std::size_t>(kClasses))
    throw InputError(fmt::format("{}: {} class names; expected {} (one per line, label order)",
                                 (dir / "batches.meta.txt").string(), names.size(), kClasses));
  return names;
}

std::vector<std::filesystem::path> training_files(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  for (int batch = 1; batch <= 5; ++batch) {
    const std::string name = fmt::format("data_batch_{}.bin", batch);
    const std::array<const char*, 1> names{name.c_str()};
    if (auto path = find_data_file(dir, names); !path.empty()) files.push_back(path);
  }
  if (files.empty()) {
    constexpr std::array<const char*, 1> subset{"train_subset.bin"};
    if (auto path = find_data_file(dir, subset); !path.empty()) files.push_back(path);
  }
  return files;
}

std::filesystem::path test_file(const std::filesystem::path& dir) {
  constexpr std::array<const char*, 2> names{"test_batch.bin", "test_subset.bin"};
  return find_data_file(dir, names);
}

Dataset parse_records(const std::filesystem::path& path, std::size_t limit,
                      const std::vector<std::string>& class_names) {
  const auto bytes = read_records(path, limit);
  if (bytes.empty())
    throw InputError(fmt::format("{}: empty; expected CIFAR-10 binary records", path.string()));
  if (bytes.size() % kRecord != 0)
    throw InputError(
        fmt::format("{}: truncated or not CIFAR-10 binary: {} bytes is not a whole number of {}-byte records "
                    "(1 label byte + {} pixel bytes); the last record has {} bytes",
                    path.string(), bytes.size(), kRecord, kPixels, bytes.size() % kRecord));
  const std::size_t count = bytes.size() / kRecord;
  std::vector<float> features(count * kPixels);
  std::vector<int> labels(count);
  for (std::size_t r = 0; r < count; ++r) {
    const auto* record = bytes.data() + r * kRecord;
    if (record[0] >= kClasses)
      throw InputError(fmt::format("{}: record {} has label {}; expected 0..{} (CIFAR-10 binary)",
                                   path.string(), r, int{record[0]}, kClasses - 1));
    labels[r] = record[0];
    std::copy(record + 1, record + kRecord, features.begin() + static_cast<std::ptrdiff_t>(r * kPixels));
  }
  return Dataset(Shape{3, kSide, kSide}, kClasses, std::move(features), std::move(labels), class_names,
                 255.0F);
}

Dataset read_files(const std::vector<std::filesystem::path>& files, std::size_t limit,
                   const std::vector<std::string>& class_names) {
  Dataset all = parse_records(files.front(), limit, class_names);
  for (std::size_t f = 1; f < files.size() && (limit == 0 || all.size() < limit); ++f)
    all.append(parse_records(files[f], limit == 0 ? 0 : limit - all.size(), class_names));
  return all;
}

}  // namespace

const std::vector<std::string>& cifar10_class_names() {
  static const std::vector<std::string> names{"airplane", "automobile", "bird",  "cat",  "deer",
                                              "dog",      "frog",       "horse", "ship", "truck"};
  return names;
}

Dataset read_cifar_file(const std::filesystem::path& path, std::size_t limit) {
  return parse_records(path, limit, cifar10_class_names());
}

TrainTest read_cifar_directory(const std::filesystem::path& dir_in, SampleLimits limits) {
  std::error_code error;
  if (!std::filesystem::is_directory(dir_in, error))
    throw InputError(fmt::format("{}: no such directory; expected a directory holding CIFAR-10 binary files",
                                 dir_in.string()));
  const auto nested = dir_in / "cifar-10-batches-bin";
  const auto dir = std::filesystem::is_directory(nested, error) ? nested : dir_in;
  const auto train = training_files(dir);
  const auto test = test_file(dir);
  if (train.empty() || test.empty())
    throw InputError(fmt::format(
        "{}: no CIFAR-10 {} file; expected data_batch_1.bin .. data_batch_5.bin and test_batch.bin "
        "(or train_subset.bin and test_subset.bin), each optionally .gz",
        dir.string(), train.empty() ? "training" : "test"));
  const auto names = read_class_names(dir);
  return {read_files(train, limits.train, names), read_files({test}, limits.test, names)};
}

}  // namespace codse::nn
