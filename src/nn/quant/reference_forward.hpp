#pragma once
// The float reference of what a Network computes: plain C++, one sample at a time, no libtorch.
// Morphisms, training and the IntegerModel are tested against it.
//
//   float32     every QuantSpec is ignored (a quant layer passes values through, except that an
//               unsigned quant layer clamps at 0 as its levels do, i.e. acts as a ReLU)
//   fake_quant  weights (after the mask) and the outputs of input and quant layers are replaced by
//               level * 2^e as quantizer.hpp defines; everything else stays float
// In both: dropout is the identity, batchnorm uses its running statistics, masks apply, Flatten
// keeps the CHW (channel-major) order. Sums are accumulated in double and rounded to float once per
// output value, so fake-quantized products (multiples of a power of two) add up exactly.

#include <span>
#include <vector>

#include "nn/ir/network.hpp"
#include "nn/ir/weights.hpp"

namespace codse::nn {

enum class Arithmetic { float32, fake_quant };

/// A network with its weights prepared once (masked, fake-quantized, batchnorm as scale and shift)
/// for many forward passes. Throws InputError naming the layer when the weights do not fit the
/// network (missing tensor, wrong shape, unknown activation scale).
class ReferenceForward {
 public:
  ReferenceForward(const Network& network, const Weights& weights, Arithmetic arithmetic);

  /// The last layer's output (logits) for one CHW sample.
  std::vector<float> run(std::span<const float> input) const;
  /// Every layer's output, in the order of Network::layers().
  std::vector<std::vector<float>> run_all(std::span<const float> input) const;

  const Network& network() const { return network_; }
  Arithmetic arithmetic() const { return arithmetic_; }

 private:
  struct Prepared {
    std::vector<float> weight;  // dense, conv2d: masked and (fake_quant) quantized
    std::vector<float> bias;    // dense, conv2d (zeros when absent); batchnorm: shift
    std::vector<float> scale;   // batchnorm: gamma / sqrt(var + eps)
    std::vector<float> mean;    // batchnorm: running mean
    int exponent = 0;           // input, quant (fake_quant): the activation exponent
  };
  void compute(std::size_t index, const std::vector<std::vector<float>>& outputs,
               std::vector<float>& out) const;

  Network network_;
  Arithmetic arithmetic_;
  std::vector<Prepared> prepared_;
};

/// One sample (CHW floats) through the network; returns the last layer's output.
std::vector<float> reference_forward(const Network& network, const Weights& weights,
                                     std::span<const float> input, Arithmetic arithmetic);
/// Every layer's output for one sample, in the order of Network::layers().
std::vector<std::vector<float>> reference_forward_all(const Network& network, const Weights& weights,
                                                      std::span<const float> input, Arithmetic arithmetic);

}  // namespace codse::nn
