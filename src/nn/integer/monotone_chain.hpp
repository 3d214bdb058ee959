#pragma once
// FINN-style streamlining: between an integer x (an accumulator, a sum or a level) and the next
// quant layer, every layer (bias, batchnorm, the power-of-two scales, ReLU) is a monotone map of
// each channel, so the quant layer's level is a monotone step function of x. A Chain records those
// maps; from it come the integer thresholds where the level steps up (the preimage of each rounding
// boundary, walked back through the maps), the shift-and-clamp form when the whole map is a power
// of two, and the integer output affine map of a last layer without a quant.

#include <cstdint>
#include <string>
#include <vector>

#include "nn/integer/integer_model.hpp"
#include "nn/ir/network.hpp"

namespace codse::nn {

struct ChainStep {
  enum class Kind { affine, relu };
  Kind kind = Kind::affine;
  std::vector<double> scale;  // affine: y = scale[c] * x + offset[c]
  std::vector<double> offset;
};

/// Maps of every channel, applied in order, from the integers of a base tensor to real values.
class Chain {
 public:
  Chain() = default;
  /// Starts with y = scale[c] * x + offset[c].
  Chain(std::vector<double> scale, std::vector<double> offset);

  int channels() const { return static_cast<int>(steps_.front().scale.size()); }
  const std::vector<ChainStep>& steps() const { return steps_; }
  /// Appends an affine map, composed with the previous step when that is affine too.
  void append_affine(const std::vector<double>& scale, const std::vector<double>& offset);
  void append_relu();
  /// Ends the current step: the next affine map starts a new step (a maxpool sits between them).
  void seal() { sealed_ = true; }
  /// True when steps [begin, end) never decrease in any channel (no negative scale).
  bool non_decreasing(std::size_t begin, std::size_t end) const;
  /// The real value of channel c at integer x (double arithmetic; for tests and checks).
  double apply(int channel, double x) const;

 private:
  std::vector<ChainStep> steps_;
  bool sealed_ = false;
};

/// The requantization of integers x in [x_min, x_max] through `chain` to levels of q at exponent
/// e_q; `plane` elements share a channel. Thresholds when there are at most 256 levels; the shift
/// form when the chain is one power-of-two affine map (optionally followed by ReLU). Throws
/// InputError naming `layer` when neither form exists.
Requantization requantize_chain(const Chain& chain, std::int64_t plane, const QuantSpec& q, int e_q,
                                std::int64_t x_min, std::int64_t x_max, const std::string& layer);

/// Integers that stand for the chain's real values: output = multiplier[c] * x + offset[c] with
/// real value = output * 2^scale_log2. Exact when the chain is a power-of-two scale plus offsets
/// with a short binary expansion (the usual bias); otherwise about 30 significant bits.
/// Throws InputError naming `layer` for a chain with a ReLU.
OutputAffine output_affine_chain(const Chain& chain, std::int64_t plane, std::int64_t x_min,
                                 std::int64_t x_max, int& scale_log2, const std::string& layer);

/// True when the affine map is the identity on integers at exponent e (scale 2^e, offset 0).
bool is_plain_scale(const Chain& chain, int e);

}  // namespace codse::nn
