#pragma once
// Writers of one design to ONNX (docs/FORMATS.md, "ONNX and QONNX export"):
//   save_onnx   model.onnx: the float32 function of the network (nn/quant/reference_forward's
//               Arithmetic::float32): masked weights as they are, an unsigned quant layer as Relu,
//               a signed one as Identity; readable by ONNX Runtime, torch, any ONNX tool.
//   save_qonnx  model.qonnx.onnx: the quantized network in QONNX (what FINN and hls4ml read): the
//               input and every quant layer as a Quant node (BipolarQuant for 1 bit), the weights
//               of dense and conv2d behind Quant nodes, every scale 2^e. Importing it gives the same
//               network and weights back (codse import).
// Both write opset 13 and are checked by onnx.checker.check_model in the tests. The input
// preprocessing is not part of the graph (ONNX models take the preprocessed input).

#include <string>

#include "nn/ir/network.hpp"
#include "nn/ir/weights.hpp"

namespace codse::nn {

/// InputError naming the layer when the weights do not fit the network.
void save_onnx(const Network& network, const Weights& weights, const std::string& path);
/// InputError naming the layer also when a scale exponent is unknown (an untrained activation).
void save_qonnx(const Network& network, const Weights& weights, const std::string& path);

}  // namespace codse::nn
