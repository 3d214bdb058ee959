#include "nn/ir/network.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <utility>

#include "core/error.hpp"

namespace codse::nn {
namespace {

constexpr std::array<std::pair<LayerKind, const char*>, 10> kKindNames{{
    {LayerKind::input, "input"},
    {LayerKind::dense, "dense"},
    {LayerKind::conv2d, "conv2d"},
    {LayerKind::maxpool2d, "maxpool2d"},
    {LayerKind::batchnorm, "batchnorm"},
    {LayerKind::relu, "relu"},
    {LayerKind::quant, "quant"},
    {LayerKind::add, "add"},
    {LayerKind::flatten, "flatten"},
    {LayerKind::dropout, "dropout"},
}};

constexpr int kMaxBits = 16;

std::string shape_text(const Shape& s) { return fmt::format("{}x{}x{}", s.channels, s.height, s.width); }

bool valid_name(const std::string& name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
  });
}

/// Per-element layers keep their input's shape and are fused into the layer that produces it.
bool is_per_element(LayerKind kind) {
  return kind == LayerKind::batchnorm || kind == LayerKind::relu || kind == LayerKind::quant ||
         kind == LayerKind::dropout;
}

void check_quant(const Layer& layer, const QuantSpec& q, const char* what) {
  if (q.bits < 0 || q.bits > kMaxBits)
    throw InputError(fmt::format("layer {}: {} bits {} out of range (0 = float, 1..{})", layer.name, what,
                                 q.bits, kMaxBits));
  if (q.ternary && !(q.bits == 2 && q.is_signed))
    throw InputError(fmt::format("layer {}: {} ternary needs 2 signed bits (has {} {} bits)", layer.name,
                                 what, q.bits, q.is_signed ? "signed" : "unsigned"));
  if (q.is_float() && q.scale_log2)
    throw InputError(fmt::format("layer {}: {} scale_log2 set on float values (bits 0)", layer.name, what));
  if (q.scale_log2 && (*q.scale_log2 < -64 || *q.scale_log2 > 64))
    throw InputError(
        fmt::format("layer {}: {} scale_log2 {} out of range -64..64", layer.name, what, *q.scale_log2));
}

/// Fields a kind does not use must keep their defaults, so that files round-trip exactly.
void check_unused_fields(const Layer& layer) {
  const Layer defaults;
  const auto kind = layer.kind;
  const bool weighted = layer.has_weights();
  const bool windowed = kind == LayerKind::conv2d || kind == LayerKind::maxpool2d;
  auto refuse = [&](bool is_default, const char* field) {
    if (!is_default)
      throw InputError(
          fmt::format("layer {}: '{}' does not apply to a {} layer", layer.name, field, to_string(kind)));
  };
  refuse(kind == LayerKind::input || layer.input_shape == defaults.input_shape, "shape");
  refuse(weighted || layer.units == defaults.units, "units");
  refuse(windowed || layer.kernel == defaults.kernel, "kernel");
  refuse(windowed || layer.stride == defaults.stride, "stride");
  refuse(kind == LayerKind::conv2d || layer.padding == defaults.padding, "padding");
  refuse(weighted || layer.bias == defaults.bias, "bias");
  refuse(kind == LayerKind::dropout || layer.rate == defaults.rate, "rate");
  refuse(weighted || layer.weight_quant == defaults.weight_quant, "weight quantization");
  refuse(weighted || layer.sparsity == defaults.sparsity, "sparsity");
  refuse(kind == LayerKind::input || kind == LayerKind::quant ||
             layer.activation_quant == defaults.activation_quant,
         "activation quantization");
}

void check_fields(const Layer& layer) {
  check_unused_fields(layer);
  check_quant(layer, layer.weight_quant, "weight");
  check_quant(layer, layer.activation_quant, "activation");
  if (layer.has_weights() && layer.units < 1)
    throw InputError(fmt::format("layer {}: units {} must be at least 1", layer.name, layer.units));
  if (layer.kind == LayerKind::conv2d || layer.kind == LayerKind::maxpool2d) {
    if (layer.kernel < 1)
      throw InputError(fmt::format("layer {}: kernel {} must be at least 1", layer.name, layer.kernel));
    if (layer.stride < 1)
      throw InputError(fmt::format("layer {}: stride {} must be at least 1", layer.name, layer.stride));
  }
  if (layer.padding < 0)
    throw InputError(fmt::format("layer {}: padding {} must not be negative", layer.name, layer.padding));
  if (!(layer.rate >= 0.0 && layer.rate < 1.0))
    throw InputError(fmt::format("layer {}: dropout rate {} must be in [0, 1)", layer.name, layer.rate));
  if (!(layer.sparsity.target >= 0.0 && layer.sparsity.target < 1.0))
    throw InputError(
        fmt::format("layer {}: sparsity target {} must be in [0, 1)", layer.name, layer.sparsity.target));
  if (layer.kind == LayerKind::quant && layer.activation_quant.is_float())
    throw InputError(fmt::format("layer {}: a quant layer needs bits 1..{}", layer.name, kMaxBits));
  if (layer.kind == LayerKind::input) {
    const auto& s = layer.input_shape;
    if (s.channels < 1 || s.height < 1 || s.width < 1)
      throw InputError(fmt::format("layer {}: input shape {} must be positive", layer.name, shape_text(s)));
  }
}

void check_inputs_count(const Layer& layer, bool first) {
  if (layer.kind == LayerKind::input) {
    if (!first)
      throw InputError(fmt::format("layer {}: the input layer must be the first layer", layer.name));
    if (!layer.inputs.empty())
      throw InputError(fmt::format("layer {}: an input layer takes no inputs", layer.name));
    return;
  }
  if (first) throw InputError(fmt::format("layer {}: the first layer must be an input layer", layer.name));
  if (layer.kind == LayerKind::add) {
    if (layer.inputs.size() != 2)
      throw InputError(
          fmt::format("layer {}: add takes exactly 2 inputs (has {})", layer.name, layer.inputs.size()));
  } else if (layer.inputs.size() > 1) {
    throw InputError(fmt::format("layer {}: a {} layer takes one input (has {})", layer.name,
                                 to_string(layer.kind), layer.inputs.size()));
  }
}

int window_output(int in, int kernel, int stride, int padding) {
  return (in + 2 * padding - kernel) / stride + 1;
}

Shape windowed_shape(const Layer& layer, const Shape& in, int channels) {
  const int padding = layer.kind == LayerKind::conv2d ? layer.padding : 0;
  if (in.height + 2 * padding < layer.kernel || in.width + 2 * padding < layer.kernel) {
    if (padding == 0)
      throw InputError(fmt::format("layer {}: kernel {} larger than input {}x{}", layer.name, layer.kernel,
                                   in.height, in.width));
    throw InputError(fmt::format("layer {}: kernel {} larger than input {}x{} padded by {}", layer.name,
                                 layer.kernel, in.height, in.width, padding));
  }
  return Shape{channels, window_output(in.height, layer.kernel, layer.stride, padding),
               window_output(in.width, layer.kernel, layer.stride, padding)};
}

/// Layers whose output values are their input values, rearranged or selected: they keep its quantization.
bool passes_quant_on(LayerKind kind) {
  return kind == LayerKind::relu || kind == LayerKind::maxpool2d || kind == LayerKind::flatten ||
         kind == LayerKind::dropout;
}

std::int64_t bits_or_float(const QuantSpec& q) { return q.is_float() ? 32 : q.bits; }

/// Weights removed by the layer's target sparsity.
std::int64_t pruned_weights(const Layer& layer, std::int64_t weights) {
  const double target = layer.sparsity.target;
  if (layer.sparsity.kind == SparsityKind::structured) {
    const auto pruned_units = static_cast<std::int64_t>(target * layer.units);
    return pruned_units * (weights / layer.units);
  }
  return static_cast<std::int64_t>(target * static_cast<double>(weights));
}

}  // namespace

const char* to_string(LayerKind kind) {
  for (const auto& [k, name] : kKindNames)
    if (k == kind) return name;
  return "unknown";
}

std::optional<LayerKind> layer_kind_from_string(const std::string& name) {
  for (const auto& [k, text] : kKindNames)
    if (name == text) return k;
  return std::nullopt;
}

Network::Network(std::string name, std::vector<Layer> layers)
    : name_(std::move(name)), layers_(std::move(layers)) {
  infer_shapes();
}

void Network::set_preprocessing(std::optional<InputPreprocessing> preprocessing) {
  if (preprocessing) preprocessing->validate(input_shape().channels, "network " + name_);
  preprocessing_ = std::move(preprocessing);
}

const Layer& Network::layer(const std::string& name) const { return layers_[index_of(name)]; }

std::size_t Network::index_of(const std::string& name) const {
  for (std::size_t i = 0; i < layers_.size(); ++i)
    if (layers_[i].name == name) return i;
  throw InputError(fmt::format("network {}: no layer named '{}'", name_, name));
}

std::vector<std::size_t> Network::input_indices(std::size_t layer) const { return inputs_.at(layer); }

Shape Network::input_shape() const {
  if (layers_.empty()) throw InputError(fmt::format("network {}: no layers", name_));
  return shapes_.front();
}

Shape Network::output_shape() const {
  if (layers_.empty()) throw InputError(fmt::format("network {}: no layers", name_));
  return shapes_.back();
}

QuantSpec Network::output_quant(std::size_t layer) const {
  // Walks back through layers that pass values on unchanged in kind (relu, maxpool, flatten,
  // dropout) to the quant or input layer that set them; anything computed is float.
  while (passes_quant_on(layers_.at(layer).kind)) layer = inputs_[layer].front();
  const auto& l = layers_[layer];
  return l.kind == LayerKind::input || l.kind == LayerKind::quant ? l.activation_quant : QuantSpec{};
}

namespace {

// Limits on sizes, checked on load so that no count downstream overflows: tensor sizes and
// parallelism knobs are int (libtorch and the mapping both index with 32 bits), weight and MAC
// counts are int64 summed over layers. Far above anything an FPGA holds.
constexpr double max_tensor_elements = 2147483647.0;  // 2^31 - 1
constexpr double max_layer_weights = 1099511627776.0; // 2^40
constexpr double max_layer_macs = 4503599627370496.0; // 2^52

/// Throws InputError when a layer's output, weights or MACs exceed the limits above; computed in
/// double, so the check itself cannot overflow.
void check_size(const Layer& layer, const Shape& input, const Shape& output) {
  const double elements = double(output.channels) * output.height * output.width;
  if (elements > max_tensor_elements)
    throw InputError(fmt::format("layer {}: its output has {:.0f} elements ({}), more than the 2^31 - 1 codse supports",
                                 layer.name, elements, shape_text(output)));
  if (!layer.has_weights()) return;
  const double per_unit = layer.kind == LayerKind::dense ? double(input.channels) * input.height * input.width
                                                         : double(input.channels) * layer.kernel * layer.kernel;
  const double weights = per_unit * layer.units;
  if (weights > max_layer_weights)
    throw InputError(fmt::format("layer {}: {:.0f} weights, more than the 2^40 codse supports in one layer",
                                 layer.name, weights));
  const double macs = weights * output.height * output.width;
  if (macs > max_layer_macs)
    throw InputError(fmt::format("layer {}: {:.0f} multiply-accumulates per inference, more than the 2^52 codse "
                                 "supports in one layer", layer.name, macs));
}

}  // namespace

void Network::infer_shapes() {
  if (name_.empty()) throw InputError("network: the name is empty");
  if (layers_.empty()) throw InputError(fmt::format("network {}: no layers", name_));
  std::map<std::string, std::size_t> seen;
  std::vector<bool> used(layers_.size(), false);
  shapes_.clear();
  shapes_.reserve(layers_.size());
  inputs_.assign(layers_.size(), {});
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    const auto& layer = layers_[i];
    if (!valid_name(layer.name))
      throw InputError(
          fmt::format("layer #{} '{}': a name needs letters, digits, '_', '-' or '.'", i + 1, layer.name));
    if (seen.count(layer.name)) throw InputError(fmt::format("layer {}: the name is used twice", layer.name));
    check_inputs_count(layer, i == 0);
    check_fields(layer);
    if (i > 0 && layer.inputs.empty()) inputs_[i].push_back(i - 1);
    for (const auto& input : layer.inputs) {
      const auto found = seen.find(input);
      if (found == seen.end())
        throw InputError(fmt::format("layer {}: input '{}' is not an earlier layer", layer.name, input));
      inputs_[i].push_back(found->second);
    }
    seen.emplace(layer.name, i);
    std::vector<Shape> in;
    for (auto j : inputs_[i]) {
      in.push_back(shapes_[j]);
      used[j] = true;
    }
    shapes_.push_back([&]() -> Shape {
      switch (layer.kind) {
        case LayerKind::input:
          return layer.input_shape;
        case LayerKind::dense:
          return Shape{layer.units, 1, 1};
        case LayerKind::conv2d:
          return windowed_shape(layer, in[0], layer.units);
        case LayerKind::maxpool2d:
          return windowed_shape(layer, in[0], in[0].channels);
        case LayerKind::flatten:
          return Shape{static_cast<int>(in[0].size()), 1, 1};
        case LayerKind::add:
          if (!(in[0] == in[1]))
            throw InputError(fmt::format("layer {}: add of different shapes {} ({}) and {} ({})", layer.name,
                                         shape_text(in[0]), layer.inputs[0], shape_text(in[1]),
                                         layer.inputs[1]));
          return in[0];
        default:
          return in[0];
      }
    }());
    check_size(layer, in.empty() ? shapes_.back() : in.front(), shapes_.back());
  }
  for (std::size_t i = 0; i + 1 < layers_.size(); ++i)
    if (!used[i])
      throw InputError(
          fmt::format("layer {}: its output is used by no later layer (only the last layer "
                      "is the network's output)",
                      layers_[i].name));
}

NetworkStats Network::stats() const {
  NetworkStats stats;
  stats.layers.resize(layers_.size());
  // A layer's output is stored unless every consumer is a per-element layer fused into it.
  std::vector<bool> stored(layers_.size(), false);
  stored.back() = true;
  stored.front() = true;
  // output_quant(i) for every layer in one forward pass, so that stats() stays O(layers).
  std::vector<QuantSpec> quant(layers_.size());
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    auto& s = stats.layers[i];
    const auto& layer = layers_[i];
    const auto& inputs = inputs_[i];
    quant[i] = passes_quant_on(layer.kind) ? quant[inputs.front()] : output_quant(i);
    for (auto j : inputs)
      if (!is_per_element(layer.kind)) stored[j] = true;
    s.input = inputs.empty() ? shapes_[i] : shapes_[inputs.front()];
    s.output = shapes_[i];
    if (layer.kind == LayerKind::dense || layer.kind == LayerKind::conv2d) {
      const std::int64_t per_unit = layer.kind == LayerKind::dense
                                        ? s.input.size()
                                        : std::int64_t{s.input.channels} * layer.kernel * layer.kernel;
      const std::int64_t weights = per_unit * layer.units;
      const std::int64_t biases = layer.bias ? layer.units : 0;
      const std::int64_t nonzero = weights - pruned_weights(layer, weights);
      s.params = weights + biases;
      s.nonzero_params = nonzero + biases;
      s.macs = weights * s.output.height * s.output.width;
      s.weight_bits = nonzero * bits_or_float(layer.weight_quant);
    } else if (layer.kind == LayerKind::batchnorm) {
      s.params = s.nonzero_params = 2 * std::int64_t{s.output.channels};
    }
    s.activation_bits = s.output.size() * bits_or_float(quant[i]);
    stats.params += s.params;
    stats.nonzero_params += s.nonzero_params;
    stats.macs += s.macs;
    stats.weight_bits += s.weight_bits;
  }
  for (std::size_t i = 0; i < layers_.size(); ++i)
    if (stored[i])
      stats.max_activation_bits = std::max(stats.max_activation_bits, stats.layers[i].activation_bits);
  return stats;
}

}  // namespace codse::nn
