#pragma once
// Export of a fully quantized Network with its Weights to an IntegerModel (integer_model.hpp).
//
// Supported structure (anything else is an InputError naming the layer):
// - the input layer has activation bits; every dense and conv2d layer has weight bits and reads
//   integers: the input, a quant layer's output or an Add of two of them, possibly through
//   maxpool2d, flatten and dropout;
// - between a dense/conv2d (or an Add) and the next quant layer: bias, batchnorm, ReLU, dropout,
//   flatten and at most one maxpool2d, which runs on the levels after requantization when the maps
//   after it never decrease, else on the accumulators when the maps before it never decrease;
// - the last layer may be a dense/conv2d without a quant after it, followed only by batchnorm,
//   dropout or flatten: the model then outputs integers proportional to the logits.
// Exponents come from the QuantSpecs or the Weights (quantizer.hpp). The levels of every quant
// layer equal those of reference_forward(fake_quant) except where a float value lies within
// rounding error of a level boundary.

#include "nn/integer/integer_model.hpp"
#include "nn/ir/network.hpp"
#include "nn/ir/weights.hpp"

namespace codse::nn {

IntegerModel export_integer_model(const Network& network, const Weights& weights);

}  // namespace codse::nn
