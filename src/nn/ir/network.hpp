#pragma once
// The Network IR: what a network computes, layer by layer, with the quantization and sparsity the
// hardware will use. It holds no weights (see weights.hpp) and says nothing about how hardware
// computes it (that is hw::Mapping), as Halide keeps an algorithm apart from its schedule.
//
// A Network is a list of layers in topological order. Each layer names its inputs; an empty
// input list means "the previous layer". Only Add has two inputs. Tensors are CHW; a vector of
// n features is the shape {n, 1, 1}.
//
// Semantics every part of codse shares (network files: docs/FORMATS.md, "Network files"):
// - Dense flattens implicitly: it takes any input shape as size() features in channel-major
//   order (c, then h, then w, as torch.flatten), so conv -> dense needs no Flatten layer. An
//   explicit Flatten is allowed and computes the same thing.
// - A quant layer with an unsigned spec is a quantized ReLU (Brevitas QuantReLU): in float32
//   arithmetic it is max(x, 0); with quantization, the clamp at level 0 does the same. A signed
//   quant layer is the identity in float32 (QuantIdentity / sign for 1 bit).
// - Add's first input is the main path and its second the skip (remove_skip drops the second).
// - The last layer's output is the network's output (logits); every other layer's output must
//   be used by a later layer.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "nn/ir/input_preprocessing.hpp"

namespace codse::nn {

enum class LayerKind { input, dense, conv2d, maxpool2d, batchnorm, relu, quant, add, flatten, dropout };

/// Canonical lower-case name of a kind as written in network files ("dense", "conv2d", ...).
const char* to_string(LayerKind kind);
/// Parses a kind name; std::nullopt when unknown.
std::optional<LayerKind> layer_kind_from_string(const std::string& name);

/// A tensor shape, channels x height x width.
struct Shape {
  int channels = 0;
  int height = 1;
  int width = 1;
  std::int64_t size() const { return std::int64_t{channels} * height * width; }
  bool operator==(const Shape&) const = default;
};

/// How values are quantized. bits == 0 means float (not quantized). bits == 1 with is_signed
/// means binary {-1, +1} (FINN's bipolar); bits == 2 signed is ternary {-1, 0, +1} when
/// `ternary` is set, two's complement 2-bit otherwise. The scale is a power of two so that
/// hardware rescales by shifts: real value = integer * 2^scale_log2. An absent scale_log2 is chosen
/// by training (from the weight or activation range) and then recorded in the weights.
struct QuantSpec {
  int bits = 0;
  bool is_signed = true;
  bool ternary = false;
  std::optional<int> scale_log2;
  bool is_float() const { return bits == 0; }
  bool operator==(const QuantSpec&) const = default;
};

enum class SparsityKind { unstructured, structured };

/// Target fraction of weights that are zero. Unstructured: by magnitude, weight by weight;
/// structured: whole output neurons (Dense) or output channels (Conv2D).
struct Sparsity {
  double target = 0.0;
  SparsityKind kind = SparsityKind::unstructured;
  bool operator==(const Sparsity&) const = default;
};

/// One layer. Fields a kind does not use keep their defaults and are not written to files.
struct Layer {
  std::string name;
  LayerKind kind = LayerKind::dense;
  std::vector<std::string> inputs;  // empty: the previous layer

  Shape input_shape;  // input only: the network input

  int units = 0;        // dense: output features; conv2d: output channels (filters)
  int kernel = 0;       // conv2d, maxpool2d: square kernel size
  int stride = 1;       // conv2d, maxpool2d (network files default maxpool2d's to its kernel)
  int padding = 0;      // conv2d: zero padding on every side
  bool bias = true;     // dense, conv2d
  double rate = 0.0;    // dropout: drop probability (training only)

  QuantSpec weight_quant;      // dense, conv2d: weight bits
  QuantSpec activation_quant;  // quant: output bits of this activation (e.g. unsigned 4-bit ReLU);
                               // input: bits of the network input (e.g. unsigned 8-bit pixels)
  Sparsity sparsity;           // dense, conv2d

  bool has_weights() const { return kind == LayerKind::dense || kind == LayerKind::conv2d; }
  bool operator==(const Layer&) const = default;
};

/// Per-layer numbers every explorer needs cheaply, without training. Conventions:
/// - params: dense/conv2d weights + biases, batchnorm 2 per channel (gamma, beta; the running
///   statistics are buffers). nonzero_params prunes floor(target * weights) weights (structured:
///   floor(target * units) whole units); biases and batchnorm are never pruned.
/// - macs: dense and conv2d only (in * units; out_h * out_w * units * in_c * k * k).
/// - weight_bits: non-zero dense/conv2d weights times weight bits; biases and batchnorm are left
///   out (hardware folds them into accumulator offsets or thresholds).
struct LayerStats {
  Shape input;
  Shape output;
  std::int64_t params = 0;          // weights + biases (+ batchnorm scale and shift)
  std::int64_t nonzero_params = 0;  // params after the layer's target sparsity
  std::int64_t macs = 0;            // multiply-accumulates per inference, dense-equivalent
  std::int64_t weight_bits = 0;     // non-zero weights times weight bits (32 for float)
  std::int64_t activation_bits = 0; // output buffer: output size times its bits (32 for float)
};

struct NetworkStats {
  std::vector<LayerStats> layers;  // same order as Network::layers()
  std::int64_t params = 0;
  std::int64_t nonzero_params = 0;
  std::int64_t macs = 0;
  std::int64_t weight_bits = 0;
  // The largest single activation buffer that hardware stores: the input and every layer output,
  // except outputs consumed only by per-element layers (batchnorm, relu, quant, dropout), which
  // are fused into their producer (dense -> batchnorm -> quant stores only the quant output).
  std::int64_t max_activation_bits = 0;
};

class Network {
 public:
  Network() = default;
  /// Validates (see validate()) and infers shapes; throws InputError naming the layer.
  Network(std::string name, std::vector<Layer> layers);

  const std::string& name() const { return name_; }
  const std::vector<Layer>& layers() const { return layers_; }
  const Layer& layer(const std::string& name) const;  // throws InputError if absent
  std::size_t index_of(const std::string& name) const;
  /// Indices of a layer's inputs (resolving "previous layer").
  std::vector<std::size_t> input_indices(std::size_t layer) const;

  /// Output shape of every layer, same order as layers().
  const std::vector<Shape>& shapes() const { return shapes_; }
  Shape input_shape() const;
  Shape output_shape() const;
  /// Bits and signedness of the values a layer outputs (propagated from the last quant layer or
  /// the input; float when unknown).
  QuantSpec output_quant(std::size_t layer) const;

  NetworkStats stats() const;

  /// The preprocessing of the input samples the network expects (input_preprocessing.hpp);
  /// absent for a network that takes whatever normalisation the command fits (the default).
  const std::optional<InputPreprocessing>& preprocessing() const { return preprocessing_; }
  /// Sets it after checking it against the input's channels (InputError naming the network).
  void set_preprocessing(std::optional<InputPreprocessing> preprocessing);

 private:
  void infer_shapes();  // also validates; throws InputError("layer conv2: kernel 5 larger than input 4x4")
  std::string name_;
  std::vector<Layer> layers_;
  std::vector<Shape> shapes_;
  std::vector<std::vector<std::size_t>> inputs_;  // resolved input indices of every layer
  std::optional<InputPreprocessing> preprocessing_;
};

}  // namespace codse::nn
