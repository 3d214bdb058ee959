#include "nn/data/dataset_normalization.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace codse::nn {
namespace {

std::size_t channel_count(const Dataset& data) {
  return static_cast<std::size_t>(data.sample_shape().channels);
}

std::size_t plane_size(const Dataset& data) {
  const auto& shape = data.sample_shape();
  return static_cast<std::size_t>(shape.height) * static_cast<std::size_t>(shape.width);
}

float largest_magnitude(const Dataset& data) {
  float largest = 0.0F;
  for (float x : data.features()) largest = std::max(largest, std::abs(x));
  return largest;
}

/// Mean and standard deviation of each channel over every sample and pixel, accumulated in
/// double: MNIST's train set sums 47 million values.
void fit_standardize(const Dataset& train, ChannelNormalization& normalization) {
  const auto channels = channel_count(train);
  const auto plane = plane_size(train);
  std::vector<double> sum(channels, 0.0), sum_squares(channels, 0.0);
  for (std::size_t i = 0; i < train.size(); ++i) {
    const auto sample = train.sample(i);
    for (std::size_t c = 0; c < channels; ++c)
      for (std::size_t p = 0; p < plane; ++p) {
        const double x = sample[c * plane + p];
        sum[c] += x;
        sum_squares[c] += x * x;
      }
  }
  const double count = static_cast<double>(train.size() * plane);
  for (std::size_t c = 0; c < channels; ++c) {
    const double mean = count > 0 ? sum[c] / count : 0.0;
    const double variance = count > 0 ? std::max(0.0, sum_squares[c] / count - mean * mean) : 0.0;
    const double deviation = std::sqrt(variance);
    normalization.offset[c] = static_cast<float>(mean);
    normalization.scale[c] = deviation > 1e-12 ? static_cast<float>(1.0 / deviation) : 1.0F;
  }
}

}  // namespace

const char* to_string(Normalization kind) {
  switch (kind) {
    case Normalization::none:
      return "none";
    case Normalization::scale:
      return "scale";
    case Normalization::standardize:
      return "standardize";
    case Normalization::network:
      return "network";
  }
  return "?";
}

std::optional<Normalization> normalization_from_string(const std::string& name) {
  for (auto kind : {Normalization::none, Normalization::scale, Normalization::standardize, Normalization::network})
    if (name == to_string(kind)) return kind;
  return std::nullopt;
}

ChannelNormalization ChannelNormalization::fit(const Dataset& train, Normalization kind) {
  ChannelNormalization normalization;
  normalization.kind = kind;
  const auto channels = channel_count(train);
  normalization.offset.assign(channels, 0.0F);
  normalization.scale.assign(channels, 1.0F);
  if (kind == Normalization::scale) {
    const float largest = train.value_max() > 0 ? train.value_max() : largest_magnitude(train);
    normalization.scale.assign(channels, largest > 0 ? 1.0F / largest : 1.0F);
  } else if (kind == Normalization::standardize) {
    fit_standardize(train, normalization);
  }
  return normalization;
}

ChannelNormalization ChannelNormalization::of(const InputPreprocessing& preprocessing, int channels) {
  preprocessing.validate(channels, "dataset normalisation");
  ChannelNormalization normalization;
  normalization.kind = Normalization::network;
  for (int c = 0; c < channels; ++c) {
    // In double, rounded once to float: the offset and scale the samples are mapped with.
    normalization.offset.push_back(static_cast<float>(preprocessing.mean_of(c) / preprocessing.scale));
    normalization.scale.push_back(static_cast<float>(preprocessing.scale / preprocessing.std_of(c)));
  }
  return normalization;
}

void ChannelNormalization::apply(Dataset& data) const {
  const auto channels = channel_count(data);
  if (offset.size() != channels || scale.size() != channels)
    throw std::invalid_argument(
        fmt::format("ChannelNormalization: fitted for {} channels, data has {}", offset.size(), channels));
  if (kind == Normalization::none) return;
  const auto plane = plane_size(data);
  auto features = data.mutable_features();
  for (std::size_t start = 0; start < features.size(); start += channels * plane)
    for (std::size_t c = 0; c < channels; ++c) {
      auto* x = features.data() + start + c * plane;
      for (std::size_t p = 0; p < plane; ++p) x[p] = (x[p] - offset[c]) * scale[c];
    }
}

}  // namespace codse::nn
