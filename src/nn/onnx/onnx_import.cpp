#include "nn/onnx/onnx_import.hpp"

#include <filesystem>
#include <set>

#include <fmt/format.h>

#include "core/error.hpp"
#include "nn/onnx/import_state.hpp"
#include "nn/onnx/onnx_ops.hpp"

namespace codse::nn {
namespace {

using onnx_import::ImportState;
using onnx_import::OnnxGraph;

constexpr int kOldestOpset = 11;  // Clip's bounds and Dropout's ratio became inputs; torch exports 11..17

/// The network input: the first graph input that is not an initializer, [N, C, H, W] or [N, F].
void add_input(ImportState& s, const OnnxGraph& g) {
  std::set<std::string> initializers;
  for (const auto& init : g.graph().initializer()) initializers.insert(init.name());
  for (const auto& input : g.graph().input()) {
    if (initializers.count(input.name())) continue;
    const auto& dims = input.type().tensor_type().shape().dim();
    std::vector<int> sizes;
    for (int i = 1; i < dims.size(); ++i) {
      if (!dims[i].has_dim_value() || dims[i].dim_value() <= 0)
        throw InputError(fmt::format("{}: graph input '{}': dimension {} is not a fixed positive size", g.path(),
                                     input.name(), i));
      sizes.push_back(static_cast<int>(dims[i].dim_value()));
    }
    Layer l;
    l.kind = LayerKind::input;
    l.name = ImportState::base_name(onnx::NodeProto(), "in");
    if (const auto name = input.name(); name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                               "0123456789_-.") == std::string::npos &&
                                        !name.empty())
      l.name = name;
    if (sizes.size() == 3) {
      l.input_shape = {sizes[0], sizes[1], sizes[2]};
    } else if (sizes.size() == 1) {
      l.input_shape = {sizes[0], 1, 1};
    } else {
      throw InputError(fmt::format("{}: graph input '{}' has rank {}; codse reads [N, C, H, W] or [N, features]",
                                   g.path(), input.name(), dims.size()));
    }
    s.set_input_rank(static_cast<int>(dims.size()));
    s.add_layer(l, {}, input.name());
    return;
  }
  throw InputError(fmt::format("{}: the graph has no input", g.path()));
}

/// A quantizer on activations: the input layer's bits when it reads the network input directly,
/// else a quant layer. Narrow grids and rounding other than to nearest have no codse quant layer.
void add_activation_quantizer(ImportState& s, int index) {
  const auto& g = s.graph();
  const auto& node = g.node(index);
  const auto match = onnx_import::match_quantizer(g, index);
  const auto& q = match.quantizer;
  if (q.narrow)
    throw InputError(fmt::format("{}: a narrow-range grid on activations has no codse quant layer (narrow is "
                                 "supported for weights, and for 2-bit signed activations: ternary)",
                                 g.describe(node)));
  if (q.rounding != onnx_import::Rounding::half_even && q.rounding != onnx_import::Rounding::sign)
    throw InputError(fmt::format("{}: activations must be rounded to nearest (rounding_mode ROUND); codse's quant "
                                 "layers round half up",
                                 g.describe(node)));
  s.mark_done(match.nodes);
  const auto source = s.layer_of(match.input, node);
  auto& source_layer = s.layer(source);
  if (source_layer.kind == LayerKind::input && source_layer.activation_quant.is_float()) {
    source_layer.activation_quant = q.spec;
    s.weights().layers[source].activation_scale_log2 = q.scale_log2;
    s.alias(match.output, source);
    return;
  }
  Layer l;
  l.kind = LayerKind::quant;
  // QCDQ: named after its DequantizeLinear, the node whose output the next op reads.
  l.name = ImportState::base_name(g.node(match.nodes.back()), "act");
  l.activation_quant = q.spec;
  const auto name = s.add_layer(l, {source}, match.output);
  s.weights().layers[name].activation_scale_log2 = q.scale_log2;
}

bool reads_activation(const ImportState& s, const onnx::NodeProto& node) {
  for (const auto& input : node.input())
    if (!input.empty() && s.holds(input)) return true;
  return false;
}

std::string network_name(const OnnxGraph& g, const OnnxImportOptions& options) {
  if (!options.name.empty()) return options.name;
  std::string name = g.graph().name();
  // torch.onnx.export names every graph "torch_jit" (older: "main_graph"): the file says more.
  if (name.empty() || name == "torch_jit" || name == "main_graph" || name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") !=
                          std::string::npos)
    name = std::filesystem::path(g.path()).stem().string();
  return name;
}

ImportedNetwork import_graph(const OnnxGraph& g, const OnnxImportOptions& options) {
  if (g.opset() < kOldestOpset)
    throw InputError(fmt::format("{}: opset {} is older than codse reads (opset {} and later)", g.path(), g.opset(),
                                 kOldestOpset));
  ImportState s(g);
  add_input(s, g);
  for (int i = 0; i < g.node_count(); ++i) {
    const auto& node = g.node(i);
    // Nodes reading only constants are folded into the op that reads their result.
    // Shape reads an activation but only its (fixed) shape: folded where a Reshape reads it.
    if (s.is_done(i) || !reads_activation(s, node) || node.op_type() == "Shape") continue;
    if (onnx_import::starts_quantizer(node)) {
      add_activation_quantizer(s, i);
    } else {
      onnx_import::convert_op(s, i);
    }
  }
  if (g.graph().output_size() != 1)
    throw InputError(fmt::format("{}: the graph has {} outputs; codse imports one (the logits)", g.path(),
                                 g.graph().output_size()));
  const auto& output = g.graph().output(0).name();
  if (!s.holds(output) || s.layer_of(output, onnx::NodeProto()) != s.layers().back().name)
    throw InputError(fmt::format("{}: the graph output '{}' is not the last layer computed", g.path(), output));
  try {
    Network network(network_name(g, options), s.layers());
    network.set_preprocessing(options.preprocessing);
    return {std::move(network), s.weights()};
  } catch (const InputError& error) {
    throw InputError(fmt::format("{}: {}", g.path(), error.what()));
  }
}

}  // namespace

ImportedNetwork import_onnx(const std::string& path, const OnnxImportOptions& options) {
  return import_graph(OnnxGraph::load(path), options);
}

ImportedNetwork import_onnx_bytes(const std::string& bytes, const std::string& source,
                                  const OnnxImportOptions& options) {
  return import_graph(OnnxGraph::parse(bytes, source), options);
}

}  // namespace codse::nn
