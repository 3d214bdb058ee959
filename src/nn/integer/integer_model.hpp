#pragma once
// The IntegerModel: what a fully quantized network computes, in integers only. It is the reference
// the hardware simulation is compared with bit for bit, so every operation is simple and exact:
//
//   input        float pixels -> integer levels (quantizer.hpp; done by quantize_input)
//   dense/conv2d sum of integer weight * integer input, no bias, in an accumulator whose bound
//                [min, max] and width `bits` are recorded (zero padding is level 0 = real 0)
//   requantize   accumulator -> the next quant layer's level, per channel, by thresholds
//                (level = levels[#{k : sign * x >= t_k}]) or, when the map in between is a
//                power-of-two scale, by shift and clamp (both recorded when both exist)
//   maxpool2d    max over a window of integers (levels or accumulators)
//   add          (a << shift_a) + (b << shift_b): two branches aligned to the smaller exponent
//   output_affine the last accumulator times an integer multiplier plus an integer offset per
//                channel (bias and a trailing batchnorm); multiplier 1 and offset 0 without them
// Every op's output integer x stands for the real value x * 2^scale_log2. Flatten, dropout and
// batchnorm have no op: flatten keeps the CHW memory order, dropout is the identity, and batchnorm
// and bias are part of the requantization or output affine map. How a network becomes these ops:
// integer_export.hpp. The file format: docs/FORMATS.md, "Integer model file".

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "nn/ir/network.hpp"

namespace codse::nn {

enum class IntegerOpKind { input, dense, conv2d, requantize, maxpool2d, add, output_affine };

const char* to_string(IntegerOpKind kind);

/// From an integer x (accumulator, sum, or level) of channel c to a quant layer's level.
struct Requantization {
  int channels = 0;        // parameter sets
  std::int64_t plane = 1;  // consecutive elements that share a channel (H*W; 1 for vectors)
  // Threshold form, always present when there are at most 256 levels:
  //   level = levels[number of k with sign[c] * x >= thresholds[c * (levels.size() - 1) + k]]
  std::vector<int> levels;               // the output levels in increasing order
  std::vector<std::int8_t> sign;         // per channel: +1, or -1 where the map decreases
  std::vector<std::int64_t> thresholds;  // per channel, non-decreasing, within [min - 1, max + 1] of x
  // Shift form, when x reaches the quant layer through a power-of-two scale (no batchnorm):
  //   level = clamp(((x << left) + offsets[c]) >> right, low, high), left = max(0, -shift),
  //   right = max(0, shift), >> rounding towards minus infinity.
  bool has_shift = false;
  int shift = 0;
  std::vector<std::int64_t> offsets;
  int low = 0;
  int high = 0;
  bool has_thresholds() const { return !thresholds.empty(); }
};

/// output[i] = multipliers[c] * x[i] + offsets[c], c = i / plane: logits * 2^-scale_log2.
struct OutputAffine {
  int channels = 0;
  std::int64_t plane = 1;
  std::vector<std::int64_t> multipliers;
  std::vector<std::int64_t> offsets;
};

/// One integer operation. Fields a kind does not use keep their defaults (as in Layer).
struct IntegerOp {
  IntegerOpKind kind = IntegerOpKind::input;
  std::string name;         // the network layer whose output this op completes: the last op of a
                            // name holds that layer's output (a maxpool moved after a quant layer's
                            // requantization takes the quant layer's name)
  std::vector<int> inputs;  // indices of earlier ops (input: none; add: two; others: one)
  Shape shape;              // output shape (CHW; flatten only relabels the same memory)
  int scale_log2 = 0;       // output real value = integer * 2^scale_log2
  std::int64_t min = 0;     // bound on the output integers
  std::int64_t max = 0;
  int bits = 0;     // levels: the quant bits; otherwise signed bits that hold [min, max]
                    // (dense/conv2d: the accumulator width hardware must provide)
  QuantSpec quant;  // input, requantize: the output encoding (scale in scale_log2)

  // dense, conv2d (kernel, stride also maxpool2d)
  int units = 0;
  int kernel = 0;
  int stride = 1;
  int padding = 0;
  QuantSpec weight_quant;
  int weight_scale_log2 = 0;
  std::vector<std::int32_t> weights;  // levels, layout as LayerWeights::weight; pruned weights are 0

  std::vector<int> shifts;  // add: left shift of each input to the common exponent
  Requantization requant;   // requantize
  OutputAffine affine;      // output_affine
};

/// Signed two's-complement bits needed to hold every integer in [min, max].
int signed_bits(std::int64_t min, std::int64_t max);

enum class RequantizationPreference { shift_when_available, thresholds };

class IntegerModel {
 public:
  IntegerModel() = default;
  /// Validates the ops (inputs, shapes, sizes, bounds); throws InputError naming the op and field.
  IntegerModel(std::string name, std::vector<IntegerOp> ops);

  const std::string& name() const { return name_; }
  const std::vector<IntegerOp>& ops() const { return ops_; }
  const IntegerOp& input() const { return ops_.front(); }
  const IntegerOp& output() const { return ops_.back(); }
  /// Logits = output integers * 2^output_scale_log2().
  int output_scale_log2() const { return ops_.back().scale_log2; }

  /// The input layer's quantization of CHW floats (quantize_level with the input's exponent).
  std::vector<std::int32_t> quantize_input(std::span<const float> input) const;
  /// Output integers (logits up to the positive factor 2^-output_scale_log2) for input levels.
  std::vector<std::int64_t> infer(std::span<const std::int32_t> input_levels) const;
  /// Every op's output, same order as ops().
  std::vector<std::vector<std::int64_t>> infer_all(std::span<const std::int32_t> input_levels) const;
  /// Index of the largest output (the first on ties).
  int predict_levels(std::span<const std::int32_t> input_levels) const;
  int predict(std::span<const float> input) const;

  /// Which requantization form infer uses where both exist (they give the same levels).
  void set_requantization_preference(RequantizationPreference preference) { preference_ = preference; }

  /// JSON file (docs/FORMATS.md, "Integer model file"); load throws InputError naming the file and
  /// the field when it is truncated or inconsistent.
  void save(const std::string& path) const;
  static IntegerModel load(const std::string& path);

 private:
  void validate() const;
  void prepare();
  void run(std::size_t op, std::vector<std::vector<std::int64_t>>& outputs) const;

  std::string name_;
  std::vector<IntegerOp> ops_;
  // Narrow copies of the weights (int16) for ops whose operands fit, so the dot products
  // vectorize; empty for ops that need the wide int64 path.
  std::vector<std::vector<std::int16_t>> narrow_weights_;
  RequantizationPreference preference_ = RequantizationPreference::shift_when_available;
};

/// Whether `model` was exported from `network`: the names, the network's name, and for every op
/// the layer of its name with a matching kind, shape, quantization and dense/conv2d geometry, and
/// an op for every input, dense and conv2d layer. std::nullopt when they match, else the first
/// difference in words ("op 3 (fc1): dense with 64 units, layer fc1 has 128").
std::optional<std::string> integer_model_difference(const Network& network, const IntegerModel& model);

}  // namespace codse::nn
