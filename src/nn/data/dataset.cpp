#include "nn/data/dataset.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

namespace codse::nn {

Dataset::Dataset(Shape sample_shape, int num_classes, std::vector<float> features, std::vector<int> labels,
                 std::vector<std::string> class_names, float value_max)
    : shape_(sample_shape),
      num_classes_(num_classes),
      features_(std::move(features)),
      labels_(std::move(labels)),
      class_names_(std::move(class_names)),
      value_max_(value_max) {
  if (shape_.size() <= 0) throw std::invalid_argument("Dataset: the sample shape is empty");
  if (num_classes_ <= 0) throw std::invalid_argument("Dataset: needs at least one class");
  if (features_.size() != labels_.size() * static_cast<std::size_t>(shape_.size()))
    throw std::invalid_argument(fmt::format("Dataset: {} features for {} samples of size {}",
                                            features_.size(), labels_.size(), shape_.size()));
  if (!class_names_.empty() && class_names_.size() != static_cast<std::size_t>(num_classes_))
    throw std::invalid_argument(
        fmt::format("Dataset: {} class names for {} classes", class_names_.size(), num_classes_));
  const auto bad = std::find_if(labels_.begin(), labels_.end(),
                                [this](int label) { return label < 0 || label >= num_classes_; });
  if (bad != labels_.end())
    throw std::invalid_argument(fmt::format("Dataset: label {} of sample {} is outside 0..{}", *bad,
                                            bad - labels_.begin(), num_classes_ - 1));
}

std::span<const float> Dataset::sample(std::size_t i) const {
  const auto size = static_cast<std::size_t>(shape_.size());
  return std::span<const float>(features_).subspan(i * size, size);
}

std::span<float> Dataset::sample(std::size_t i) {
  const auto size = static_cast<std::size_t>(shape_.size());
  return std::span<float>(features_).subspan(i * size, size);
}

std::vector<std::size_t> Dataset::label_histogram() const {
  std::vector<std::size_t> counts(static_cast<std::size_t>(num_classes_), 0);
  for (int label : labels_) ++counts[static_cast<std::size_t>(label)];
  return counts;
}

Dataset Dataset::empty_like() const {
  Dataset result;
  result.shape_ = shape_;
  result.num_classes_ = num_classes_;
  result.class_names_ = class_names_;
  result.value_max_ = value_max_;
  return result;
}

Dataset Dataset::subset(std::span<const std::size_t> indices) const {
  Dataset result = empty_like();
  const auto size = static_cast<std::size_t>(shape_.size());
  result.features_.resize(indices.size() * size);
  result.labels_.reserve(indices.size());
  auto out = result.features_.begin();
  for (auto i : indices) {
    if (i >= labels_.size())
      throw std::out_of_range(fmt::format("Dataset::subset: index {} of {} samples", i, labels_.size()));
    const auto in = features_.begin() + static_cast<std::ptrdiff_t>(i * size);
    out = std::copy(in, in + static_cast<std::ptrdiff_t>(size), out);
    result.labels_.push_back(labels_[i]);
  }
  return result;
}

void Dataset::keep(std::span<const std::size_t> indices) {
  // Extend `indices` to a permutation of all samples (the dropped ones at the end), apply it by
  // following its cycles with one sample of scratch space, then cut the dropped tail.
  std::vector<std::size_t> order(indices.begin(), indices.end());
  std::vector<bool> taken(size(), false);
  for (auto i : indices) {
    if (i >= size() || taken[i])
      throw std::invalid_argument(
          fmt::format("Dataset::keep: index {} repeats or is outside {} samples", i, size()));
    taken[i] = true;
  }
  for (std::size_t i = 0; i < size(); ++i)
    if (!taken[i]) order.push_back(i);

  const auto width = static_cast<std::size_t>(shape_.size());
  auto row = [&](std::size_t i) { return features_.begin() + static_cast<std::ptrdiff_t>(i * width); };
  std::vector<float> scratch(width);
  std::vector<bool> placed(size(), false);
  for (std::size_t start = 0; start < order.size(); ++start) {
    if (placed[start] || order[start] == start) continue;
    std::copy(row(start), row(start) + static_cast<std::ptrdiff_t>(width), scratch.begin());
    const int start_label = labels_[start];
    std::size_t to = start;
    while (order[to] != start) {  // position `to` receives the sample now at order[to]
      const auto from = order[to];
      std::copy(row(from), row(from) + static_cast<std::ptrdiff_t>(width), row(to));
      labels_[to] = labels_[from];
      placed[to] = true;
      to = from;
    }
    std::copy(scratch.begin(), scratch.end(), row(to));
    labels_[to] = start_label;
    placed[to] = true;
  }
  features_.resize(indices.size() * width);
  labels_.resize(indices.size());
}

Dataset Dataset::first(std::size_t n) const {
  n = std::min(n, size());
  Dataset result = empty_like();
  const auto end = static_cast<std::ptrdiff_t>(n * static_cast<std::size_t>(shape_.size()));
  result.features_.assign(features_.begin(), features_.begin() + end);
  result.labels_.assign(labels_.begin(), labels_.begin() + static_cast<std::ptrdiff_t>(n));
  return result;
}

void Dataset::append(const Dataset& other) {
  if (other.shape_ != shape_ || other.num_classes_ != num_classes_)
    throw std::invalid_argument(
        fmt::format("Dataset::append: samples {}x{}x{} with {} classes onto {}x{}x{} with {} classes",
                    other.shape_.channels, other.shape_.height, other.shape_.width, other.num_classes_,
                    shape_.channels, shape_.height, shape_.width, num_classes_));
  features_.insert(features_.end(), other.features_.begin(), other.features_.end());
  labels_.insert(labels_.end(), other.labels_.begin(), other.labels_.end());
}

}  // namespace codse::nn
