#include "nn/integer/monotone_chain.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/error.hpp"
#include "nn/quant/quantizer.hpp"

namespace codse::nn {
namespace {

constexpr std::size_t max_threshold_levels = 256;
constexpr double int64_limit = 4611686018427387904.0;  // 2^62: stay well inside int64

// A half-line of reals: the set of inputs that reach a rounding boundary.
struct HalfLine {
  enum class Kind { all, none, at_least, at_most };
  Kind kind = Kind::all;
  double bound = 0.0;
};

HalfLine preimage_affine(HalfLine set, double scale, double offset) {
  using K = HalfLine::Kind;
  if (set.kind == K::all || set.kind == K::none) return set;
  if (scale == 0.0) {
    const bool inside = set.kind == K::at_least ? offset >= set.bound : offset <= set.bound;
    return {inside ? K::all : K::none, 0.0};
  }
  const double bound = (set.bound - offset) / scale;
  const bool keeps = scale > 0.0;
  if (set.kind == K::at_least) return {keeps ? K::at_least : K::at_most, bound};
  return {keeps ? K::at_most : K::at_least, bound};
}

HalfLine preimage_relu(HalfLine set) {
  using K = HalfLine::Kind;
  if (set.kind == K::at_least && set.bound <= 0.0) return {K::all, 0.0};
  if (set.kind == K::at_most && set.bound < 0.0) return {K::none, 0.0};
  return set;
}

HalfLine preimage(const Chain& chain, int c, HalfLine set) {
  const auto& steps = chain.steps();
  for (auto step = steps.rbegin(); step != steps.rend(); ++step) {
    set = step->kind == ChainStep::Kind::relu ? preimage_relu(set)
                                              : preimage_affine(set, step->scale[c], step->offset[c]);
  }
  return set;
}

// -1 when the channel's map decreases (an odd number of negative scales), +1 otherwise.
int direction(const Chain& chain, int c) {
  int sign = 1;
  for (const ChainStep& step : chain.steps()) {
    if (step.kind == ChainStep::Kind::affine && step.scale[c] < 0.0) sign = -sign;
  }
  return sign;
}

// The level values and the real boundaries b_k where the level reaches levels[k] (v >= b_k).
void levels_and_boundaries(const QuantSpec& q, int e, std::vector<int>& levels,
                           std::vector<double>& boundaries) {
  if (is_binary(q)) {
    levels = {-1, 1};
    boundaries = {0.0};
    return;
  }
  for (int level = level_min(q); level <= level_max(q); ++level) levels.push_back(level);
  for (std::size_t k = 1; k < levels.size(); ++k) boundaries.push_back(std::ldexp(levels[k] - 0.5, e));
}

// The integer threshold in sign-space v = sign * x, clamped into [v_min, v_max + 1].
std::int64_t threshold(HalfLine set, int sign, std::int64_t v_min, std::int64_t v_max) {
  using K = HalfLine::Kind;
  double t = 0.0;
  switch (set.kind) {
    case K::all:
      return v_min;
    case K::none:
      return v_max + 1;
    case K::at_least:
      if (sign != 1) throw std::logic_error("monotone chain: threshold direction disagrees with the scales");
      t = std::ceil(set.bound);
      break;
    case K::at_most:
      if (sign != -1) throw std::logic_error("monotone chain: threshold direction disagrees with the scales");
      t = -std::floor(set.bound);
      break;
  }
  if (!(t > static_cast<double>(v_min))) return v_min;  // also NaN
  if (t > static_cast<double>(v_max)) return v_max + 1;
  return static_cast<std::int64_t>(t);
}

void fill_thresholds(const Chain& chain, const std::vector<double>& boundaries, std::int64_t x_min,
                     std::int64_t x_max, Requantization& r) {
  for (int c = 0; c < chain.channels(); ++c) {
    const int sign = direction(chain, c);
    r.sign.push_back(static_cast<std::int8_t>(sign));
    const std::int64_t v_min = sign > 0 ? x_min : -x_max;
    const std::int64_t v_max = sign > 0 ? x_max : -x_min;
    for (const double b : boundaries) {
      r.thresholds.push_back(
          threshold(preimage(chain, c, {HalfLine::Kind::at_least, b}), sign, v_min, v_max));
    }
  }
}

// The exponent p with value == 2^p exactly; false when value is not a positive power of two.
bool exact_log2(double value, int& p) {
  if (!(value > 0.0) || !std::isfinite(value)) return false;
  int exponent = 0;
  const double mantissa = std::frexp(value, &exponent);
  p = exponent - 1;
  return mantissa == 0.5;
}

// Shift form: the chain is one affine map whose scale is 2^(e_q - s) in every channel, then at most
// ReLUs. level = floor(x * 2^-s + c), c = offset * 2^-e_q + 0.5, which equals
// floor((x * 2^left + floor(c * 2^right)) / 2^right) for integer x.
void fill_shift(const Chain& chain, const QuantSpec& q, int e_q, std::int64_t x_min, std::int64_t x_max,
                Requantization& r) {
  const auto& steps = chain.steps();
  if (is_binary(q) || steps.front().kind != ChainStep::Kind::affine) return;
  bool relu = false;
  for (std::size_t i = 1; i < steps.size(); ++i) {
    if (steps[i].kind != ChainStep::Kind::relu) return;
    relu = true;
  }
  const ChainStep& affine = steps.front();
  int p = 0;
  if (!exact_log2(std::ldexp(affine.scale[0], -e_q), p)) return;
  for (const double scale : affine.scale) {
    if (scale != affine.scale[0]) return;
  }
  const int shift = -p;
  if (shift < -62 || shift > 62) return;
  const int left = std::max(0, -shift);
  const int right = std::max(0, shift);
  const double reach = std::ldexp(static_cast<double>(std::max(std::abs(x_min), std::abs(x_max))), left);
  std::vector<std::int64_t> offsets;
  for (const double offset : affine.offset) {
    const double c = std::floor(std::ldexp(std::ldexp(offset, -e_q) + 0.5, right));
    if (!(std::fabs(c) + reach < int64_limit)) return;
    offsets.push_back(static_cast<std::int64_t>(c));
  }
  r.has_shift = true;
  r.shift = shift;
  r.offsets = std::move(offsets);
  r.low = relu ? std::max(0, level_min(q)) : level_min(q);
  r.high = level_max(q);
}

}  // namespace

Chain::Chain(std::vector<double> scale, std::vector<double> offset) {
  steps_.push_back({ChainStep::Kind::affine, std::move(scale), std::move(offset)});
}

void Chain::append_affine(const std::vector<double>& scale, const std::vector<double>& offset) {
  ChainStep& last = steps_.back();
  if (last.kind != ChainStep::Kind::affine || sealed_) {
    steps_.push_back({ChainStep::Kind::affine, scale, offset});
    sealed_ = false;
    return;
  }
  for (std::size_t c = 0; c < scale.size(); ++c) {
    last.offset[c] = scale[c] * last.offset[c] + offset[c];
    last.scale[c] = scale[c] * last.scale[c];
  }
}

void Chain::append_relu() {
  steps_.push_back({ChainStep::Kind::relu, {}, {}});
  sealed_ = false;
}

bool Chain::non_decreasing(std::size_t begin, std::size_t end) const {
  for (std::size_t i = begin; i < end && i < steps_.size(); ++i) {
    if (steps_[i].kind != ChainStep::Kind::affine) continue;
    for (const double s : steps_[i].scale) {
      if (s < 0.0) return false;
    }
  }
  return true;
}

double Chain::apply(int channel, double x) const {
  for (const ChainStep& step : steps_) {
    x = step.kind == ChainStep::Kind::relu ? std::max(x, 0.0)
                                           : step.scale[channel] * x + step.offset[channel];
  }
  return x;
}

Requantization requantize_chain(const Chain& chain, std::int64_t plane, const QuantSpec& q, int e_q,
                                std::int64_t x_min, std::int64_t x_max, const std::string& layer) {
  Requantization r;
  r.channels = chain.channels();
  r.plane = plane;
  std::vector<double> boundaries;
  levels_and_boundaries(q, e_q, r.levels, boundaries);
  if (r.levels.size() <= max_threshold_levels) fill_thresholds(chain, boundaries, x_min, x_max, r);
  fill_shift(chain, q, e_q, x_min, x_max, r);
  if (!r.has_thresholds() && !r.has_shift) {
    throw InputError(
        "layer " + layer + ": requantization to " + std::to_string(r.levels.size()) +
        " levels needs a power-of-two scale (no batchnorm before it); thresholds are limited to " +
        std::to_string(max_threshold_levels) + " levels");
  }
  return r;
}

OutputAffine output_affine_chain(const Chain& chain, std::int64_t plane, std::int64_t x_min,
                                 std::int64_t x_max, int& scale_log2, const std::string& layer) {
  if (chain.steps().size() != 1) {
    throw InputError("layer " + layer +
                     ": a ReLU after the last weighted layer cannot be exported as integer logits");
  }
  const ChainStep& affine = chain.steps().front();
  OutputAffine a;
  a.channels = chain.channels();
  a.plane = plane;
  const double reach = static_cast<double>(std::max(std::abs(x_min), std::abs(x_max)));
  double max_scale = 0.0;
  for (const double s : affine.scale) max_scale = std::max(max_scale, std::fabs(s));
  int p = 0;
  const bool uniform =
      exact_log2(affine.scale[0], p) &&
      std::all_of(affine.scale.begin(), affine.scale.end(), [&](double s) { return s == affine.scale[0]; });
  // Uniform power-of-two scale: the fewest extra fraction bits t that hold every offset exactly.
  // Otherwise ~30 significant bits for the largest multiplier.
  int e = uniform ? p : (max_scale > 0.0 ? std::ilogb(max_scale) - 30 : 0);
  if (uniform) {
    for (int t = 0; t <= 40; ++t) {
      e = p - t;
      const bool exact = std::all_of(affine.offset.begin(), affine.offset.end(), [&](double o) {
        const double scaled = std::ldexp(o, -e);
        return scaled == std::floor(scaled);
      });
      if (exact) break;
    }
  }
  while (true) {
    a.multipliers.clear();
    a.offsets.clear();
    double largest = 0.0;
    for (std::size_t c = 0; c < affine.scale.size(); ++c) {
      const double m = std::nearbyint(std::ldexp(affine.scale[c], -e));
      const double o = std::nearbyint(std::ldexp(affine.offset[c], -e));
      largest = std::max(largest, std::fabs(m) * reach + std::fabs(o));
      a.multipliers.push_back(static_cast<std::int64_t>(std::clamp(m, -int64_limit, int64_limit)));
      a.offsets.push_back(static_cast<std::int64_t>(std::clamp(o, -int64_limit, int64_limit)));
    }
    if (largest < int64_limit) break;
    ++e;  // give up precision rather than overflow
  }
  scale_log2 = e;
  return a;
}

bool is_plain_scale(const Chain& chain, int e) {
  if (chain.steps().size() != 1) return false;
  const ChainStep& affine = chain.steps().front();
  const double scale = std::ldexp(1.0, e);
  return std::all_of(affine.scale.begin(), affine.scale.end(), [&](double s) { return s == scale; }) &&
         std::all_of(affine.offset.begin(), affine.offset.end(), [](double o) { return o == 0.0; });
}

}  // namespace codse::nn
