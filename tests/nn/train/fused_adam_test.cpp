// FusedAdam takes the steps torch::optim::Adam takes: same moments, bias corrections, weight decay
// and learning rate read from the parameter group, up to float rounding.

#include "nn/train/fused_adam.hpp"

#include <gtest/gtest.h>

#include <ATen/CPUGeneratorImpl.h>

namespace codse::nn {
namespace {

/// Largest |a - b| / max(1, |a|).
double relative_difference(const torch::Tensor& a, const torch::Tensor& b) {
  return ((a - b).abs() / a.abs().clamp_min(1.0)).max().item<double>();
}

/// Runs `steps` steps of both optimizers on copies of `initial`, with the same random gradients;
/// the learning rate drops tenfold halfway, set through the parameter groups as the trainer does.
void expect_same_steps(const torch::Tensor& initial, double weight_decay, int steps = 40) {
  auto generator = at::make_generator<at::CPUGeneratorImpl>(11);
  auto reference_parameter = initial.clone().requires_grad_(true);
  auto fused_parameter = initial.clone().requires_grad_(true);
  const auto options = torch::optim::AdamOptions(0.05).weight_decay(weight_decay);
  torch::optim::Adam reference({reference_parameter}, options);
  FusedAdam fused({fused_parameter}, options);
  for (int step = 0; step < steps; ++step) {
    if (step == steps / 2) {
      for (auto* optimizer : {static_cast<torch::optim::Optimizer*>(&reference),
                              static_cast<torch::optim::Optimizer*>(&fused)})
        for (auto& group : optimizer->param_groups()) group.options().set_lr(0.005);
    }
    const auto gradient = torch::randn(initial.sizes(), generator) * (step % 3 + 0.5);
    reference_parameter.mutable_grad() = gradient.clone();
    fused_parameter.mutable_grad() = gradient.clone();
    reference.step();
    fused.step();
  }
  // The parameters moved far (40 steps of about the learning rate each) and stayed together.
  EXPECT_GT((reference_parameter - initial).abs().max().item<double>(), 0.3);
  EXPECT_LT(relative_difference(reference_parameter.detach(), fused_parameter.detach()), 1e-5);
  EXPECT_TRUE(fused_parameter.is_contiguous());
}

TEST(FusedAdam, TakesTorchsAdamStepsUpToFloatRounding) {
  auto generator = at::make_generator<at::CPUGeneratorImpl>(5);
  // 40,000 values: more than one parallel grain of the update.
  expect_same_steps(torch::randn({200, 200}, generator), 0.0);
  expect_same_steps(torch::randn({37, 19}, generator), 0.01);
}

TEST(FusedAdam, LeavesWhatItCannotFuseToTorch) {
  auto generator = at::make_generator<at::CPUGeneratorImpl>(6);
  // A non-contiguous parameter: the whole step is torch's Adam, so the results are identical.
  const auto initial = torch::randn({6, 9}, generator).t().clone(at::MemoryFormat::Preserve);
  ASSERT_FALSE(initial.is_contiguous());
  auto reference_parameter = initial.clone(at::MemoryFormat::Preserve).requires_grad_(true);
  auto fused_parameter = initial.clone(at::MemoryFormat::Preserve).requires_grad_(true);
  torch::optim::Adam reference({reference_parameter}, torch::optim::AdamOptions(0.05));
  FusedAdam fused({fused_parameter}, torch::optim::AdamOptions(0.05));
  for (int step = 0; step < 5; ++step) {
    const auto gradient = torch::randn({9, 6}, generator);
    reference_parameter.mutable_grad() = gradient.clone();
    fused_parameter.mutable_grad() = gradient.clone();
    reference.step();
    fused.step();
  }
  EXPECT_TRUE(torch::equal(reference_parameter, fused_parameter));
}

}  // namespace
}  // namespace codse::nn
