#include "nn/train/torch_fake_quantize.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace codse::nn {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

/// The forward values with torch's element-wise operators (any floating type).
torch::Tensor quantized_values_generic(const torch::Tensor& x, const QuantGrid& grid) {
  if (grid.binary) return (x >= 0).to(x.scalar_type()).mul_(2.0 * grid.step).sub_(grid.step);
  return x.mul(1.0 / grid.step).add_(0.5).floor_().clamp_(grid.lo, grid.hi).mul_(grid.step);
}

// The loops below must vectorize: GCC if-converts the float selects only when it may assume that
// comparisons do not trap. That assumption changes no result (rounding is untouched).
#pragma GCC push_options
#pragma GCC optimize("no-trapping-math")

/// Levels times the step, in float exactly as quantizer.cpp: x * 2^-e is exact (a power of two),
/// the "+ 0.5" rounds once, then floor and clamp. Clamping before the floor gives the same level
/// because lo and hi are integers, and it keeps the truncating conversion in range. NaN gets the
/// level nearest 0, as in the quantizer.
void fake_quantize_floats(const float* __restrict in, float* __restrict out, std::int64_t count, float inverse_step,
                          float step, float lo, float hi) {
  const float nan_level = std::min(std::max(0.0f, lo), hi);
  for (std::int64_t i = 0; i < count; ++i) {
    const float v = in[i] * inverse_step + 0.5f;
    const float low_clamped = v < lo ? lo : v;
    const float clamped = low_clamped > hi ? hi : low_clamped;
    const float truncated = static_cast<float>(static_cast<std::int32_t>(clamped));
    const float level = truncated > clamped ? truncated - 1.0f : truncated;
    out[i] = (v == v ? level : nan_level) * step;
  }
}

void binarize_floats(const float* __restrict in, float* __restrict out, std::int64_t count, float step) {
  for (std::int64_t i = 0; i < count; ++i) out[i] = in[i] >= 0.0f ? step : -step;
}

/// gradient * [low <= x <= high], as torch computes it with a float mask.
void clip_gradient_floats(const float* __restrict gradient, const float* __restrict x, float* __restrict out,
                          std::int64_t count, float low, float high) {
  for (std::int64_t i = 0; i < count; ++i) out[i] = gradient[i] * static_cast<float>((x[i] >= low) & (x[i] <= high));
}

#pragma GCC pop_options

constexpr std::int64_t grain = 1 << 14;

/// The forward values in one pass over the data: fake quantization runs after every layer and on
/// every weight at every step, and torch's five element-wise passes made it a large share of
/// training time.
torch::Tensor quantized_values(const torch::Tensor& x, const QuantGrid& grid) {
  if (x.scalar_type() != torch::kFloat32) return quantized_values_generic(x, grid);
  const auto input = x.contiguous();
  auto output = torch::empty_like(input);
  const float* in = input.data_ptr<float>();
  float* out = output.data_ptr<float>();
  const auto step = static_cast<float>(grid.step);
  const auto inverse_step = static_cast<float>(1.0 / grid.step);
  const auto lo = static_cast<float>(grid.lo);
  const auto hi = static_cast<float>(grid.hi);
  const bool binary = grid.binary;
  at::parallel_for(0, input.numel(), grain, [&](std::int64_t begin, std::int64_t end) {
    if (binary)
      binarize_floats(in + begin, out + begin, end - begin, step);
    else
      fake_quantize_floats(in + begin, out + begin, end - begin, inverse_step, step, lo, hi);
  });
  return output;
}

/// The straight-through gradient, blocked outside [low, high], in one pass.
torch::Tensor clipped_gradient(const torch::Tensor& gradient, const torch::Tensor& x, double low, double high) {
  if (x.scalar_type() != torch::kFloat32 || gradient.scalar_type() != torch::kFloat32)
    return gradient * ((x >= low) & (x <= high)).to(gradient.scalar_type());
  const auto g = gradient.contiguous();
  const auto input = x.contiguous();
  auto result = torch::empty_like(input);
  const float* gin = g.data_ptr<float>();
  const float* in = input.data_ptr<float>();
  float* out = result.data_ptr<float>();
  const auto lower = static_cast<float>(low);
  const auto upper = static_cast<float>(high);
  at::parallel_for(0, input.numel(), grain, [&](std::int64_t begin, std::int64_t end) {
    clip_gradient_floats(gin + begin, in + begin, out + begin, end - begin, lower, upper);
  });
  return result;
}

class FakeQuantizeFunction : public torch::autograd::Function<FakeQuantizeFunction> {
 public:
  static torch::Tensor forward(AutogradContext* context, const torch::Tensor& x, double step, double lo, double hi,
                               bool binary, bool clipped) {
    context->saved_data["clipped"] = clipped;
    if (clipped) {
      context->save_for_backward({x});
      context->saved_data["low"] = binary ? -step : lo * step;
      context->saved_data["high"] = binary ? step : hi * step;
    }
    return quantized_values(x, {step, lo, hi, binary});
  }

  static variable_list backward(AutogradContext* context, variable_list gradients) {
    auto gradient = gradients[0];
    if (context->saved_data["clipped"].toBool()) {
      gradient = clipped_gradient(gradient, context->get_saved_variables()[0], context->saved_data["low"].toDouble(),
                                  context->saved_data["high"].toDouble());
    }
    return {gradient, torch::Tensor(), torch::Tensor(), torch::Tensor(), torch::Tensor(), torch::Tensor()};
  }
};

}  // namespace

QuantGrid quant_grid(const QuantSpec& q, int scale_log2) {
  QuantGrid grid;
  grid.step = std::ldexp(1.0, scale_log2);
  if (q.bits == 1 && q.is_signed) {
    grid.binary = true;
    grid.lo = -1;
    grid.hi = 1;
  } else if (q.bits == 2 && q.is_signed && q.ternary) {
    grid.lo = -1;
    grid.hi = 1;
  } else if (q.is_signed) {
    grid.lo = -std::ldexp(1.0, q.bits - 1);
    grid.hi = std::ldexp(1.0, q.bits - 1) - 1;
  } else {
    grid.lo = 0;
    grid.hi = std::ldexp(1.0, q.bits) - 1;
  }
  return grid;
}

torch::Tensor fake_quantize(const torch::Tensor& x, const QuantGrid& grid, StraightThrough estimator) {
  if (!x.requires_grad()) return quantized_values(x, grid);
  return FakeQuantizeFunction::apply(x, grid.step, grid.lo, grid.hi, grid.binary,
                                     estimator == StraightThrough::clipped);
}

std::vector<float> torch_fake_quantize(std::span<const float> values, const QuantSpec& q, int scale_log2) {
  const auto x = torch::from_blob(const_cast<float*>(values.data()), {static_cast<std::int64_t>(values.size())},
                                  torch::kFloat32);
  const auto y = fake_quantize(x, quant_grid(q, scale_log2), StraightThrough::identity).contiguous();
  return {y.data_ptr<float>(), y.data_ptr<float>() + y.numel()};
}

std::vector<float> torch_fake_quantize_gradient(std::span<const float> values, const QuantSpec& q, int scale_log2,
                                                StraightThrough estimator) {
  const auto x = torch::from_blob(const_cast<float*>(values.data()), {static_cast<std::int64_t>(values.size())},
                                  torch::kFloat32)
                     .clone()
                     .requires_grad_(true);
  fake_quantize(x, quant_grid(q, scale_log2), estimator).sum().backward();
  const auto gradient = x.grad().contiguous();
  return {gradient.data_ptr<float>(), gradient.data_ptr<float>() + gradient.numel()};
}

}  // namespace codse::nn
