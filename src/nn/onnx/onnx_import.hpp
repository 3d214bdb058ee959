#pragma once
// codse import: an ONNX model (float from torch.onnx.export, QCDQ, or QONNX) as a codse Network
// with its Weights. What each op becomes and what is lost: docs/FORMATS.md, "ONNX import".
//
// The graph is walked in order (ONNX stores nodes topologically sorted). Nodes that read only
// constants (weights behind a quantizer or a Transpose) are folded into the op that reads them;
// every other node becomes layers (onnx_ops.hpp) or, for a quantizer on activations, a quant layer
// (onnx_quantizer.hpp), or the input layer's bits when it quantizes the network input. Exponents of
// quantized weights and activations are recorded in the Weights, as training records them.

#include <string>

#include "nn/ir/input_preprocessing.hpp"
#include "nn/ir/network.hpp"
#include "nn/ir/weights.hpp"

namespace codse::nn {

struct OnnxImportOptions {
  std::string name;                  // the network's name; empty: the graph's name, else the file's stem
  InputPreprocessing preprocessing;  // what the model expects of the samples (stored with the network)
};

struct ImportedNetwork {
  Network network;
  Weights weights;
};

/// Reads an ONNX file; InputError naming the file, and the node (name, op type, opset) or field,
/// for anything codse cannot represent.
ImportedNetwork import_onnx(const std::string& path, const OnnxImportOptions& options = {});
/// The same from the serialised model in memory; source names it in messages (and, without
/// options.name and a graph name, names the network by its stem).
ImportedNetwork import_onnx_bytes(const std::string& bytes, const std::string& source,
                                  const OnnxImportOptions& options = {});

}  // namespace codse::nn
