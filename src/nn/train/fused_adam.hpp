#pragma once
// Adam with the update of each parameter in one pass over its memory (private to nn/train:
// includes libtorch). torch::optim::Adam runs six element-wise operators per parameter tensor
// (two for each moment, square root and divide, add epsilon, add the step) and allocates the
// denominator: for the 270k parameters of the MNIST MLP 784-256-256-10 that is 1.2 ms of a 5-6 ms
// training step at batch 256 (one thread), and 0.2 ms in one pass. This class keeps Adam's
// options, parameter groups and state (so learning
// rates are set as for Adam) and only replaces step() for contiguous float32 parameters without
// amsgrad; anything else goes through torch's Adam.
//
// The update is torch's (Kingma & Ba 2015, Algorithm 1, as torch/csrc/api/src/optim/adam.cpp
// computes it), per element in float32:
//   g <- g + weight_decay * p
//   m <- beta1 * m + (1 - beta1) * g
//   v <- beta2 * v + (1 - beta2) * g * g
//   p <- p - (lr / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
// Torch's vectorized kernels contract some of these products into fused multiply-adds and this
// loop does not, so the two agree to float rounding, not bit for bit; the fused step is
// deterministic on its own (its SSE2 and scalar paths compute the same operations in the same
// order).

#include <torch/torch.h>

namespace codse::nn {

class FusedAdam : public torch::optim::Adam {
 public:
  FusedAdam(std::vector<torch::Tensor> parameters, torch::optim::AdamOptions options)
      : torch::optim::Adam(std::move(parameters), options) {}

  torch::Tensor step(LossClosure closure = nullptr) override;

 private:
  bool fusable(const torch::Tensor& parameter, const torch::optim::AdamOptions& options) const;
};

}  // namespace codse::nn
