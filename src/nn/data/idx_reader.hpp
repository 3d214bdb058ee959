#pragma once
// The IDX format of MNIST and Fashion-MNIST (LeCun's "idx3-ubyte" files), gzipped or not:
// a big-endian uint32 magic 0x000008NN (0x08 = unsigned bytes, NN = number of dimensions), one
// big-endian uint32 per dimension, then the bytes in row-major order.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "nn/data/dataset.hpp"

namespace codse::nn {

struct IdxArray {
  std::vector<std::int64_t> dims;  // as in the header, except dims[0] = items actually read
  std::int64_t items_in_file = 0;  // dims[0] as the header says
  std::vector<std::uint8_t> data;  // dims[0] x (product of the other dims) bytes
  std::int64_t item_size() const;  // product of dims[1..]
};

/// Reads an IDX file of unsigned bytes with `expected_dims` dimensions (1 for labels, 3 for
/// images). limit > 0 reads only the first `limit` items (fast tests read a prefix). Throws
/// InputError naming the file for a wrong magic number, a zero dimension, a file shorter than its
/// header says (truncated) or, when reading everything, longer than it says.
IdxArray read_idx(const std::filesystem::path& path, int expected_dims, std::size_t limit = 0);

/// Images (N x rows x cols, one channel; pixels 0..255 as floats) and their labels. Throws
/// InputError naming the file when the counts differ or a label is not below class_names.size().
Dataset read_idx_dataset(const std::filesystem::path& images, const std::filesystem::path& labels,
                         const std::vector<std::string>& class_names, std::size_t limit = 0);

/// MNIST's file layout in a directory: train-images-idx3-ubyte, train-labels-idx1-ubyte,
/// t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each optionally .gz (LeCun's original names
/// with a dot, "train-images.idx3-ubyte", are accepted too). Fashion-MNIST uses the same names.
/// `dataset` names the data in messages ("MNIST"). Throws InputError listing the names it looked
/// for when a file is missing.
TrainTest read_idx_directory(const std::filesystem::path& dir, const std::string& dataset,
                             const std::vector<std::string>& class_names, SampleLimits limits = {});

}  // namespace codse::nn
