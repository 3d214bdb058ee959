#pragma once
// A Network as a torch module (private to nn/train: includes libtorch). The module walks the IR's
// layers in order, keeping each layer's output for the layers that name it, so skip connections
// (Add) need nothing special. Weights are fake-quantized at every forward pass, activations at
// quant layers and at a quantized input, both as quantizer.hpp defines them; see trainer.hpp for
// how open scales are chosen and recorded.
//
// Tensors between layers are [N, C] when a layer's output is a vector (H = W = 1) and [N, C, H, W]
// otherwise; dense layers flatten a CHW input channel-major, as torch.flatten does.

#include <optional>
#include <vector>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include "nn/ir/network.hpp"
#include "nn/ir/weights.hpp"

namespace codse::nn {

class TorchNetwork : public torch::nn::Module {
 public:
  /// Parameters start from PyTorch's default initialisation (uniform in +-1/sqrt(fan_in)), drawn
  /// from `generator` so that a seed decides them.
  TorchNetwork(Network network, at::Generator generator);

  const Network& network() const { return network_; }

  /// inputs [N, input size] (CHW order per row) -> logits [N, output size].
  torch::Tensor forward(const torch::Tensor& inputs);

  /// Copies the weights of every layer `weights` holds (shapes must match: InputError otherwise),
  /// with their masks and batch-norm statistics; recorded activation scales are kept fixed.
  /// keep_weight_scales also fixes recorded weight scales (evaluation of given weights); training
  /// lets them follow the weights.
  void load(const Weights& weights, bool keep_weight_scales);
  /// The current weights, with masks and every scale training chose.
  Weights weights() const;

  /// Ends calibration: activation scales stay where their running maxima put them.
  void freeze_activation_scales();
  /// Weight of the previous running maximum in the calibration average.
  void set_calibration_momentum(double momentum) { calibration_momentum_ = momentum; }
  /// Throws InputError naming a quantized activation whose scale is still unknown.
  void require_activation_scales() const;

  /// Sets every pruned layer's mask to its initial sparsity plus `progress` (0..1) of the way to
  /// its target: the smallest |w| (unstructured) or the units with the smallest L2 norm
  /// (structured). Pruned weights never come back.
  void prune(double progress);
  bool has_pruning() const;
  /// After each optimiser step: pruned weights (and biases of pruned units) back to zero, binary
  /// latent weights clipped to [-1, 1].
  void constrain_weights();
  /// Zero weights / all weights over dense and conv2d layers (mask zeros count as zero).
  double sparsity() const;

 private:
  struct LayerState {
    torch::Tensor weight, bias, mask, unit_mask;  // dense, conv2d (mask undefined: nothing pruned)
    torch::Tensor gamma, beta, running_mean, running_var;  // batchnorm
    double eps = 1e-5;
    std::optional<int> weight_scale;      // fixed weight exponent (evaluation of given weights)
    double initial_sparsity = 0.0;        // of the mask at the start (warm start)
    std::optional<int> activation_scale;  // quant, input: current exponent when open in the IR
    bool scale_frozen = false;
    std::optional<double> running_max;    // calibration average (the range; see calibration_range)
  };

  void create_parameters(std::size_t index);
  torch::Tensor layer_output(std::size_t index, const std::vector<torch::Tensor>& outputs, const torch::Tensor& inputs);
  torch::Tensor effective_weight(std::size_t index);
  int current_weight_scale(std::size_t index) const;
  torch::Tensor quantize_activation(std::size_t index, const torch::Tensor& x);
  torch::Tensor dropout(const torch::Tensor& x, double rate);
  void prune_layer(std::size_t index, double sparsity);

  Network network_;
  at::Generator generator_;
  std::vector<LayerState> states_;
  std::vector<std::vector<std::size_t>> inputs_;  // resolved input indices per layer
  double calibration_momentum_ = 0.9;
};

/// Copies a torch tensor (any layout) into a codse Tensor and back.
Tensor to_codse_tensor(const torch::Tensor& tensor);
torch::Tensor to_torch_tensor(const Tensor& tensor);

}  // namespace codse::nn
