#pragma once
// The loops of IntegerModel::infer on contiguous integer arrays. Two widths of the same arithmetic:
// "narrow" (int16 operands, int32 sums) where the recorded bounds prove it cannot overflow, so that
// the compiler vectorizes the dot products, and "wide" (int32 weights, int64 values) otherwise.

#include <cstdint>
#include <span>

#include "nn/integer/integer_model.hpp"

namespace codse::nn::integer_kernels {

/// out[o] = sum_i w[o * n + i] * x[i], n = x.size().
void dense_narrow(std::span<const std::int16_t> w, std::span<const std::int16_t> x,
                  std::span<std::int64_t> out);
void dense_wide(std::span<const std::int32_t> w, std::span<const std::int64_t> x,
                std::span<std::int64_t> out);

/// Convolution of a CHW input with op.units filters [units, in.channels, k, k], zero padding.
void conv2d_narrow(const IntegerOp& op, Shape in, std::span<const std::int16_t> w,
                   std::span<const std::int16_t> x, std::span<std::int64_t> out);
void conv2d_wide(const IntegerOp& op, Shape in, std::span<const std::int32_t> w,
                 std::span<const std::int64_t> x, std::span<std::int64_t> out);

void maxpool2d(const IntegerOp& op, Shape in, std::span<const std::int64_t> x, std::span<std::int64_t> out);

/// Levels by thresholds (use_shift false) or by shift and clamp (requires r.has_shift).
void requantize(const Requantization& r, bool use_shift, std::span<const std::int64_t> x,
                std::span<std::int64_t> out);

void output_affine(const OutputAffine& a, std::span<const std::int64_t> x, std::span<std::int64_t> out);

}  // namespace codse::nn::integer_kernels
