#pragma once
// Batch-norm folding: a batchnorm that directly follows a dense or conv2d layer is an affine map per
// output channel, y = a * (x - mean) + beta with a = gamma / sqrt(var + eps), so it can be merged into
// that layer's weights and bias:  w'[o] = a[o] * w[o],  b'[o] = a[o] * (b[o] - mean[o]) + beta[o].
// The float32 function is unchanged (up to rounding); quantized weights are not (the folded weights
// lie off the old grid), which is why the folded layer's recorded weight exponent is dropped and is
// chosen again from the new range.

#include "nn/ir/network.hpp"
#include "nn/ir/weights.hpp"

namespace codse::nn {

struct FoldedNetwork {
  Network network;
  Weights weights;
};

/// Removes every batchnorm whose input is a dense or conv2d layer read by nothing else; the weighted
/// layer gets a bias. Batchnorms that cannot be folded (after a relu, quant, add, or after a layer
/// whose output also feeds other layers) stay. Throws InputError naming the layer when a batchnorm
/// or weighted layer lacks its tensors.
FoldedNetwork fold_batchnorm(const Network& network, const Weights& weights);

}  // namespace codse::nn
