#pragma once
// CIFAR-10's binary version, gzipped or not: records of 1 label byte (0..9) and 3072 pixel bytes
// (1024 red, 1024 green, 1024 blue, each plane 32x32 row-major), no header. Sample shape 3x32x32,
// pixels 0..255 as floats.

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "nn/data/dataset.hpp"

namespace codse::nn {

/// CIFAR-10's classes, label order.
const std::vector<std::string>& cifar10_class_names();

/// One file of records. limit > 0 reads only the first `limit` records. Throws InputError naming
/// the file when it is empty, is not a whole number of 3073-byte records (truncated or not
/// CIFAR-10) or a label is above 9.
Dataset read_cifar_file(const std::filesystem::path& path, std::size_t limit = 0);

/// A directory of the official binary release (data_batch_1..5.bin for training, test_batch.bin;
/// also inside a cifar-10-batches-bin/ subdirectory, as the tarball unpacks) or of the subset in
/// ../shared/data/cifar10-jpeg-subset (train_subset.bin, test_subset.bin); each file optionally
/// .gz. Class names come from batches.meta.txt when present. Throws InputError listing the names
/// it looked for when the files are missing.
TrainTest read_cifar_directory(const std::filesystem::path& dir, SampleLimits limits = {});

}  // namespace codse::nn
