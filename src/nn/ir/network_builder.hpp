#pragma once
// NetworkBuilder: a Network written in code, layer by layer, instead of as a network file.
//
//   const auto net = NetworkBuilder("mlp")
//                        .input({1, 28, 28}, unsigned_bits(8))
//                        .flatten()
//                        .dense(64, signed_bits(4)).no_bias()
//                        .batchnorm()
//                        .quant(unsigned_bits(4))
//                        .dense(10, signed_bits(4))
//                        .build();
//
// Each layer method appends one layer reading the previous one (or the layer named by from());
// the methods after it (named, no_bias, sparsity, stride, padding) change that last layer. Layers
// get default names unless named(): "in" for the input, then per kind "fc1", "conv1", "pool1",
// "bn1", "relu1", "act1" (quant), "add1", "flatten1", "dropout1", counting that kind's layers and
// skipping names already taken. add(skip) adds the layer it would read (the main path) and `skip`.
//
// Misusing the builder (a layer before the input, a second input, no_bias() on a relu, ...)
// throws InputError at once, naming the network and the call. build() makes the Network, whose
// constructor checks everything else (shapes, kernels larger than the input, bits, unused
// layers); its InputError is prefixed with the network's name.

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "nn/ir/network.hpp"

namespace codse::nn {

/// `bits`-bit signed values (two's complement; 1 bit: bipolar {-1, +1}).
QuantSpec signed_bits(int bits);
/// `bits`-bit unsigned values (a quant layer of them is a quantized ReLU).
QuantSpec unsigned_bits(int bits);

class NetworkBuilder {
 public:
  explicit NetworkBuilder(std::string name);

  /// The network input: shape {features} or {channels, height, width}; quant: the input values'
  /// bits (float by default).
  NetworkBuilder& input(Shape shape, QuantSpec quant = {});
  NetworkBuilder& dense(int units, QuantSpec weight_quant = {});
  /// Stride 1 and no padding unless stride() / padding() follow.
  NetworkBuilder& conv2d(int filters, int kernel, QuantSpec weight_quant = {});
  /// Stride equal to the kernel unless stride() follows.
  NetworkBuilder& maxpool2d(int kernel);
  NetworkBuilder& batchnorm();
  NetworkBuilder& relu();
  NetworkBuilder& quant(QuantSpec activation_quant);
  NetworkBuilder& flatten();
  NetworkBuilder& dropout(double rate);
  /// An add of the main path (the layer the next layer would read) and the layer named `skip`.
  NetworkBuilder& add(const std::string& skip);
  /// An add of the layers named `main` and `skip`.
  NetworkBuilder& add(const std::string& main, const std::string& skip);

  /// The next layer reads the layer named `layer` instead of the last one (a branch).
  NetworkBuilder& from(const std::string& layer);

  /// Changes of the last layer.
  NetworkBuilder& named(std::string name);
  NetworkBuilder& no_bias();                                                 // dense, conv2d
  NetworkBuilder& sparsity(double target, SparsityKind kind = SparsityKind::unstructured);  // dense, conv2d
  NetworkBuilder& stride(int stride);                                        // conv2d, maxpool2d
  NetworkBuilder& padding(int padding);                                      // conv2d

  /// The name of the last layer added (to refer to it later, e.g. as a skip); throws when empty.
  const std::string& last() const;

  /// The network; throws InputError (prefixed with the network's name) when it is not valid.
  Network build() const;

 private:
  NetworkBuilder& append(LayerKind kind, Layer layer);
  Layer& last_layer(const char* call, std::initializer_list<LayerKind> kinds);
  [[noreturn]] void fail(const std::string& message) const;
  std::string default_name(LayerKind kind) const;

  std::string name_;
  std::vector<Layer> layers_;
  std::optional<std::string> next_input_;  // from()
};

}  // namespace codse::nn
