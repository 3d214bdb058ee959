#pragma once
// Quantizers in ONNX graphs, recognised and turned into codse's QuantSpec and power-of-two
// exponent. Three forms are read:
//   QCDQ   QuantizeLinear -> [Clip] -> DequantizeLinear (how PyTorch's fake-quantized models and
//          ONNX Runtime's tools write quantization; the optional Clip narrows the 8-bit integers to
//          fewer bits), or DequantizeLinear of an integer initializer (weights stored as integers);
//   QONNX  Quant(x, scale, zero_point, bit_width; signed, narrow, rounding_mode) and
//          BipolarQuant(x, scale) (Brevitas and QKeras write them, FINN and hls4ml read them);
//          Trunc (the output bits and scale of a truncation, rounding_mode ROUND only).
// codse represents a value by an integer level times 2^e (nn/quant/quantizer.hpp), so a scale must
// be one positive power of two per tensor and the zero point 0; anything else is an InputError
// naming the node.

#include <optional>
#include <string>
#include <vector>

#include "nn/ir/network.hpp"
#include "nn/onnx/onnx_graph.hpp"

namespace codse::nn::onnx_import {

/// How a quantizer rounds x / scale to an integer before clamping.
enum class Rounding { half_even, floor, ceil, toward_zero, sign };

/// One recognised quantizer: the codse spec (scale_log2 left open), its exponent and how the ONNX
/// graph rounds; `narrow` for a grid without its most negative (signed) or largest (unsigned)
/// level, which only weights may have (their stored values lie on codse's wider grid anyway).
struct Quantizer {
  QuantSpec spec;
  int scale_log2 = 0;
  Rounding rounding = Rounding::half_even;
  int level_min = 0;
  int level_max = 0;
  bool narrow = false;

  /// The integer level ONNX gives x.
  int level(double x) const;
};

/// A quantizer starting at node `first` (QuantizeLinear, Quant, BipolarQuant, Trunc or a lone
/// DequantizeLinear), with the tensor it reads, the tensor of its result and every node it spans.
struct QuantizerMatch {
  Quantizer quantizer;
  std::string input;
  std::string output;
  std::vector<int> nodes;
};

/// True for the op types a quantizer starts with.
bool starts_quantizer(const onnx::NodeProto& node);

/// The quantizer beginning at node `first`; InputError naming the node when it is not one codse
/// can represent (scale not a power of two, per-channel scales, zero point not 0, non-constant
/// bit width, a QuantizeLinear not followed by DequantizeLinear, ...).
QuantizerMatch match_quantizer(const OnnxGraph& graph, int first);

/// The weight value codse stores for a raw value x under quantizer q: x itself when codse's
/// quantizer (round half up) gives it the level ONNX gives it, else that level times 2^e exactly,
/// so codse's weights quantize to the ONNX levels bit for bit and raw weights survive a round trip.
float imported_weight(double x, const Quantizer& q);

}  // namespace codse::nn::onnx_import
