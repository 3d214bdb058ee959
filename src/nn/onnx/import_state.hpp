#pragma once
// What the ONNX importer has built so far while it walks the graph in order: the codse layers and
// weights, which codse layer holds each ONNX tensor, the shape of every layer's output, and the
// constants (weights, possibly behind a quantizer or a Transpose). The op conversions
// (onnx_ops.cpp) and the walk (onnx_import.cpp) share it.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "nn/ir/network.hpp"
#include "nn/ir/weights.hpp"
#include "nn/onnx/onnx_graph.hpp"
#include "nn/onnx/onnx_quantizer.hpp"

namespace codse::nn::onnx_import {

/// A constant operand: its values and, when a quantizer sits between the stored tensor and the
/// op, that quantizer (the values are then imported_weight's: what codse stores).
struct WeightConstant {
  ConstantTensor tensor;
  std::optional<Quantizer> quantizer;
  bool dequantized_levels = false;  // the values are integers times 2^e (DequantizeLinear of integers)
};

class ImportState {
 public:
  explicit ImportState(const OnnxGraph& graph) : graph_(graph) {}
  /// The rank of the graph input (2 or 4), set before the input layer is added.
  void set_input_rank(int rank) { input_rank_ = rank; }

  const OnnxGraph& graph() const { return graph_; }
  const std::vector<Layer>& layers() const { return layers_; }
  Weights& weights() { return weights_; }

  /// The codse layer that holds `tensor`, an activation; InputError naming the node otherwise.
  const std::string& layer_of(const std::string& tensor, const onnx::NodeProto& reader) const;
  bool holds(const std::string& tensor) const { return value_layer_.count(tensor) != 0; }
  Layer& layer(const std::string& name);
  const Shape& shape(const std::string& layer) const { return shapes_.at(layer); }

  /// Appends a layer (its name made unique, reading `inputs`, empty: the previous layer) whose
  /// output is the ONNX tensor `output`; returns the name it got.
  std::string add_layer(Layer layer, const std::vector<std::string>& inputs, const std::string& output);
  /// `tensor` holds the same values as the codse layer `layer` (Identity, a folded bias, ...).
  void alias(const std::string& tensor, const std::string& layer) { value_layer_[tensor] = layer; }

  /// A constant operand, folded through Identity, Transpose and quantizers; std::nullopt when
  /// `tensor` depends on the network input.
  std::optional<WeightConstant> constant(const std::string& tensor) const;
  /// The same, or InputError naming the node and `what` when the operand is not constant.
  WeightConstant required_constant(const onnx::NodeProto& node, int input, const char* what) const;

  /// The shape ONNX gives a layer's output, batch 1: [1, C, H, W] or [1, F].
  std::vector<std::int64_t> onnx_shape(const std::string& layer) const;

  /// Nodes already converted as part of another (the Clip and DequantizeLinear of a QCDQ quantizer).
  void mark_done(const std::vector<int>& nodes) { done_.insert(nodes.begin(), nodes.end()); }
  bool is_done(int node) const { return done_.count(node) != 0; }

  /// A codse layer name for a node: the module path torch writes ("/fc1/Gemm" -> "fc1"), or
  /// `fallback` when the node has none.
  static std::string base_name(const onnx::NodeProto& node, const std::string& fallback);

 private:
  std::string unique_name(const std::string& base) const;
  Shape output_shape(const Layer& layer, const std::vector<std::string>& inputs) const;
  std::optional<WeightConstant> shape_arithmetic(const onnx::NodeProto& node) const;

  const OnnxGraph& graph_;
  std::vector<Layer> layers_;
  Weights weights_;
  std::map<std::string, std::string> value_layer_;
  std::map<std::string, Shape> shapes_;
  std::map<std::string, int> ranks_;  // the ONNX rank of each layer's output: 2 ([N, F]) or 4 ([N, C, H, W])
  std::set<int> done_;
  int input_rank_ = 4;
};

}  // namespace codse::nn::onnx_import
