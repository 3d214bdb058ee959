// save_qonnx: the QONNX writer (onnx_export.hpp).
#include <algorithm>
#include <cmath>

#include "nn/onnx/graph_writer.hpp"
#include "nn/onnx/onnx_export.hpp"
#include "nn/quant/quantizer.hpp"

namespace codse::nn {
namespace {

constexpr const char* kQonnxDomain = "qonnx.custom_op.general";

/// The QONNX attributes of a codse grid: ternary is 2-bit signed narrow; binary is BipolarQuant.
struct Grid {
  int bits;
  bool is_signed;
  bool narrow;
};

Grid grid_of(const QuantSpec& q) { return {q.bits, q.is_signed, is_ternary(q)}; }

/// A Quant (or BipolarQuant) node quantizing `input` at 2^e into `output`.
void add_quant(onnx_export::GraphWriter& writer, const std::string& name, const QuantSpec& q, int e,
               const std::string& input, const std::string& output) {
  writer.use_domain(kQonnxDomain);
  const auto scale = writer.add_initializer(name + ".scale", {}, {std::ldexp(1.0F, e)});
  if (is_binary(q)) {
    writer.add_node("BipolarQuant", name, {input, scale}, {output}, kQonnxDomain);
    return;
  }
  const Grid g = grid_of(q);
  const auto zero = writer.add_initializer(name + ".zero_point", {}, {0.0F});
  const auto bits = writer.add_initializer(name + ".bit_width", {}, {static_cast<float>(g.bits)});
  auto& node = writer.add_node("Quant", name, {input, scale, zero, bits}, {output}, kQonnxDomain);
  onnx_export::set_attribute(node, "signed", std::int64_t{g.is_signed ? 1 : 0});
  onnx_export::set_attribute(node, "narrow", std::int64_t{g.narrow ? 1 : 0});
  onnx_export::set_attribute(node, "rounding_mode", std::string("ROUND"));
}

/// QONNX rounds half to even (ROUND), codse half up: they differ only for a value exactly halfway
/// between two levels. Such a weight is written as its codse level times 2^e, which both round
/// alike; every other weight is written as it is, so importing the file gives it back bit for bit.
float unambiguous_weight(float w, const QuantSpec& q, int e) {
  const int level = quantize_level(w, q, e);
  if (is_binary(q)) return w;
  const double scaled = std::ldexp(static_cast<double>(w), -e);
  const double half_even = std::clamp(std::nearbyint(scaled), static_cast<double>(level_min(q)),
                                      static_cast<double>(level_max(q)));
  if (static_cast<int>(half_even) == level) return w;
  return std::ldexp(static_cast<float>(level), e);
}

class QonnxStyle final : public onnx_export::QuantizerStyle {
 public:
  explicit QonnxStyle(const Weights& weights) : weights_(weights) {}

  std::vector<float> weight_values(const Layer& layer, const LayerWeights& w) const override {
    std::vector<float> values = masked_weights(w);
    if (layer.weight_quant.is_float()) return values;
    const int e = weight_scale_log2(layer, &w);
    for (auto& v : values) v = unambiguous_weight(v, layer.weight_quant, e);
    return values;
  }

  std::string weight(onnx_export::GraphWriter& writer, const Layer& layer, const std::string& stored) const override {
    if (layer.weight_quant.is_float()) return stored;
    const int e = weight_scale_log2(layer, &weights_.at(layer.name));
    add_quant(writer, layer.name + ".weight_quant", layer.weight_quant, e, stored, layer.name + ".weight_q");
    return layer.name + ".weight_q";
  }

  std::string activation(onnx_export::GraphWriter& writer, const Layer& layer, const std::string& input,
                         const std::string& output) const override {
    add_quant(writer, layer.kind == LayerKind::input ? layer.name + "_quant" : layer.name, layer.activation_quant,
              activation_scale_log2(layer, weights_), input, output);
    return output;
  }

 private:
  const Weights& weights_;
};

}  // namespace

void save_qonnx(const Network& network, const Weights& weights, const std::string& path) {
  onnx_export::GraphWriter writer(network, weights);
  writer.write(QonnxStyle(weights), path);
}

}  // namespace codse::nn
