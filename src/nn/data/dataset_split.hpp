#pragma once
// Train / validation / test splits and shuffles, deterministic for a seed on every platform:
// std::mt19937_64 with hand-written draws (std::shuffle and the std distributions are
// implementation-defined, so the same seed could name different splits on other libraries).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "nn/data/dataset.hpp"
#include "nn/data/dataset_normalization.hpp"

namespace codse::nn {

struct DatasetSplits {
  Dataset train;                       // shuffled for the seed unless shuffling is off
  Dataset validation;                  // held out from the training files; may be empty
  Dataset test;                        // the dataset's test files, or held out from a single table
  ChannelNormalization normalization;  // fitted on train, already applied to all three
  std::string name;                    // "mnist", "fashion-mnist", "cifar10", "csv:<file>"
};

enum class SplitMode {
  stratified,  // every class keeps its share: round(fraction * n) in total, each class floor or ceil
  random,      // a plain seeded random subset of round(fraction * n) samples
};

struct SplitIndices {
  std::vector<std::size_t> kept;      // ascending
  std::vector<std::size_t> held_out;  // ascending
};

/// Holds out round(fraction * size) samples chosen for the seed. fraction in [0, 1).
SplitIndices split_indices(const Dataset& data, double fraction, std::uint64_t seed, SplitMode mode);

/// 0 .. n-1 in an order fixed by the seed (Fisher-Yates).
std::vector<std::size_t> shuffled_indices(std::size_t n, std::uint64_t seed);

/// Shuffles `indices` in place for the seed.
void shuffle(std::vector<std::size_t>& indices, std::uint64_t seed);

}  // namespace codse::nn
