#pragma once
// Fake quantization as a torch autograd function (private to nn/train: includes libtorch).
// Forward: exactly quantizer.hpp's fake_quantize, level * 2^e with level = clamp(floor(x * 2^-e +
// 0.5), lo, hi), or for binary level = x >= 0 ? +1 : -1. Multiplying by a power of two is exact
// in float, so the torch kernels and the scalar quantizer round the same values the same way.
// Backward: a straight-through estimator (see fake_quantize.hpp).

#include <torch/torch.h>

#include "nn/ir/network.hpp"
#include "nn/train/fake_quantize.hpp"

namespace codse::nn {

/// The integer range of a QuantSpec and the step 2^e.
struct QuantGrid {
  double step = 1.0;
  double lo = 0.0;
  double hi = 0.0;
  bool binary = false;
};

QuantGrid quant_grid(const QuantSpec& q, int scale_log2);

/// Fake-quantizes x on grid with the given straight-through estimator.
torch::Tensor fake_quantize(const torch::Tensor& x, const QuantGrid& grid, StraightThrough estimator);

}  // namespace codse::nn
