#pragma once
// Random weights for a Network, deterministic for a seed: for tests, benchmarks and as the starting
// point of training. Dense and conv2d weights are uniform in +-sqrt(6 / fan_in) (He uniform),
// biases uniform in +-0.1; batchnorm gamma in [0.5, 1.5], beta and running mean in +-0.2, running
// variance in [0.5, 1.5], eps 1e-5. Every input and quant layer whose QuantSpec leaves the exponent
// open gets one recorded: the smallest that covers [0, 1] for the input (pixels) and +-2 (signed)
// or [0, 2] (unsigned) for quant layers. Ternary weights get the exponent e = ceil(log2(limit)), so
// that the weights beyond 2^(e-1) (about half) are +-1 rather than all rounding to 0. No weight is
// pruned.

#include <cstdint>

#include "nn/ir/network.hpp"
#include "nn/ir/weights.hpp"

namespace codse::nn {

Weights random_weights(const Network& network, std::uint64_t seed);

}  // namespace codse::nn
