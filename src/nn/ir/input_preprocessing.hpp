#pragma once
// The input preprocessing a network expects: how a sample as the dataset stores it (8-bit pixels
// 0..255, CSV values) becomes the network's input. An imported model (codse import) was trained on
// inputs prepared by its own pipeline, e.g. torchvision's ToTensor (pixels / 255) followed by
// Normalize(mean, std); recording that map with the network lets eval, train and explore feed the
// network exactly what it was trained on, instead of fitting a normalisation of their own.
//
//   x' = (x * scale - mean[c]) / std[c]        per channel c of the sample (CHW)
//
// A mean or std with one value applies to every channel.

#include <string>
#include <vector>

namespace codse::nn {

struct InputPreprocessing {
  double scale = 1.0 / 255.0;  // torchvision's ToTensor: 8-bit pixels to [0, 1]
  std::vector<double> mean{0.0};
  std::vector<double> std{1.0};

  /// mean[c] (or mean[0] when one value is given for all channels).
  double mean_of(int channel) const;
  double std_of(int channel) const;
  /// Throws InputError naming `context` when scale or a std is not positive and finite, a mean is
  /// not finite, or mean / std hold neither 1 nor `channels` values.
  void validate(int channels, const std::string& context) const;

  bool operator==(const InputPreprocessing&) const = default;
};

}  // namespace codse::nn
