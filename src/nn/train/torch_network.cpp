#include "nn/train/torch_network.hpp"

#include <cmath>
#include <set>
#include <string>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/error.hpp"
#include "nn/quant/quantizer.hpp"
#include "nn/train/torch_fake_quantize.hpp"

namespace codse::nn {
namespace {

bool is_vector(const Shape& shape) { return shape.height == 1 && shape.width == 1; }

/// [N, C] for vectors, [N, C, H, W] otherwise (see the header).
torch::Tensor to_layout(const torch::Tensor& x, const Shape& shape) {
  if (is_vector(shape)) return x.dim() == 2 ? x : x.reshape({x.size(0), shape.channels});
  return x.dim() == 4 ? x : x.reshape({x.size(0), shape.channels, shape.height, shape.width});
}

std::vector<std::int64_t> weight_shape(const Layer& layer, const Shape& input) {
  if (layer.kind == LayerKind::dense) return {layer.units, input.size()};
  return {layer.units, input.channels, layer.kernel, layer.kernel};
}

/// floor(sparsity * n), as NetworkStats counts non-zero parameters (the epsilon keeps 0.3 * 10
/// from flooring to 2).
std::int64_t pruned_count(double sparsity, std::int64_t n) {
  return static_cast<std::int64_t>(std::floor(sparsity * static_cast<double>(n) + 1e-9));
}

std::string shape_text(const std::vector<std::int64_t>& shape) { return fmt::format("[{}]", fmt::join(shape, ", ")); }

void copy_checked(torch::Tensor& target, const Tensor& source, const std::string& what) {
  const auto expected = target.sizes().vec();
  if (source.shape != expected || static_cast<std::int64_t>(source.data.size()) != target.numel()) {
    throw InputError(fmt::format("warm start: {} has shape {}, the network needs {}", what, shape_text(source.shape),
                                 shape_text(expected)));
  }
  torch::NoGradGuard no_grad;
  target.copy_(to_torch_tensor(source));
}

/// Ternary and 2-bit grids (largest level 1, not binary): their exponents are fitted to the values
/// (fit_scale_log2), not set by the largest one.
bool fitted_grid(const QuantSpec& q) { return !is_binary(q) && level_max(q) == 1; }

/// What calibration averages over batches for an activation: the batch's range (max |x|, or
/// max(x, 0) unsigned), or on fitted grids 2^e of the batch's fitted exponent e. After batch norm
/// the range is about 4 standard deviations, and covering it with level 1 of a 2-bit grid put
/// almost every activation on level 0: CNV w2a2 stayed at chance (10%) on CIFAR-10.
double calibration_range(const torch::Tensor& x, const QuantSpec& q) {
  if (!fitted_grid(q)) return (q.is_signed ? x.abs().max() : x.max().clamp_min(0)).item<double>();
  const auto values = x.to(torch::kFloat32).contiguous();
  return std::ldexp(1.0, fit_scale_log2({values.data_ptr<float>(), static_cast<std::size_t>(values.numel())}, q));
}

/// Smallest e with range <= 2^e: the exponent of an average of fitted 2^e (exact for a power of two).
int covering_scale_log2(double range) {
  if (!(range > 0.0) || !std::isfinite(range)) return 0;
  int e = static_cast<int>(std::ceil(std::log2(range)));
  while (range > std::ldexp(1.0, e)) ++e;
  while (range <= std::ldexp(1.0, e - 1)) --e;
  return e;
}

}  // namespace

Tensor to_codse_tensor(const torch::Tensor& tensor) {
  const auto values = tensor.detach().to(torch::kFloat32).contiguous();
  Tensor result;
  result.shape = values.sizes().vec();
  result.data.assign(values.data_ptr<float>(), values.data_ptr<float>() + values.numel());
  return result;
}

torch::Tensor to_torch_tensor(const Tensor& tensor) {
  return torch::from_blob(const_cast<float*>(tensor.data.data()), tensor.shape, torch::kFloat32).clone();
}

TorchNetwork::TorchNetwork(Network network, at::Generator generator)
    : network_(std::move(network)), generator_(std::move(generator)) {
  const auto count = network_.layers().size();
  states_.resize(count);
  inputs_.resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    inputs_[i] = network_.input_indices(i);
    create_parameters(i);
  }
}

void TorchNetwork::create_parameters(std::size_t index) {
  const auto& layer = network_.layers()[index];
  auto& state = states_[index];
  const auto prefix = std::to_string(index);
  if (layer.has_weights()) {
    const Shape input = network_.shapes()[inputs_[index].at(0)];
    const auto shape = weight_shape(layer, input);
    const auto fan_in = shape[1] * (shape.size() == 4 ? shape[2] * shape[3] : 1);
    // PyTorch's default for Linear and Conv2d: kaiming_uniform(a = sqrt(5)) = U(+-1/sqrt(fan_in)).
    const double bound = 1.0 / std::sqrt(static_cast<double>(fan_in));
    state.weight = register_parameter(prefix + "_weight", torch::empty(shape).uniform_(-bound, bound, generator_));
    if (layer.bias)
      state.bias = register_parameter(prefix + "_bias", torch::empty({layer.units}).uniform_(-bound, bound, generator_));
  } else if (layer.kind == LayerKind::batchnorm) {
    const auto channels = network_.shapes()[index].channels;
    state.gamma = register_parameter(prefix + "_gamma", torch::ones({channels}));
    state.beta = register_parameter(prefix + "_beta", torch::zeros({channels}));
    state.running_mean = register_buffer(prefix + "_running_mean", torch::zeros({channels}));
    state.running_var = register_buffer(prefix + "_running_var", torch::ones({channels}));
  }
}

torch::Tensor TorchNetwork::forward(const torch::Tensor& inputs) {
  std::vector<torch::Tensor> outputs(states_.size());
  for (std::size_t i = 0; i < states_.size(); ++i)
    outputs[i] = to_layout(layer_output(i, outputs, inputs), network_.shapes()[i]);
  return outputs.back().reshape({inputs.size(0), -1});
}

torch::Tensor TorchNetwork::layer_output(std::size_t index, const std::vector<torch::Tensor>& outputs,
                                         const torch::Tensor& inputs) {
  const auto& layer = network_.layers()[index];
  auto& state = states_[index];
  const auto input = [&](std::size_t k) -> const torch::Tensor& { return outputs[inputs_[index].at(k)]; };
  const auto spatial = [&](std::size_t k) {
    const auto& x = input(k);
    return x.dim() == 4 ? x : x.reshape({x.size(0), x.size(1), 1, 1});
  };
  switch (layer.kind) {
    case LayerKind::input:
      return quantize_activation(index, to_layout(inputs, layer.input_shape));
    case LayerKind::dense: {
      const auto x = input(0).dim() == 2 ? input(0) : input(0).flatten(1);
      return torch::linear(x, effective_weight(index), state.bias);
    }
    case LayerKind::conv2d:
      return torch::conv2d(spatial(0), effective_weight(index), state.bias, layer.stride, layer.padding);
    case LayerKind::maxpool2d:
      return torch::max_pool2d(spatial(0), layer.kernel, layer.stride);
    case LayerKind::batchnorm:
      return torch::batch_norm(input(0), state.gamma, state.beta, state.running_mean, state.running_var,
                               is_training(), 0.1, state.eps, false);
    case LayerKind::relu:
      return torch::relu(input(0));
    case LayerKind::quant:
      return quantize_activation(index, input(0));
    case LayerKind::add:
      return input(0) + input(1);
    case LayerKind::flatten:
      return input(0).flatten(1);
    case LayerKind::dropout:
      return is_training() && layer.rate > 0 ? dropout(input(0), layer.rate) : input(0);
  }
  throw std::logic_error("TorchNetwork: unknown layer kind");
}

int TorchNetwork::current_weight_scale(std::size_t index) const {
  const auto& layer = network_.layers()[index];
  const auto& state = states_[index];
  if (layer.weight_quant.scale_log2) return *layer.weight_quant.scale_log2;
  if (state.weight_scale) return *state.weight_scale;
  if (is_binary(layer.weight_quant)) return 0;
  torch::NoGradGuard no_grad;
  const auto masked = state.mask.defined() ? state.weight * state.mask : state.weight;
  if (level_max(layer.weight_quant) > 1) return choose_scale_log2(masked.abs().max().item<float>(), layer.weight_quant);
  // Ternary and 2-bit: fitted to the weights, not their maximum (see choose_weight_scale_log2).
  const auto values = masked.contiguous();
  return choose_weight_scale_log2({values.data_ptr<float>(), static_cast<std::size_t>(values.numel())},
                                  layer.weight_quant);
}

torch::Tensor TorchNetwork::effective_weight(std::size_t index) {
  const auto& layer = network_.layers()[index];
  const auto& state = states_[index];
  if (layer.weight_quant.is_float()) return state.mask.defined() ? state.weight * state.mask : state.weight;
  const auto grid = quant_grid(layer.weight_quant, current_weight_scale(index));
  // Binary levels have no zero, so a pruned binary weight is zeroed after quantization (as the
  // quantizer's weight_levels does); for the others quantizing a masked zero gives level 0.
  if (grid.binary) {
    const auto levels = fake_quantize(state.weight, grid, StraightThrough::identity);
    return state.mask.defined() ? levels * state.mask : levels;
  }
  const auto masked = state.mask.defined() ? state.weight * state.mask : state.weight;
  return fake_quantize(masked, grid, StraightThrough::identity);
}

torch::Tensor TorchNetwork::quantize_activation(std::size_t index, const torch::Tensor& x) {
  const auto& q = network_.layers()[index].activation_quant;
  if (q.is_float()) return x;
  auto& state = states_[index];
  if (!q.scale_log2 && !state.scale_frozen) {
    torch::NoGradGuard no_grad;
    const double batch_range = calibration_range(x, q);
    state.running_max = state.running_max
                            ? calibration_momentum_ * *state.running_max + (1 - calibration_momentum_) * batch_range
                            : batch_range;
    state.activation_scale = fitted_grid(q) ? covering_scale_log2(*state.running_max)
                                            : choose_scale_log2(static_cast<float>(*state.running_max), q);
  }
  const int e = q.scale_log2 ? *q.scale_log2 : *state.activation_scale;
  return fake_quantize(x, quant_grid(q, e), StraightThrough::clipped);
}

torch::Tensor TorchNetwork::dropout(const torch::Tensor& x, double rate) {
  // Drawn from the module's generator, not torch's global one, so concurrent runs stay seeded.
  const auto keep = torch::empty_like(x).bernoulli_(1.0 - rate, generator_).div_(1.0 - rate);
  return x * keep;
}

void TorchNetwork::load(const Weights& weights, bool keep_weight_scales) {
  std::set<std::string> names;
  for (const auto& layer : network_.layers()) names.insert(layer.name);
  for (const auto& [name, stored] : weights.layers) {
    if (!names.count(name))
      throw InputError(fmt::format("warm start: weights of layer {}, which network {} does not have", name,
                                   network_.name()));
  }
  for (std::size_t i = 0; i < states_.size(); ++i) {
    const auto& layer = network_.layers()[i];
    const auto found = weights.layers.find(layer.name);
    if (found == weights.layers.end()) continue;
    const auto& stored = found->second;
    auto& state = states_[i];
    const auto what = [&](const char* part) { return fmt::format("layer {} {}", layer.name, part); };
    if (layer.has_weights()) {
      copy_checked(state.weight, stored.weight, what("weight"));
      if (layer.bias) copy_checked(state.bias, stored.bias, what("bias"));
      if (!stored.mask.data.empty()) {
        state.mask = torch::ones_like(state.weight);
        copy_checked(state.mask, stored.mask, what("mask"));
        state.mask = (state.mask != 0).to(torch::kFloat32);
        state.initial_sparsity = 1.0 - state.mask.mean().item<double>();
        if (layer.sparsity.kind == SparsityKind::structured) state.unit_mask = state.mask.flatten(1).amax(1);
        constrain_weights();
      }
      if (keep_weight_scales) state.weight_scale = stored.weight_scale_log2;
    } else if (layer.kind == LayerKind::batchnorm) {
      copy_checked(state.gamma, stored.gamma, what("gamma"));
      copy_checked(state.beta, stored.beta, what("beta"));
      copy_checked(state.running_mean, stored.running_mean, what("running_mean"));
      copy_checked(state.running_var, stored.running_var, what("running_var"));
      state.eps = stored.eps;
    }
    if (stored.activation_scale_log2 && !layer.activation_quant.is_float() && !layer.activation_quant.scale_log2) {
      state.activation_scale = stored.activation_scale_log2;
      state.scale_frozen = true;
    }
  }
}

Weights TorchNetwork::weights() const {
  Weights result;
  for (std::size_t i = 0; i < states_.size(); ++i) {
    const auto& layer = network_.layers()[i];
    const auto& state = states_[i];
    LayerWeights stored;
    bool holds_something = false;
    if (layer.has_weights()) {
      stored.weight = to_codse_tensor(state.weight);
      if (state.bias.defined()) stored.bias = to_codse_tensor(state.bias);
      if (state.mask.defined()) stored.mask = to_codse_tensor(state.mask);
      if (!layer.weight_quant.is_float() && !layer.weight_quant.scale_log2)
        stored.weight_scale_log2 = current_weight_scale(i);
      holds_something = true;
    } else if (layer.kind == LayerKind::batchnorm) {
      stored.gamma = to_codse_tensor(state.gamma);
      stored.beta = to_codse_tensor(state.beta);
      stored.running_mean = to_codse_tensor(state.running_mean);
      stored.running_var = to_codse_tensor(state.running_var);
      stored.eps = static_cast<float>(state.eps);
      holds_something = true;
    }
    if (state.activation_scale && !layer.activation_quant.is_float() && !layer.activation_quant.scale_log2) {
      stored.activation_scale_log2 = state.activation_scale;
      holds_something = true;
    }
    if (holds_something) result.layers.emplace(layer.name, std::move(stored));
  }
  return result;
}

void TorchNetwork::freeze_activation_scales() {
  for (auto& state : states_) state.scale_frozen = true;
}

void TorchNetwork::require_activation_scales() const {
  for (std::size_t i = 0; i < states_.size(); ++i) {
    const auto& layer = network_.layers()[i];
    const auto& q = layer.activation_quant;
    if (q.is_float() || q.scale_log2 || states_[i].activation_scale) continue;
    if (layer.kind != LayerKind::quant && layer.kind != LayerKind::input) continue;
    throw InputError(fmt::format("layer {}: activation scale_log2 is neither set in the network nor recorded in "
                                 "the weights",
                                 layer.name));
  }
}

bool TorchNetwork::has_pruning() const {
  for (const auto& layer : network_.layers())
    if (layer.has_weights() && layer.sparsity.target > 0) return true;
  return false;
}

void TorchNetwork::prune(double progress) {
  for (std::size_t i = 0; i < states_.size(); ++i) {
    const auto& layer = network_.layers()[i];
    if (!layer.has_weights() || layer.sparsity.target <= 0) continue;
    const double initial = states_[i].initial_sparsity;
    prune_layer(i, initial + (layer.sparsity.target - initial) * progress);
  }
  constrain_weights();
}

void TorchNetwork::prune_layer(std::size_t index, double sparsity) {
  const auto& layer = network_.layers()[index];
  auto& state = states_[index];
  torch::NoGradGuard no_grad;
  if (!state.mask.defined()) state.mask = torch::ones_like(state.weight);
  const auto masked = state.weight * state.mask;
  // A stable sort makes ties (notably weights already pruned to zero) deterministic.
  if (layer.sparsity.kind == SparsityKind::structured) {
    const auto units = masked.size(0);
    const auto count = pruned_count(sparsity, units);
    const auto order = std::get<1>(torch::sort(masked.flatten(1).norm(2, 1), c10::optional<bool>(true), 0));
    auto unit_mask = torch::ones({units});
    unit_mask.index_fill_(0, order.slice(0, 0, count), 0.0);
    state.unit_mask = state.unit_mask.defined() ? state.unit_mask * unit_mask : unit_mask;
    std::vector<std::int64_t> view(static_cast<std::size_t>(masked.dim()), 1);
    view[0] = units;
    state.mask = state.mask * state.unit_mask.view(view);
  } else {
    const auto total = masked.numel();
    const auto count = pruned_count(sparsity, total);
    const auto order = std::get<1>(torch::sort(masked.abs().flatten(), c10::optional<bool>(true), 0));
    auto mask = torch::ones({total});
    mask.index_fill_(0, order.slice(0, 0, count), 0.0);
    state.mask = state.mask * mask.view_as(state.mask);
  }
}

void TorchNetwork::constrain_weights() {
  torch::NoGradGuard no_grad;
  for (std::size_t i = 0; i < states_.size(); ++i) {
    const auto& layer = network_.layers()[i];
    auto& state = states_[i];
    if (!layer.has_weights()) continue;
    if (state.mask.defined()) state.weight.mul_(state.mask);
    if (state.unit_mask.defined() && state.bias.defined()) state.bias.mul_(state.unit_mask);
    if (is_binary(layer.weight_quant)) state.weight.clamp_(-1.0, 1.0);
  }
}

double TorchNetwork::sparsity() const {
  std::int64_t zeros = 0;
  std::int64_t total = 0;
  for (const auto& state : states_) {
    if (!state.weight.defined()) continue;
    total += state.weight.numel();
    if (state.mask.defined()) zeros += (state.mask == 0).sum().item<std::int64_t>();
  }
  return total ? static_cast<double>(zeros) / static_cast<double>(total) : 0.0;
}

}  // namespace codse::nn
