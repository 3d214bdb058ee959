#include "nn/onnx/onnx_quantizer.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/error.hpp"
#include "nn/quant/quantizer.hpp"

namespace codse::nn::onnx_import {
namespace {

/// The one value of a scalar (or one-element) constant input of a quantizer node.
double scalar_input(const OnnxGraph& graph, const onnx::NodeProto& node, int index, const char* what) {
  if (node.input_size() <= index || node.input(index).empty()) {
    throw InputError(fmt::format("{}: input {} ({}) is missing", graph.describe(node), index, what));
  }
  const auto value = graph.initializer(node.input(index));
  if (!value)
    throw InputError(fmt::format("{}: {} '{}' is not a constant; codse needs a constant {} to know the grid",
                                 graph.describe(node), what, node.input(index), what));
  if (value->values.size() != 1)
    throw InputError(fmt::format("{}: {} has {} values (per-channel); codse supports one {} per tensor",
                                 graph.describe(node), what, value->values.size(), what));
  return value->values.front();
}

int power_of_two_exponent(const OnnxGraph& graph, const onnx::NodeProto& node, double scale) {
  int exponent = 0;
  const double mantissa = std::frexp(scale, &exponent);
  if (!(scale > 0) || !std::isfinite(scale) || mantissa != 0.5)
    throw InputError(fmt::format("{}: scale {} is not a power of two; codse's quantizers use scales 2^e so that "
                                 "hardware rescales by shifts",
                                 graph.describe(node), scale));
  return exponent - 1;
}

void require_zero_point(const OnnxGraph& graph, const onnx::NodeProto& node, int index) {
  if (node.input_size() <= index || node.input(index).empty()) return;  // absent: 0
  if (scalar_input(graph, node, index, "zero point") != 0.0)
    throw InputError(fmt::format("{}: zero point {} is not 0; codse's grids are symmetric around 0",
                                 graph.describe(node), scalar_input(graph, node, index, "zero point")));
}

Rounding rounding_mode(const OnnxGraph& graph, const onnx::NodeProto& node, const std::string& fallback) {
  std::string mode = OnnxGraph::string_attribute(node, "rounding_mode", fallback);
  std::transform(mode.begin(), mode.end(), mode.begin(), [](unsigned char c) { return std::toupper(c); });
  if (mode == "ROUND") return Rounding::half_even;
  if (mode == "FLOOR") return Rounding::floor;
  if (mode == "CEIL") return Rounding::ceil;
  if (mode == "ROUND_TO_ZERO") return Rounding::toward_zero;
  throw InputError(fmt::format("{}: rounding_mode '{}' is unknown (ROUND, FLOOR, CEIL, ROUND_TO_ZERO)",
                               graph.describe(node), mode));
}

/// codse's spec of an integer grid [lo, hi] of `bits` bits.
Quantizer integer_grid(int bits, bool is_signed, bool narrow, int exponent, Rounding rounding) {
  Quantizer q;
  q.spec.bits = bits;
  q.spec.is_signed = is_signed;
  q.scale_log2 = exponent;
  q.rounding = rounding;
  q.narrow = narrow;
  if (is_signed && bits == 1) {
    q.rounding = Rounding::sign;
    q.level_min = -1;
    q.level_max = 1;
    q.narrow = false;
    return q;
  }
  q.level_min = is_signed ? -(1 << (bits - 1)) + (narrow ? 1 : 0) : 0;
  q.level_max = is_signed ? (1 << (bits - 1)) - 1 : (1 << bits) - 1 - (narrow ? 1 : 0);
  if (is_signed && bits == 2 && narrow) {  // {-1, 0, 1}: codse's ternary grid exactly
    q.spec.ternary = true;
    q.narrow = false;
  }
  return q;
}

int checked_bits(const OnnxGraph& graph, const onnx::NodeProto& node, double bits) {
  if (!(bits >= 1 && bits <= 16) || bits != std::floor(bits))
    throw InputError(fmt::format("{}: bit width {} is not an integer in 1..16", graph.describe(node), bits));
  return static_cast<int>(bits);
}

int only_consumer(const OnnxGraph& graph, const onnx::NodeProto& node, const char* expected) {
  const auto& readers = graph.consumers(node.output(0));
  if (readers.size() != 1)
    throw InputError(fmt::format("{}: expected its output to be read by exactly one {}, it is read by {} nodes",
                                 graph.describe(node), expected, readers.size()));
  return readers.front();
}

/// QuantizeLinear -> [Clip] -> DequantizeLinear.
QuantizerMatch match_qcdq(const OnnxGraph& graph, int first) {
  const auto& q_node = graph.node(first);
  const int exponent = power_of_two_exponent(graph, q_node, scalar_input(graph, q_node, 1, "scale"));
  require_zero_point(graph, q_node, 2);
  // The zero point's type decides the integers: uint8 (also the default) or int8.
  bool is_signed = false;
  if (q_node.input_size() > 2 && !q_node.input(2).empty())
    is_signed = graph.initializer(q_node.input(2))->element_type == onnx::TensorProto::INT8;
  QuantizerMatch match;
  match.input = q_node.input(0);
  match.nodes.push_back(first);
  int next = only_consumer(graph, q_node, "DequantizeLinear (or Clip)");
  double lo = is_signed ? -128 : 0, hi = is_signed ? 127 : 255;
  if (graph.node(next).op_type() == "Clip") {
    const auto& clip = graph.node(next);
    // Either bound may be absent (torch's (0, 127) activations clip only the top).
    if (clip.input_size() > 1 && !clip.input(1).empty()) lo = std::max(lo, scalar_input(graph, clip, 1, "min"));
    if (clip.input_size() > 2 && !clip.input(2).empty()) hi = std::min(hi, scalar_input(graph, clip, 2, "max"));
    match.nodes.push_back(next);
    next = only_consumer(graph, clip, "DequantizeLinear");
  }
  const auto& dq = graph.node(next);
  if (dq.op_type() != "DequantizeLinear")
    throw InputError(fmt::format("{}: QuantizeLinear '{}' must be followed by DequantizeLinear (QCDQ)",
                                 graph.describe(dq), q_node.name()));
  if (power_of_two_exponent(graph, dq, scalar_input(graph, dq, 1, "scale")) != exponent)
    throw InputError(fmt::format("{}: its scale differs from that of QuantizeLinear '{}'", graph.describe(dq),
                                 q_node.name()));
  require_zero_point(graph, dq, 2);
  match.nodes.push_back(next);
  match.output = dq.output(0);
  // Which codse grid [lo, hi] is: b bits, signed or not, possibly narrow.
  for (int bits = 1; bits <= 8; ++bits) {
    for (const bool narrow : {false, true}) {
      const auto grid = integer_grid(bits, is_signed || lo < 0, narrow, exponent, Rounding::half_even);
      if (grid.rounding != Rounding::sign && grid.level_min == lo && grid.level_max == hi) {
        match.quantizer = grid;
        return match;
      }
    }
  }
  throw InputError(fmt::format("{}: the integers [{}, {}] are not a b-bit grid ([0, 2^b - 1] or "
                               "[-2^(b-1), 2^(b-1) - 1], optionally narrow)",
                               graph.describe(q_node), lo, hi));
}

/// DequantizeLinear of an integer initializer: weights stored as integers.
QuantizerMatch match_dequantize(const OnnxGraph& graph, int first) {
  const auto& dq = graph.node(first);
  const int exponent = power_of_two_exponent(graph, dq, scalar_input(graph, dq, 1, "scale"));
  require_zero_point(graph, dq, 2);
  const auto integers = graph.initializer(dq.input(0));
  if (!integers)
    throw InputError(fmt::format("{}: DequantizeLinear without QuantizeLinear must read an integer initializer",
                                 graph.describe(dq)));
  const bool is_signed = integers->element_type != onnx::TensorProto::UINT8;
  QuantizerMatch match{integer_grid(8, is_signed, false, exponent, Rounding::half_even), dq.input(0), dq.output(0),
                       {first}};
  if (integers->element_type == onnx::TensorProto::INT32) match.quantizer = integer_grid(16, true, false, exponent,
                                                                                        Rounding::half_even);
  return match;
}

QuantizerMatch match_quant(const OnnxGraph& graph, int first) {
  const auto& node = graph.node(first);
  const int exponent = power_of_two_exponent(graph, node, scalar_input(graph, node, 1, "scale"));
  require_zero_point(graph, node, 2);
  const int bits = checked_bits(graph, node, scalar_input(graph, node, 3, "bit width"));
  const bool is_signed = OnnxGraph::int_attribute(node, "signed", 1) != 0;
  const bool narrow = OnnxGraph::int_attribute(node, "narrow", 0) != 0;
  return {integer_grid(bits, is_signed, narrow, exponent, rounding_mode(graph, node, "ROUND")), node.input(0),
          node.output(0), {first}};
}

QuantizerMatch match_bipolar(const OnnxGraph& graph, int first) {
  const auto& node = graph.node(first);
  const int exponent = power_of_two_exponent(graph, node, scalar_input(graph, node, 1, "scale"));
  return {integer_grid(1, true, false, exponent, Rounding::sign), node.input(0), node.output(0), {first}};
}

/// Trunc: the output grid (output_scale, output_bit_width); the input grid only has to be a power
/// of two. codse's quant layers round half up, so only rounding_mode ROUND maps onto one.
QuantizerMatch match_trunc(const OnnxGraph& graph, int first) {
  const auto& node = graph.node(first);
  power_of_two_exponent(graph, node, scalar_input(graph, node, 1, "scale"));
  require_zero_point(graph, node, 2);
  const int exponent = power_of_two_exponent(graph, node, scalar_input(graph, node, 4, "output scale"));
  const int bits = checked_bits(graph, node, scalar_input(graph, node, 6, "output bit width"));
  const auto rounding = rounding_mode(graph, node, "FLOOR");
  if (rounding != Rounding::half_even)
    throw InputError(fmt::format("{}: Trunc with rounding_mode {} is not supported; codse's quant layers round to "
                                 "nearest (rounding_mode ROUND)",
                                 graph.describe(node), OnnxGraph::string_attribute(node, "rounding_mode", "FLOOR")));
  const bool is_signed = OnnxGraph::int_attribute(node, "signed", 1) != 0;
  const bool narrow = OnnxGraph::int_attribute(node, "narrow", 0) != 0;
  return {integer_grid(bits, is_signed, narrow, exponent, rounding), node.input(0), node.output(0), {first}};
}

}  // namespace

int Quantizer::level(double x) const {
  const double scaled = std::ldexp(x, -scale_log2);
  double rounded = 0;
  switch (rounding) {
    case Rounding::sign: return x >= 0 ? 1 : -1;
    case Rounding::half_even: rounded = std::nearbyint(scaled); break;  // default FE_TONEAREST
    case Rounding::floor: rounded = std::floor(scaled); break;
    case Rounding::ceil: rounded = std::ceil(scaled); break;
    case Rounding::toward_zero: rounded = std::trunc(scaled); break;
  }
  return static_cast<int>(std::clamp(rounded, static_cast<double>(level_min), static_cast<double>(level_max)));
}

bool starts_quantizer(const onnx::NodeProto& node) {
  const auto& op = node.op_type();
  return op == "QuantizeLinear" || op == "DequantizeLinear" || op == "Quant" || op == "BipolarQuant" ||
         op == "Trunc";
}

QuantizerMatch match_quantizer(const OnnxGraph& graph, int first) {
  const auto& op = graph.node(first).op_type();
  if (op == "QuantizeLinear") return match_qcdq(graph, first);
  if (op == "DequantizeLinear") return match_dequantize(graph, first);
  if (op == "Quant") return match_quant(graph, first);
  if (op == "BipolarQuant") return match_bipolar(graph, first);
  if (op == "Trunc") return match_trunc(graph, first);
  throw InputError(fmt::format("{}: not a quantizer", graph.describe(graph.node(first))));
}

float imported_weight(double x, const Quantizer& q) {
  const int onnx_level = q.level(x);
  const auto raw = static_cast<float>(x);
  if (quantize_level(raw, q.spec, q.scale_log2) == onnx_level) return raw;
  return std::ldexp(static_cast<float>(onnx_level), q.scale_log2);
}

}  // namespace codse::nn::onnx_import
