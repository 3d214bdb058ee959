#include "nn/train/fused_adam.hpp"

#include <cmath>
#include <cstdint>
#include <memory>
#include <string>

#if defined(__SSE2__)
#include <immintrin.h>
#endif

namespace codse::nn {
namespace {

/// The scalars of one parameter's update, rounded to float as torch rounds its scalar arguments
/// for a float tensor.
struct AdamCoefficients {
  float beta1, one_minus_beta1, beta2, one_minus_beta2;
  float root_correction2;  // sqrt(1 - beta2^t)
  float eps;
  float negative_step;  // -lr / (1 - beta1^t)
  float weight_decay;
};

/// The header's update of one element: each line is one of torch's operators, in its order.
template <bool decay>
inline void adam_update_one(float& parameter, float gradient, float& first, float& second, const AdamCoefficients& c) {
  float g = gradient;
  if constexpr (decay) g = g + c.weight_decay * parameter;                 // grad.add(p, weight_decay)
  first = first * c.beta1 + c.one_minus_beta1 * g;                          // exp_avg.mul_(b1).add_(g, 1 - b1)
  second = second * c.beta2 + c.one_minus_beta2 * g * g;                    // exp_avg_sq.mul_(b2).addcmul_(g, g, 1 - b2)
  const float denominator = std::sqrt(second) / c.root_correction2 + c.eps;  // (sqrt(v) / sqrt(bc2)).add_(eps)
  parameter = parameter + c.negative_step * (first / denominator);          // p.addcdiv_(m, denom, -step)
}

/// The same over [0, count). GCC does not vectorize the scalar loop (std::sqrt may set errno, and
/// "#pragma GCC optimize" does not lift that), so x86-64 takes four elements at a time with SSE2
/// (part of x86-64 itself): the same operations in the same order, so the same results.
template <bool decay>
void adam_update(float* __restrict parameter, const float* __restrict gradient, float* __restrict first,
                 float* __restrict second, std::int64_t count, const AdamCoefficients& c) {
  std::int64_t i = 0;
#if defined(__SSE2__)
  const __m128 beta1 = _mm_set1_ps(c.beta1), one_minus_beta1 = _mm_set1_ps(c.one_minus_beta1);
  const __m128 beta2 = _mm_set1_ps(c.beta2), one_minus_beta2 = _mm_set1_ps(c.one_minus_beta2);
  const __m128 root_correction2 = _mm_set1_ps(c.root_correction2), eps = _mm_set1_ps(c.eps);
  const __m128 negative_step = _mm_set1_ps(c.negative_step), weight_decay = _mm_set1_ps(c.weight_decay);
  for (; i + 4 <= count; i += 4) {
    __m128 p = _mm_loadu_ps(parameter + i);
    __m128 g = _mm_loadu_ps(gradient + i);
    if constexpr (decay) g = _mm_add_ps(g, _mm_mul_ps(weight_decay, p));
    const __m128 m = _mm_add_ps(_mm_mul_ps(_mm_loadu_ps(first + i), beta1), _mm_mul_ps(one_minus_beta1, g));
    const __m128 v =
        _mm_add_ps(_mm_mul_ps(_mm_loadu_ps(second + i), beta2), _mm_mul_ps(_mm_mul_ps(one_minus_beta2, g), g));
    const __m128 denominator = _mm_add_ps(_mm_div_ps(_mm_sqrt_ps(v), root_correction2), eps);
    p = _mm_add_ps(p, _mm_mul_ps(negative_step, _mm_div_ps(m, denominator)));
    _mm_storeu_ps(first + i, m);
    _mm_storeu_ps(second + i, v);
    _mm_storeu_ps(parameter + i, p);
  }
#endif
  for (; i < count; ++i) adam_update_one<decay>(parameter[i], gradient[i], first[i], second[i], c);
}

constexpr std::int64_t grain = 1 << 14;

}  // namespace

bool FusedAdam::fusable(const torch::Tensor& parameter, const torch::optim::AdamOptions& options) const {
  const auto& gradient = parameter.grad();
  return !options.amsgrad() && parameter.scalar_type() == torch::kFloat32 &&
         gradient.scalar_type() == torch::kFloat32 && parameter.is_contiguous() && gradient.is_contiguous() &&
         !gradient.is_sparse() && parameter.device().is_cpu();
}

torch::Tensor FusedAdam::step(LossClosure closure) {
  for (auto& group : param_groups_)
    for (auto& parameter : group.params())
      if (parameter.grad().defined() && !fusable(parameter, static_cast<torch::optim::AdamOptions&>(group.options())))
        return torch::optim::Adam::step(std::move(closure));  // rare (not from TorchNetwork): torch's own step

  torch::NoGradGuard no_grad;
  torch::Tensor loss;
  if (closure) {
    at::AutoGradMode enable_grad(true);
    loss = closure();
  }
  for (auto& group : param_groups_) {
    const auto& options = static_cast<torch::optim::AdamOptions&>(group.options());
    for (auto& parameter : group.params()) {
      if (!parameter.grad().defined()) continue;
      // Adam's state, under Adam's key, so that both steps share it.
      const auto key = c10::guts::to_string(parameter.unsafeGetTensorImpl());
      auto& slot = state_[key];
      if (!slot) {
        auto fresh = std::make_unique<torch::optim::AdamParamState>();
        fresh->step(0);
        fresh->exp_avg(torch::zeros_like(parameter, torch::MemoryFormat::Preserve));
        fresh->exp_avg_sq(torch::zeros_like(parameter, torch::MemoryFormat::Preserve));
        slot = std::move(fresh);
      }
      auto& state = static_cast<torch::optim::AdamParamState&>(*slot);
      state.step(state.step() + 1);
      const double beta1 = std::get<0>(options.betas());
      const double beta2 = std::get<1>(options.betas());
      const double correction1 = 1 - std::pow(beta1, static_cast<double>(state.step()));
      const double correction2 = 1 - std::pow(beta2, static_cast<double>(state.step()));
      const AdamCoefficients c{static_cast<float>(beta1),
                               static_cast<float>(1 - beta1),
                               static_cast<float>(beta2),
                               static_cast<float>(1 - beta2),
                               static_cast<float>(std::sqrt(correction2)),
                               static_cast<float>(options.eps()),
                               static_cast<float>(-options.lr() / correction1),
                               static_cast<float>(options.weight_decay())};
      float* p = parameter.data_ptr<float>();
      const float* g = parameter.grad().data_ptr<float>();
      float* m = state.exp_avg().data_ptr<float>();
      float* v = state.exp_avg_sq().data_ptr<float>();
      const bool decay = options.weight_decay() != 0;
      at::parallel_for(0, parameter.numel(), grain, [&](std::int64_t begin, std::int64_t end) {
        if (decay)
          adam_update<true>(p + begin, g + begin, m + begin, v + begin, end - begin, c);
        else
          adam_update<false>(p + begin, g + begin, m + begin, v + begin, end - begin, c);
      });
    }
  }
  return loss;
}

}  // namespace codse::nn
