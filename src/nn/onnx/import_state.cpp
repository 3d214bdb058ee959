#include "nn/onnx/import_state.hpp"

#include <cctype>
#include <cmath>

#include <fmt/format.h>

#include "core/error.hpp"

namespace codse::nn::onnx_import {
namespace {

std::string sanitized(const std::string& text) {
  std::string out;
  for (const char c : text) out += std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ? c : '_';
  while (!out.empty() && (out.front() == '_' || out.front() == '.')) out.erase(out.begin());
  while (!out.empty() && (out.back() == '_' || out.back() == '.')) out.pop_back();
  return out;
}

ConstantTensor transposed(const ConstantTensor& t, const OnnxGraph& graph, const onnx::NodeProto& node) {
  const auto perm = OnnxGraph::ints_attribute(node, "perm");
  if (t.dims.size() != 2 || (!perm.empty() && perm != std::vector<std::int64_t>{1, 0}))
    throw InputError(fmt::format("{}: codse folds only the transpose of a 2-D constant", graph.describe(node)));
  ConstantTensor out = t;
  out.dims = {t.dims[1], t.dims[0]};
  for (std::int64_t r = 0; r < t.dims[0]; ++r)
    for (std::int64_t c = 0; c < t.dims[1]; ++c) out.values[c * t.dims[0] + r] = t.values[r * t.dims[1] + c];
  return out;
}

}  // namespace

const std::string& ImportState::layer_of(const std::string& tensor, const onnx::NodeProto& reader) const {
  const auto it = value_layer_.find(tensor);
  if (it == value_layer_.end())
    throw InputError(fmt::format("{}: input '{}' is neither computed from the network input nor a constant codse "
                                 "can use here",
                                 graph_.describe(reader), tensor));
  return it->second;
}

Layer& ImportState::layer(const std::string& name) {
  for (auto& l : layers_)
    if (l.name == name) return l;
  throw InputError("onnx import: no layer " + name);
}

std::string ImportState::unique_name(const std::string& base) const {
  auto taken = [this](const std::string& name) {
    for (const auto& l : layers_)
      if (l.name == name) return true;
    return false;
  };
  if (!taken(base)) return base;
  for (int i = 2;; ++i)
    if (!taken(fmt::format("{}_{}", base, i))) return fmt::format("{}_{}", base, i);
}

std::string ImportState::base_name(const onnx::NodeProto& node, const std::string& fallback) {
  // torch.onnx.export names nodes by module path and op: "/layer1/conv/Conv".
  std::vector<std::string> parts;
  std::string part;
  for (const char c : node.name() + "/") {
    if (c != '/') {
      part += c;
    } else if (!part.empty()) {
      parts.push_back(part);
      part.clear();
    }
  }
  if (parts.size() > 1 && parts.back() == node.op_type()) parts.pop_back();
  std::string joined;
  for (const auto& p : parts) joined += (joined.empty() ? "" : "_") + p;
  const std::string name = sanitized(joined);
  // Names torch invents from the op type ("Relu_1", "DequantizeLinear_2") say less than the fallback.
  return name.empty() || name.starts_with(node.op_type()) ? fallback : name;
}

Shape ImportState::output_shape(const Layer& l, const std::vector<std::string>& inputs) const {
  if (l.kind == LayerKind::input) return l.input_shape;
  const Shape in = shapes_.at(inputs.empty() ? layers_.back().name : inputs.front());
  switch (l.kind) {
    case LayerKind::dense: return {l.units, 1, 1};
    case LayerKind::conv2d:
      return {l.units, (in.height + 2 * l.padding - l.kernel) / l.stride + 1,
              (in.width + 2 * l.padding - l.kernel) / l.stride + 1};
    case LayerKind::maxpool2d:
      return {in.channels, (in.height - l.kernel) / l.stride + 1, (in.width - l.kernel) / l.stride + 1};
    case LayerKind::flatten: return {static_cast<int>(in.size()), 1, 1};
    default: return in;
  }
}

std::string ImportState::add_layer(Layer l, const std::vector<std::string>& inputs, const std::string& output) {
  l.name = unique_name(l.name);
  // Layers read the previous layer unless told otherwise; spell the inputs out only when needed.
  const bool reads_previous = inputs.size() == 1 && !layers_.empty() && inputs.front() == layers_.back().name;
  if (!reads_previous) l.inputs = inputs;
  const Shape shape = output_shape(l, inputs);
  if (shape.channels <= 0 || shape.height <= 0 || shape.width <= 0)
    throw InputError(fmt::format("{}: layer {} would have an empty output", graph_.path(), l.name));
  shapes_[l.name] = shape;
  const bool flat = l.kind == LayerKind::dense || l.kind == LayerKind::flatten ||
                    (l.kind == LayerKind::input && l.input_shape.height == 1 && l.input_shape.width == 1 &&
                     input_rank_ == 2);
  ranks_[l.name] = flat ? 2 : (l.kind == LayerKind::input ? 4 : ranks_.at(inputs.empty() ? layers_.back().name : inputs.front()));
  value_layer_[output] = l.name;
  layers_.push_back(std::move(l));
  return layers_.back().name;
}

std::vector<std::int64_t> ImportState::onnx_shape(const std::string& layer) const {
  const Shape s = shapes_.at(layer);
  if (ranks_.at(layer) == 2) return {1, s.size()};
  return {1, s.channels, s.height, s.width};
}

/// The integer arithmetic torch writes to compute a Reshape's target from a Shape
/// (x.reshape(x.shape[0], -1): Shape -> Gather -> Unsqueeze -> Concat), evaluated with batch 1.
std::optional<WeightConstant> ImportState::shape_arithmetic(const onnx::NodeProto& node) const {
  const auto& op = node.op_type();
  if (op == "Shape") {
    const auto it = value_layer_.find(node.input(0));
    if (it == value_layer_.end()) return std::nullopt;
    const auto dims = onnx_shape(it->second);
    ConstantTensor t;
    t.dims = {static_cast<std::int64_t>(dims.size())};
    t.values.assign(dims.begin(), dims.end());
    return WeightConstant{t, std::nullopt};
  }
  std::vector<ConstantTensor> inputs;
  for (const auto& input : node.input()) {
    if (input.empty()) continue;
    auto value = constant(input);
    if (!value) return std::nullopt;
    inputs.push_back(std::move(value->tensor));
  }
  if (inputs.empty()) return std::nullopt;
  ConstantTensor out = inputs.front();
  if (op == "Cast" || op == "Unsqueeze" || op == "Squeeze") {
    // Only 0-D and 1-D shape vectors flow here: the values stay, the dims become 1-D.
    out.dims = {static_cast<std::int64_t>(out.values.size())};
  } else if (op == "Gather") {
    if (inputs.size() != 2 || inputs[0].dims.size() != 1) return std::nullopt;
    out.values.clear();
    for (const double i : inputs[1].values) {
      const auto index = static_cast<std::int64_t>(i < 0 ? i + static_cast<double>(inputs[0].values.size()) : i);
      if (index < 0 || index >= static_cast<std::int64_t>(inputs[0].values.size())) return std::nullopt;
      out.values.push_back(inputs[0].values[index]);
    }
    out.dims = inputs[1].dims;
  } else if (op == "Concat") {
    out.values.clear();
    for (const auto& t : inputs) out.values.insert(out.values.end(), t.values.begin(), t.values.end());
    out.dims = {static_cast<std::int64_t>(out.values.size())};
  } else {
    return std::nullopt;
  }
  return WeightConstant{out, std::nullopt};
}

std::optional<WeightConstant> ImportState::constant(const std::string& tensor) const {
  if (auto value = graph_.initializer(tensor)) return WeightConstant{std::move(*value), std::nullopt};
  const auto producer = graph_.producer(tensor);
  if (!producer) return std::nullopt;
  const auto& node = graph_.node(*producer);
  const auto& op = node.op_type();
  if (op == "Shape" || op == "Gather" || op == "Unsqueeze" || op == "Squeeze" || op == "Concat" || op == "Cast")
    return shape_arithmetic(node);
  if (op == "Identity") return constant(node.input(0));
  if (op == "Transpose") {
    auto inner = constant(node.input(0));
    if (inner) inner->tensor = transposed(inner->tensor, graph_, node);
    return inner;
  }
  if (!starts_quantizer(node)) return std::nullopt;
  // A QCDQ chain is matched from its QuantizeLinear: walk back from DequantizeLinear through Clip.
  int first = *producer;
  while (graph_.node(first).op_type() == "DequantizeLinear" || graph_.node(first).op_type() == "Clip") {
    const auto before = graph_.producer(graph_.node(first).input(0));
    if (!before) break;
    const auto& previous = graph_.node(*before).op_type();
    if (previous != "Clip" && previous != "QuantizeLinear") break;
    first = *before;
  }
  const auto match = match_quantizer(graph_, first);
  auto inner = constant(match.input);
  if (!inner) return std::nullopt;
  const bool stores_levels = graph_.node(first).op_type() == "DequantizeLinear";
  for (auto& v : inner->tensor.values)
    v = stores_levels ? std::ldexp(v, match.quantizer.scale_log2) : imported_weight(v, match.quantizer);
  inner->quantizer = match.quantizer;
  inner->dequantized_levels = stores_levels;
  return inner;
}

WeightConstant ImportState::required_constant(const onnx::NodeProto& node, int input, const char* what) const {
  if (node.input_size() <= input || node.input(input).empty())
    throw InputError(fmt::format("{}: the {} (input {}) is missing", graph_.describe(node), what, input));
  auto value = constant(node.input(input));
  if (!value)
    throw InputError(fmt::format("{}: the {} '{}' is not a constant; codse imports fixed weights",
                                 graph_.describe(node), what, node.input(input)));
  return std::move(*value);
}

}  // namespace codse::nn::onnx_import
