#pragma once
// The part the ONNX and QONNX writers share: a codse Network with its Weights as an ONNX graph
// (opset 13), one node per layer, tensors named after the layers, weights as initializers named as
// torch names them ("fc1.weight", "bn1.running_mean"), so codse's importer reads the same network
// back. The writers differ in the quantizers: none (float) or QONNX Quant / BipolarQuant nodes,
// which a QuantizerStyle inserts.

#include <cstdint>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

#include "nn/ir/network.hpp"
#include "nn/ir/weights.hpp"

namespace codse::nn::onnx_export {

class GraphWriter;

/// Where quantizers go: on a layer's weights, on a quant layer's output, on the network input.
class QuantizerStyle {
 public:
  virtual ~QuantizerStyle() = default;
  /// The weight values to store for a dense / conv2d layer (masked).
  virtual std::vector<float> weight_values(const Layer& layer, const LayerWeights& weights) const = 0;
  /// The tensor the op reads as its weight, given the initializer `stored`.
  virtual std::string weight(GraphWriter& writer, const Layer& layer, const std::string& stored) const = 0;
  /// The tensor a quant layer (or the input layer, when quantized) outputs, reading `input`.
  virtual std::string activation(GraphWriter& writer, const Layer& layer, const std::string& input,
                                 const std::string& output) const = 0;
};

class GraphWriter {
 public:
  GraphWriter(const Network& network, const Weights& weights);

  const Weights& weights() const { return weights_; }
  /// A float32 initializer.
  std::string add_initializer(const std::string& name, const std::vector<std::int64_t>& dims,
                              const std::vector<float>& values);
  /// A node in domain `domain` ("" for ONNX's).
  onnx::NodeProto& add_node(const std::string& op, const std::string& name, const std::vector<std::string>& inputs,
                            const std::vector<std::string>& outputs, const std::string& domain = "");
  /// Marks the model as using a custom domain (version 1).
  void use_domain(const std::string& domain);

  /// Writes every layer with `style` and saves the model (atomically) to `path`.
  void write(const QuantizerStyle& style, const std::string& path);

 private:
  void write_layer(const QuantizerStyle& style, std::size_t index);
  std::string flat_input(std::size_t index);

  const Network& network_;
  const Weights& weights_;
  onnx::ModelProto model_;
  std::vector<int> ranks_;           // the ONNX rank of each layer's output: 2 or 4
  std::vector<std::string> tensors_;  // the tensor holding each layer's output (its name, or "in.quant")
};

/// Integer attribute / float attribute helpers for nodes.
void set_attribute(onnx::NodeProto& node, const std::string& name, std::int64_t value);
void set_attribute(onnx::NodeProto& node, const std::string& name, const std::vector<std::int64_t>& values);
void set_attribute(onnx::NodeProto& node, const std::string& name, float value);
void set_attribute(onnx::NodeProto& node, const std::string& name, const std::string& value);

}  // namespace codse::nn::onnx_export
