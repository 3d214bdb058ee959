#pragma once
// A labelled set of samples for classification, held the way training reads it: every sample's
// features in one contiguous float vector (sample i at [i * sample_size, (i + 1) * sample_size),
// CHW order within a sample, as the Network IR's Shape), and one class index per sample.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "nn/ir/network.hpp"

namespace codse::nn {

class Dataset {
 public:
  Dataset() = default;
  /// Throws std::invalid_argument when the sizes disagree or a label is outside
  /// [0, num_classes): readers check their files first and report those as InputError.
  /// class_names is empty (unknown) or has num_classes entries. value_max is the largest value
  /// the source format can hold (255 for 8-bit pixels), 0 when the format does not say.
  Dataset(Shape sample_shape, int num_classes, std::vector<float> features, std::vector<int> labels,
          std::vector<std::string> class_names = {}, float value_max = 0.0F);

  const Shape& sample_shape() const { return shape_; }
  std::int64_t sample_size() const { return shape_.size(); }
  int num_classes() const { return num_classes_; }
  const std::vector<std::string>& class_names() const { return class_names_; }
  float value_max() const { return value_max_; }

  std::size_t size() const { return labels_.size(); }
  bool empty() const { return labels_.empty(); }
  std::span<const float> sample(std::size_t i) const;
  std::span<float> sample(std::size_t i);
  int label(std::size_t i) const { return labels_[i]; }

  /// All features, n x sample_size, row-major per sample.
  const std::vector<float>& features() const { return features_; }
  /// Writable view for in-place transforms (normalisation); the size cannot change.
  std::span<float> mutable_features() { return features_; }
  const std::vector<int>& labels() const { return labels_; }

  /// Samples per class, index = class.
  std::vector<std::size_t> label_histogram() const;
  /// The samples at `indices`, in that order (indices may repeat).
  Dataset subset(std::span<const std::size_t> indices) const;
  /// Keeps only the samples at `indices`, in that order, rearranging in place (no second copy of
  /// the features). Throws std::invalid_argument when an index repeats or is out of range.
  void keep(std::span<const std::size_t> indices);
  /// The first min(n, size()) samples.
  Dataset first(std::size_t n) const;
  /// Appends another dataset of the same sample shape and classes (e.g. CIFAR-10's batches).
  void append(const Dataset& other);

 private:
  Dataset empty_like() const;  // same shape, classes and names; no samples

  Shape shape_;
  int num_classes_ = 0;
  std::vector<float> features_;
  std::vector<int> labels_;
  std::vector<std::string> class_names_;
  float value_max_ = 0.0F;
};

/// A dataset as its files hold it, before any validation split. test is empty when the files
/// have no test part (a single CSV table).
struct TrainTest {
  Dataset train;
  Dataset test;
};

/// Read only the first samples of each part (fast tests); 0 reads everything.
struct SampleLimits {
  std::size_t train = 0;
  std::size_t test = 0;
};

}  // namespace codse::nn
