// integer_model_difference (integer_model.hpp): does an integer model belong to a network?

#include <fmt/format.h>

#include "nn/integer/integer_model.hpp"

namespace codse::nn {
namespace {

std::string shape_text(Shape s) { return fmt::format("{}x{}x{}", s.channels, s.height, s.width); }

std::string quant_text(const QuantSpec& q) {
  if (q.is_float()) return "float";
  return fmt::format("{}{}-bit{}", q.is_signed ? "signed " : "unsigned ", q.bits, q.ternary ? " ternary" : "");
}

bool same_bits(const QuantSpec& a, const QuantSpec& b) {
  return a.bits == b.bits && a.is_signed == b.is_signed && a.ternary == b.ternary;
}

// The layer kinds an op of each kind may complete (a maxpool moved after a quant layer's
// requantization takes the quant layer's name; the output affine takes the last layer's).
bool kind_fits(IntegerOpKind op, LayerKind layer) {
  switch (op) {
    case IntegerOpKind::input: return layer == LayerKind::input;
    case IntegerOpKind::dense: return layer == LayerKind::dense;
    case IntegerOpKind::conv2d: return layer == LayerKind::conv2d;
    case IntegerOpKind::requantize: return layer == LayerKind::quant;
    case IntegerOpKind::maxpool2d: return layer == LayerKind::maxpool2d || layer == LayerKind::quant;
    case IntegerOpKind::add: return layer == LayerKind::add;
    case IntegerOpKind::output_affine: return true;  // checked below: the last layer
  }
  return false;
}

}  // namespace

std::optional<std::string> integer_model_difference(const Network& network, const IntegerModel& model) {
  if (model.name() != network.name())
    return fmt::format("the model is of network '{}', the network file is '{}'", model.name(), network.name());
  const auto& ops = model.ops();
  const auto& layers = network.layers();
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const IntegerOp& op = ops[i];
    const std::string where = fmt::format("op {} ({} {})", i, to_string(op.kind), op.name);
    std::size_t index = layers.size();
    for (std::size_t k = 0; k < layers.size(); ++k)
      if (layers[k].name == op.name) index = k;
    if (index == layers.size()) return fmt::format("{}: the network has no layer {}", where, op.name);
    const Layer& layer = layers[index];
    if (!kind_fits(op.kind, layer.kind))
      return fmt::format("{}: layer {} is a {} layer", where, layer.name, to_string(layer.kind));
    if (op.kind == IntegerOpKind::output_affine && index + 1 != layers.size())
      return fmt::format("{}: layer {} is not the network's last layer", where, layer.name);
    const Shape shape = network.shapes()[index];
    switch (op.kind) {
      case IntegerOpKind::input:
        if (op.shape != shape)
          return fmt::format("{}: shape {}, the network's input is {}", where, shape_text(op.shape), shape_text(shape));
        if (!same_bits(op.quant, layer.activation_quant))
          return fmt::format("{}: {} input, the network's is {}", where, quant_text(op.quant),
                             quant_text(layer.activation_quant));
        break;
      case IntegerOpKind::dense:
      case IntegerOpKind::conv2d:
        if (op.units != layer.units)
          return fmt::format("{}: {} units, layer {} has {}", where, op.units, layer.name, layer.units);
        if (op.kind == IntegerOpKind::conv2d &&
            (op.kernel != layer.kernel || op.stride != layer.stride || op.padding != layer.padding))
          return fmt::format("{}: kernel {} stride {} padding {}, layer {} has kernel {} stride {} padding {}", where,
                             op.kernel, op.stride, op.padding, layer.name, layer.kernel, layer.stride, layer.padding);
        if (op.shape != shape)
          return fmt::format("{}: output shape {}, layer {} outputs {}", where, shape_text(op.shape), layer.name,
                             shape_text(shape));
        if (!same_bits(op.weight_quant, layer.weight_quant))
          return fmt::format("{}: {} weights, layer {} has {}", where, quant_text(op.weight_quant), layer.name,
                             quant_text(layer.weight_quant));
        break;
      case IntegerOpKind::requantize:
        if (!same_bits(op.quant, layer.activation_quant))
          return fmt::format("{}: {} levels, layer {} has {}", where, quant_text(op.quant), layer.name,
                             quant_text(layer.activation_quant));
        break;
      case IntegerOpKind::maxpool2d:
      case IntegerOpKind::add:
      case IntegerOpKind::output_affine:
        break;
    }
  }
  for (const Layer& layer : layers) {
    if (layer.kind != LayerKind::input && !layer.has_weights()) continue;
    bool found = false;
    for (const IntegerOp& op : ops) found = found || (op.name == layer.name && kind_fits(op.kind, layer.kind));
    if (!found) return fmt::format("layer {} ({}) has no op in the model", layer.name, to_string(layer.kind));
  }
  return std::nullopt;
}

}  // namespace codse::nn
