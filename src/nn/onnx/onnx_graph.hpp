#pragma once
// An ONNX model as codse reads it: the protobuf ModelProto (libonnx's generated classes, not a
// hand-written parser) with the look-ups the importer needs: which node produces a tensor, who
// reads it, the initialisers and Constant nodes, and the opset of the default domain. Every error
// names the file and the node (its name, op type and the opset), as OnnxGraph::describe writes it.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

namespace codse::nn::onnx_import {

/// A constant tensor read from an initializer or a Constant node, as doubles (every element
/// type the importer meets converts exactly: float, double, the 8..64-bit integers).
struct ConstantTensor {
  std::vector<std::int64_t> dims;
  std::vector<double> values;
  int element_type = 0;  // onnx::TensorProto_DataType
  std::int64_t numel() const;
};

class OnnxGraph {
 public:
  /// Reads and indexes a model file; InputError naming the file when it cannot be opened or is not
  /// a complete ONNX model (e.g. truncated).
  static OnnxGraph load(const std::string& path);
  /// The model serialised in bytes (torch.onnx.export into memory); source names it in messages.
  static OnnxGraph parse(const std::string& bytes, const std::string& source);
  /// The same from a ModelProto already in memory (`path` names it in errors).
  OnnxGraph(onnx::ModelProto model, std::string path);

  const std::string& path() const { return path_; }
  const onnx::GraphProto& graph() const { return model_.graph(); }
  int node_count() const { return model_.graph().node_size(); }
  const onnx::NodeProto& node(int index) const { return model_.graph().node(index); }
  /// Opset of the default ONNX domain ("" / "ai.onnx").
  int opset() const { return opset_; }

  /// The node that writes `tensor`; std::nullopt for graph inputs and initialisers.
  std::optional<int> producer(const std::string& tensor) const;
  /// The nodes that read `tensor`, in graph order.
  const std::vector<int>& consumers(const std::string& tensor) const;
  /// True when the graph's outputs include `tensor`.
  bool is_graph_output(const std::string& tensor) const;

  /// The initializer or Constant-node value named `tensor`; std::nullopt otherwise.
  std::optional<ConstantTensor> initializer(const std::string& tensor) const;

  /// "file: node 'NAME' (OpType, opset N)": the prefix of every message about a node.
  std::string describe(const onnx::NodeProto& node) const;
  /// An attribute of a node, or nullptr.
  static const onnx::AttributeProto* attribute(const onnx::NodeProto& node, const std::string& name);
  static std::int64_t int_attribute(const onnx::NodeProto& node, const std::string& name, std::int64_t fallback);
  static std::vector<std::int64_t> ints_attribute(const onnx::NodeProto& node, const std::string& name);
  static std::string string_attribute(const onnx::NodeProto& node, const std::string& name, const std::string& fallback);
  static float float_attribute(const onnx::NodeProto& node, const std::string& name, float fallback);

 private:
  onnx::ModelProto model_;
  std::string path_;
  int opset_ = 0;
  std::map<std::string, int> producers_;
  std::map<std::string, std::vector<int>> consumers_;
  std::map<std::string, const onnx::TensorProto*> initializers_;
};

/// The values of a TensorProto (raw_data or the typed fields); InputError naming `context` for an
/// element type the importer does not read or data that does not fill the dims.
ConstantTensor read_tensor(const onnx::TensorProto& tensor, const std::string& context);

}  // namespace codse::nn::onnx_import
