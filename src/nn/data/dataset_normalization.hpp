#pragma once
// Normalisation of features, fitted on the training set and applied unchanged to validation and
// test (and to any later input), so no statistics leak from the held-out data. Every kind is an
// affine map per channel: x' = (x - offset[c]) * scale[c].

#include <optional>
#include <string>
#include <vector>

#include "nn/data/dataset.hpp"
#include "nn/ir/input_preprocessing.hpp"

namespace codse::nn {

enum class Normalization {
  none,         // features as read (pixels 0..255)
  scale,        // divide by the format's largest value (255 for pixels), so pixels land in [0, 1];
                // a CSV table, whose format has no largest value, divides by the largest |x| of train
  standardize,  // per channel: subtract the training mean, divide by the training standard deviation
  network,      // the network's recorded InputPreprocessing (an imported model's), nothing fitted
};

const char* to_string(Normalization kind);
/// "none", "scale" or "standardize"; std::nullopt otherwise.
std::optional<Normalization> normalization_from_string(const std::string& name);

struct ChannelNormalization {
  Normalization kind = Normalization::none;
  std::vector<float> offset;  // per channel
  std::vector<float> scale;   // per channel

  /// Statistics of `train` for `kind`. A channel that is constant in train (e.g. the border
  /// pixels of the digits) gets scale 1 instead of dividing by zero.
  static ChannelNormalization fit(const Dataset& train, Normalization kind);
  /// The fixed map of a network's preprocessing, x' = (x * scale - mean) / std, written as
  /// (x - mean / scale) * (scale / std). Throws InputError when it does not fit `channels`.
  static ChannelNormalization of(const InputPreprocessing& preprocessing, int channels);
  /// Applies the map in place. Throws std::invalid_argument when the channel count differs.
  void apply(Dataset& data) const;
};

}  // namespace codse::nn
