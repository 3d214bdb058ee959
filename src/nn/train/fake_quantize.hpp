#pragma once
// The fake quantization training applies, exposed on plain floats (torch-free) so tests can hold
// it against quantizer.hpp: same levels, same rounding, same clamping, and the gradient the
// straight-through estimator passes.

#include <span>
#include <vector>

#include "nn/ir/network.hpp"

namespace codse::nn {

/// How the straight-through estimator treats the gradient: weights pass it unchanged (their
/// scale covers their range, binary latent weights are clipped instead); activations pass it only
/// inside the representable range [lo * 2^e, hi * 2^e] (for binary: |x| <= 2^e, hardtanh's).
enum class StraightThrough { identity, clipped };

/// fake_quantize(x, q, e) for every value, computed by the torch kernels training uses.
std::vector<float> torch_fake_quantize(std::span<const float> values, const QuantSpec& q, int scale_log2);

/// d fake_quantize / dx as training sees it (1 where the gradient passes, 0 where it is blocked).
std::vector<float> torch_fake_quantize_gradient(std::span<const float> values, const QuantSpec& q, int scale_log2,
                                                StraightThrough estimator);

}  // namespace codse::nn
