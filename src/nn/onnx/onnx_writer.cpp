// save_onnx: the float writer (onnx_export.hpp).
#include "nn/onnx/onnx_export.hpp"

#include "nn/onnx/graph_writer.hpp"
#include "nn/quant/quantizer.hpp"

namespace codse::nn {
namespace {

/// No quantizers: the float32 function. An unsigned quant layer computes max(x, 0) in float32
/// (network.hpp), a signed one passes values through.
class FloatStyle final : public onnx_export::QuantizerStyle {
 public:
  std::vector<float> weight_values(const Layer&, const LayerWeights& weights) const override {
    return masked_weights(weights);
  }
  std::string weight(onnx_export::GraphWriter&, const Layer&, const std::string& stored) const override {
    return stored;
  }
  std::string activation(onnx_export::GraphWriter& writer, const Layer& layer, const std::string& input,
                         const std::string& output) const override {
    if (layer.kind == LayerKind::input) {
      writer.add_node("Identity", layer.name + "_quant", {input}, {output});
    } else {
      writer.add_node(layer.activation_quant.is_signed ? "Identity" : "Relu", layer.name, {input}, {output});
    }
    return output;
  }
};

}  // namespace

void save_onnx(const Network& network, const Weights& weights, const std::string& path) {
  // A float file has no quantized input: the graph input is the input layer itself.
  std::vector<Layer> layers = network.layers();
  layers.front().activation_quant = QuantSpec{};
  const Network float_network(network.name(), layers);
  onnx_export::GraphWriter writer(float_network, weights);
  writer.write(FloatStyle(), path);
}

}  // namespace codse::nn
