#include "nn/data/idx_reader.hpp"

#include <array>
#include <span>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "core/error.hpp"
#include "nn/data/gzip_file.hpp"

namespace codse::nn {
namespace {

constexpr std::uint8_t kUnsignedByte = 0x08;

std::uint32_t big_endian(std::span<const std::uint8_t, 4> bytes) {
  return (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) | (std::uint32_t{bytes[2]} << 8) |
         std::uint32_t{bytes[3]};
}

std::uint32_t read_word(GzipFile& file, const char* what) {
  std::array<std::uint8_t, 4> bytes{};
  if (file.read(bytes) != bytes.size())
    throw InputError(
        fmt::format("{}: truncated IDX file: it ends inside the header ({})", file.path().string(), what));
  return big_endian(bytes);
}

void check_magic(const GzipFile& file, std::uint32_t magic, int expected_dims) {
  const std::uint32_t expected =
      (std::uint32_t{kUnsignedByte} << 8) | static_cast<std::uint32_t>(expected_dims);
  if (magic == expected) return;
  const bool idx_like = (magic >> 16) == 0 && (magic & 0xff) != 0;
  if (idx_like && ((magic >> 8) & 0xff) != kUnsignedByte)
    throw InputError(
        fmt::format("{}: IDX data type 0x{:02x} is not supported (magic 0x{:08x}); expected unsigned bytes, "
                    "magic 0x{:08x}",
                    file.path().string(), (magic >> 8) & 0xff, magic, expected));
  throw InputError(
      fmt::format("{}: wrong magic number 0x{:08x}; expected 0x{:08x} (an IDX file of unsigned bytes with {} "
                  "dimension{}, as MNIST {})",
                  file.path().string(), magic, expected, expected_dims, expected_dims == 1 ? "" : "s",
                  expected_dims == 1 ? "labels" : "images"));
}

}  // namespace

std::int64_t IdxArray::item_size() const {
  std::int64_t size = 1;
  for (std::size_t d = 1; d < dims.size(); ++d) size *= dims[d];
  return size;
}

IdxArray read_idx(const std::filesystem::path& path, int expected_dims, std::size_t limit) {
  GzipFile file(path);
  check_magic(file, read_word(file, "magic number"), expected_dims);

  IdxArray array;
  for (int d = 0; d < expected_dims; ++d) {
    const auto size = read_word(file, "dimensions");
    if (size == 0 && d > 0)
      throw InputError(fmt::format("{}: dimension {} of the IDX header is 0; expected a positive size",
                                   path.string(), d + 1));
    array.dims.push_back(size);
  }
  array.items_in_file = array.dims[0];
  if (limit > 0 && std::int64_t(limit) < array.items_in_file) array.dims[0] = std::int64_t(limit);

  const auto expected_bytes = static_cast<std::size_t>(array.dims[0] * array.item_size());
  array.data.resize(expected_bytes);
  const auto got = file.read(array.data);
  if (got != expected_bytes) {
    throw InputError(fmt::format(
        "{}: truncated IDX file: the header says {} items of {} bytes, but the data ends after {} "
        "bytes (item {}); expected {} bytes of data",
        path.string(), array.items_in_file, array.item_size(), got,
        got / static_cast<std::size_t>(array.item_size()), expected_bytes));
  }
  if (array.dims[0] == array.items_in_file) {
    std::array<std::uint8_t, 1> extra{};
    if (file.read(extra) != 0)
      throw InputError(
          fmt::format("{}: longer than its IDX header says ({} items of {} bytes); "
                      "the header or the file is wrong",
                      path.string(), array.items_in_file, array.item_size()));
  }
  return array;
}

Dataset read_idx_dataset(const std::filesystem::path& images, const std::filesystem::path& labels,
                         const std::vector<std::string>& class_names, std::size_t limit) {
  const IdxArray pixels = read_idx(images, 3, limit);
  const IdxArray classes = read_idx(labels, 1, limit);
  if (pixels.items_in_file != classes.items_in_file)
    throw InputError(fmt::format("{}: {} labels, but {} has {} images; expected one label per image",
                                 labels.string(), classes.items_in_file, images.string(),
                                 pixels.items_in_file));
  const int num_classes = static_cast<int>(class_names.size());
  std::vector<int> label_values(classes.data.begin(), classes.data.end());
  for (std::size_t i = 0; i < label_values.size(); ++i)
    if (label_values[i] >= num_classes)
      throw InputError(fmt::format("{}: label {} of item {} is out of range; expected 0..{}", labels.string(),
                                   label_values[i], i, num_classes - 1));
  std::vector<float> features(pixels.data.begin(), pixels.data.end());
  const Shape shape{1, static_cast<int>(pixels.dims[1]), static_cast<int>(pixels.dims[2])};
  return Dataset(shape, num_classes, std::move(features), std::move(label_values), class_names, 255.0F);
}

namespace {

std::filesystem::path require_idx_file(const std::filesystem::path& dir, const std::string& dataset,
                                       const std::string& part, const std::string& kind) {
  const std::string dashed = part + "-" + kind;  // train-images-idx3-ubyte
  const std::string dotted = [&] {               // train-images.idx3-ubyte (LeCun's names)
    auto name = dashed;
    name[name.find("-idx")] = '.';
    return name;
  }();
  const std::array<const char*, 2> names{dashed.c_str(), dotted.c_str()};
  auto path = find_data_file(dir, names);
  if (path.empty())
    throw InputError(fmt::format("{}: no {} file {} or {}.gz (nor {}[.gz]); expected the {} IDX files here",
                                 dir.string(), dataset, dashed, dashed, dotted, dataset));
  return path;
}

Dataset read_idx_part(const std::filesystem::path& dir, const std::string& dataset, const std::string& part,
                      const std::vector<std::string>& class_names, std::size_t limit) {
  return read_idx_dataset(require_idx_file(dir, dataset, part, "images-idx3-ubyte"),
                          require_idx_file(dir, dataset, part, "labels-idx1-ubyte"), class_names, limit);
}

}  // namespace

TrainTest read_idx_directory(const std::filesystem::path& dir, const std::string& dataset,
                             const std::vector<std::string>& class_names, SampleLimits limits) {
  std::error_code error;
  if (!std::filesystem::is_directory(dir, error))
    throw InputError(fmt::format("{}: no such directory; expected a directory holding the {} IDX files",
                                 dir.string(), dataset));
  return {read_idx_part(dir, dataset, "train", class_names, limits.train),
          read_idx_part(dir, dataset, "t10k", class_names, limits.test)};
}

}  // namespace codse::nn
