#include "nn/train/torch_fake_quantize.hpp"

#include <cmath>

namespace codse::nn {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

/// The forward values, computed in float exactly as the scalar contract: the power-of-two
/// multiplications are exact, so floor(x * 2^-e + 0.5) sees the same float sum.
torch::Tensor quantized_values(const torch::Tensor& x, const QuantGrid& grid) {
  if (grid.binary) return (x >= 0).to(x.scalar_type()).mul_(2.0 * grid.step).sub_(grid.step);
  return x.mul(1.0 / grid.step).add_(0.5).floor_().clamp_(grid.lo, grid.hi).mul_(grid.step);
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
      const auto x = context->get_saved_variables()[0];
      const auto low = context->saved_data["low"].toDouble();
      const auto high = context->saved_data["high"].toDouble();
      gradient = gradient * ((x >= low) & (x <= high)).to(gradient.scalar_type());
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
