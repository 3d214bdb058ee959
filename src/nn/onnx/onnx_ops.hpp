#pragma once
// Conversion of the float ONNX ops torch.onnx.export writes into codse layers:
//   Gemm, MatMul (+ a constant Add: the bias)  -> dense        Conv            -> conv2d
//   BatchNormalization                         -> batchnorm    Relu            -> relu
//   MaxPool                                    -> maxpool2d    Add (two paths) -> add
//   Flatten, Reshape to [N, -1]                -> flatten (nothing when a dense reads it: dense flattens)
//   Dropout                                    -> dropout      Identity        -> nothing
// Anything else, or an op with attributes codse cannot represent (Conv groups or dilation,
// asymmetric padding, MaxPool padding or ceil_mode, Gemm transA or alpha), is an InputError naming
// the node, its op type and the opset, and listing what codse imports.

#include "nn/onnx/import_state.hpp"

namespace codse::nn::onnx_import {

/// The ops import_onnx reads, for messages.
const char* supported_ops();

/// Converts node `index`, which reads at least one activation, into layers of `state`.
void convert_op(ImportState& state, int index);

}  // namespace codse::nn::onnx_import
