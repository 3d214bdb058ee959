#pragma once
// Weights of a Network, kept apart from the network's structure and free of libtorch so that
// morphisms, integer export and the hardware side can use them without linking torch.
//
// Tensor layouts (row-major, as in PyTorch):
//   dense     weight [units, in_features]            bias [units]
//   conv2d    weight [units, in_channels, k, k]      bias [units]
//   batchnorm gamma, beta, running_mean, running_var [channels]  (eps in LayerWeights::eps)
// A Flatten of a CHW tensor orders features channel-major (c, then h, then w), as torch.flatten.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace codse::nn {

struct Tensor {
  std::vector<std::int64_t> shape;
  std::vector<float> data;  // size == product of shape
  std::int64_t numel() const;
  bool operator==(const Tensor&) const = default;
};

struct LayerWeights {
  Tensor weight;        // dense, conv2d
  Tensor bias;          // dense, conv2d (empty when the layer has no bias)
  Tensor mask;          // dense, conv2d: 1 keeps a weight, 0 prunes it (empty: nothing pruned)
  Tensor gamma, beta, running_mean, running_var;  // batchnorm
  float eps = 1e-5f;    // batchnorm
  // Power-of-two scales chosen by training when the Network leaves them open:
  // weight real value = integer * 2^weight_scale_log2; quant/input layers: output likewise.
  std::optional<int> weight_scale_log2;
  std::optional<int> activation_scale_log2;
  bool operator==(const LayerWeights&) const = default;
};

/// Layer name -> its weights. Layers without parameters and without a chosen scale are absent.
class Weights {
 public:
  std::map<std::string, LayerWeights> layers;

  bool contains(const std::string& layer) const { return layers.count(layer) != 0; }
  const LayerWeights& at(const std::string& layer) const;  // throws InputError if absent
  LayerWeights& at(const std::string& layer);

  /// A documented little-endian binary file (docs/FORMATS.md); save writes it atomically
  /// (core/atomic_file.hpp: never half a file, the old one kept on failure); load throws
  /// InputError naming the file and what is wrong when it is truncated or not a weights file.
  void save(const std::string& path) const;
  static Weights load(const std::string& path);
};

}  // namespace codse::nn
