#include "nn/integer/integer_op_rules.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.hpp"
#include "nn/quant/quantizer.hpp"

namespace codse::nn {
namespace {

// Bounds are first computed in long double: anything beyond 2^62 is refused before int64 overflows.
constexpr long double max_magnitude = 4611686018427387904.0L;  // 2^62

class Checker {
 public:
  Checker(const std::vector<IntegerOp>& ops, std::size_t index) : ops_(ops), index_(index), op_(ops[index]) {}

  [[noreturn]] void fail(const std::string& field, const std::string& what) const {
    throw InputError("op " + std::to_string(index_) + " (" + op_.name + ", " + to_string(op_.kind) +
                     "): " + field + " " + what);
  }
  void require(bool ok, const std::string& field, const std::string& what) const {
    if (!ok) fail(field, what);
  }
  void require_size(std::size_t size, std::int64_t expected, const std::string& field) const {
    if (static_cast<std::int64_t>(size) != expected) {
      fail(field, "has " + std::to_string(size) + " values, expected " + std::to_string(expected));
    }
  }
  const IntegerOp& input(std::size_t k) const {
    require_size(op_.inputs.size(), expected_inputs(), "inputs");
    const int i = op_.inputs[k];
    require(i >= 0 && static_cast<std::size_t>(i) < index_, "inputs",
            "refers to op " + std::to_string(i) + ", expected an earlier op");
    return ops_[static_cast<std::size_t>(i)];
  }
  std::int64_t checked(long double value, const std::string& field) const {
    require(std::fabs(value) <= max_magnitude, field, "bound exceeds 2^62");
    return static_cast<std::int64_t>(value);
  }
  const IntegerOp& op() const { return op_; }
  std::size_t index() const { return index_; }

 private:
  std::int64_t expected_inputs() const {
    switch (op_.kind) {
      case IntegerOpKind::input:
        return 0;
      case IntegerOpKind::add:
        return 2;
      default:
        return 1;
    }
  }
  const std::vector<IntegerOp>& ops_;
  std::size_t index_;
  const IntegerOp& op_;
};

void check_quant(const Checker& c, const QuantSpec& q, const std::string& field) {
  c.require(q.bits >= 1 && q.bits <= 16, field, "bits must be 1..16, got " + std::to_string(q.bits));
}

// Bound of sum_i w_i * x_i over x_i in [lo, hi] for each filter; the loosest over all filters.
void mac_bound(const Checker& c, std::int64_t per_unit, const IntegerOp& in, OpDerived& d) {
  const IntegerOp& op = c.op();
  check_quant(c, op.weight_quant, "weight_quant");
  const int w_lo = level_min(op.weight_quant);
  const int w_hi = level_max(op.weight_quant);
  long double low = 0.0L;
  long double high = 0.0L;
  for (int u = 0; u < op.units; ++u) {
    long double row_low = 0.0L;
    long double row_high = 0.0L;
    for (std::int64_t i = 0; i < per_unit; ++i) {
      const std::int32_t w = op.weights[static_cast<std::size_t>(u * per_unit + i)];
      if (w != 0 && (w < w_lo || w > w_hi)) {
        c.fail("weights", "level " + std::to_string(w) + " outside [" + std::to_string(w_lo) + ", " +
                              std::to_string(w_hi) + "]");
      }
      const long double a = static_cast<long double>(w) * in.min;
      const long double b = static_cast<long double>(w) * in.max;
      row_low += std::min(a, b);
      row_high += std::max(a, b);
    }
    low = std::min(low, row_low);
    high = std::max(high, row_high);
  }
  d.min = c.checked(low, "accumulator");
  d.max = c.checked(high, "accumulator");
  d.scale_log2 = op.weight_scale_log2 + in.scale_log2;
  d.bits = signed_bits(d.min, d.max);
}

void derive_requantize(const Checker& c, const IntegerOp& in, OpDerived& d) {
  const IntegerOp& op = c.op();
  const Requantization& r = op.requant;
  check_quant(c, op.quant, "quant");
  c.require(r.levels.size() >= 2, "levels", "needs at least two levels");
  c.require(std::is_sorted(r.levels.begin(), r.levels.end()) &&
                std::adjacent_find(r.levels.begin(), r.levels.end()) == r.levels.end(),
            "levels", "must increase strictly");
  c.require(r.levels.front() >= level_min(op.quant) && r.levels.back() <= level_max(op.quant), "levels",
            "outside the range of the quant encoding");
  c.require(r.channels >= 1 && r.plane >= 1, "channels", "and plane must be positive");
  c.require(r.channels * r.plane == in.shape.size(), "channels",
            "times plane (" + std::to_string(r.channels * r.plane) + ") must equal the input size " +
                std::to_string(in.shape.size()));
  c.require(r.has_thresholds() || r.has_shift, "requant", "has neither thresholds nor a shift");
  const auto channels = static_cast<std::size_t>(r.channels);
  if (r.has_thresholds()) {
    const std::size_t steps = r.levels.size() - 1;
    c.require_size(r.thresholds.size(), static_cast<std::int64_t>(channels * steps), "thresholds");
    c.require_size(r.sign.size(), r.channels, "sign");
    for (std::size_t ch = 0; ch < channels; ++ch) {
      c.require(r.sign[ch] == 1 || r.sign[ch] == -1, "sign", "entries must be +1 or -1");
      const auto first = r.thresholds.begin() + static_cast<std::ptrdiff_t>(ch * steps);
      c.require(std::is_sorted(first, first + static_cast<std::ptrdiff_t>(steps)), "thresholds",
                "of channel " + std::to_string(ch) + " must not decrease");
    }
  }
  if (r.has_shift) {
    c.require(r.shift >= -62 && r.shift <= 62, "shift", "must be within -62..62");
    c.require_size(r.offsets.size(), r.channels, "offsets");
    c.require(r.low <= r.high && r.low >= r.levels.front() && r.high <= r.levels.back(), "low",
              "and high must lie within the levels");
    const long double reach = std::ldexp(
        static_cast<long double>(std::max(std::abs(in.min), std::abs(in.max))), std::max(0, -r.shift));
    for (const std::int64_t offset : r.offsets)
      c.checked(reach + std::fabs(static_cast<long double>(offset)), "offsets");
  }
  d.shape = in.shape;
  d.scale_log2 = op.scale_log2;
  d.min = r.levels.front();
  d.max = r.levels.back();
  d.bits = op.quant.bits;
}

void derive_output_affine(const Checker& c, const IntegerOp& in, OpDerived& d) {
  const OutputAffine& a = c.op().affine;
  c.require(a.channels >= 1 && a.plane >= 1, "channels", "and plane must be positive");
  c.require(a.channels * a.plane == in.shape.size(), "channels",
            "times plane must equal the input size " + std::to_string(in.shape.size()));
  c.require_size(a.multipliers.size(), a.channels, "multipliers");
  c.require_size(a.offsets.size(), a.channels, "offsets");
  long double low = 0.0L;
  long double high = 0.0L;
  for (std::size_t ch = 0; ch < a.multipliers.size(); ++ch) {
    const long double m = static_cast<long double>(a.multipliers[ch]);
    const long double lo = std::min(m * in.min, m * in.max) + a.offsets[ch];
    const long double hi = std::max(m * in.min, m * in.max) + a.offsets[ch];
    low = ch == 0 ? lo : std::min(low, lo);
    high = ch == 0 ? hi : std::max(high, hi);
  }
  d.shape = in.shape;
  d.scale_log2 = c.op().scale_log2;
  d.min = c.checked(low, "output");
  d.max = c.checked(high, "output");
  d.bits = signed_bits(d.min, d.max);
}

void derive_add(const Checker& c, OpDerived& d) {
  const IntegerOp& a = c.input(0);
  const IntegerOp& b = c.input(1);
  c.require(a.shape.size() == b.shape.size(), "inputs", "have different sizes");
  c.require_size(c.op().shifts.size(), 2, "shifts");
  d.shape = a.shape;
  d.scale_log2 = std::min(a.scale_log2, b.scale_log2);
  const int shift_a = a.scale_log2 - d.scale_log2;
  const int shift_b = b.scale_log2 - d.scale_log2;
  c.require(c.op().shifts[0] == shift_a && c.op().shifts[1] == shift_b, "shifts",
            "must be " + std::to_string(shift_a) + " and " + std::to_string(shift_b) +
                " (the exponent differences)");
  c.require(shift_a <= 62 && shift_b <= 62, "shifts", "must be at most 62");
  d.min = c.checked(std::ldexp(static_cast<long double>(a.min), shift_a) +
                        std::ldexp(static_cast<long double>(b.min), shift_b),
                    "sum");
  d.max = c.checked(std::ldexp(static_cast<long double>(a.max), shift_a) +
                        std::ldexp(static_cast<long double>(b.max), shift_b),
                    "sum");
  d.bits = signed_bits(d.min, d.max);
}

int pooled(int size, int kernel, int stride) { return (size - kernel) / stride + 1; }

}  // namespace

OpDerived derive_op(const std::vector<IntegerOp>& ops, std::size_t index) {
  const Checker c(ops, index);
  const IntegerOp& op = ops[index];
  OpDerived d;
  c.require((index == 0) == (op.kind == IntegerOpKind::input), "kind",
            "input must be the first op and only it");
  switch (op.kind) {
    case IntegerOpKind::input:
      c.require_size(op.inputs.size(), 0, "inputs");
      check_quant(c, op.quant, "quant");
      c.require(op.shape.channels >= 1 && op.shape.height >= 1 && op.shape.width >= 1, "shape",
                "must be positive");
      d.shape = op.shape;
      d.scale_log2 = op.scale_log2;
      d.min = level_min(op.quant);
      d.max = level_max(op.quant);
      d.bits = op.quant.bits;
      break;
    case IntegerOpKind::dense: {
      const IntegerOp& in = c.input(0);
      c.require(op.units >= 1, "units", "must be positive");
      c.require_size(op.weights.size(), op.units * in.shape.size(), "weights");
      d.shape = {op.units, 1, 1};
      mac_bound(c, in.shape.size(), in, d);
      break;
    }
    case IntegerOpKind::conv2d: {
      const IntegerOp& in = c.input(0);
      c.require(op.units >= 1 && op.kernel >= 1 && op.stride >= 1 && op.padding >= 0, "kernel",
                "units, stride must be positive and padding not negative");
      d.shape = {op.units, pooled(in.shape.height + 2 * op.padding, op.kernel, op.stride),
                 pooled(in.shape.width + 2 * op.padding, op.kernel, op.stride)};
      c.require(d.shape.height >= 1 && d.shape.width >= 1, "kernel", "larger than the padded input");
      const std::int64_t per_unit = std::int64_t{in.shape.channels} * op.kernel * op.kernel;
      c.require_size(op.weights.size(), op.units * per_unit, "weights");
      mac_bound(c, per_unit, in, d);
      break;
    }
    case IntegerOpKind::requantize:
      derive_requantize(c, c.input(0), d);
      break;
    case IntegerOpKind::maxpool2d: {
      const IntegerOp& in = c.input(0);
      c.require(op.kernel >= 1 && op.stride >= 1, "kernel", "and stride must be positive");
      d.shape = {in.shape.channels, pooled(in.shape.height, op.kernel, op.stride),
                 pooled(in.shape.width, op.kernel, op.stride)};
      c.require(d.shape.height >= 1 && d.shape.width >= 1, "kernel", "larger than the input");
      d.scale_log2 = in.scale_log2;
      d.min = in.min;
      d.max = in.max;
      d.bits = in.bits;
      break;
    }
    case IntegerOpKind::add:
      derive_add(c, d);
      break;
    case IntegerOpKind::output_affine:
      derive_output_affine(c, c.input(0), d);
      break;
  }
  return d;
}

void fill_derived_fields(std::vector<IntegerOp>& ops, std::size_t index) {
  const OpDerived d = derive_op(ops, index);
  IntegerOp& op = ops[index];
  if (op.kind != IntegerOpKind::requantize && op.kind != IntegerOpKind::add) op.shape = d.shape;
  op.scale_log2 = d.scale_log2;
  op.min = d.min;
  op.max = d.max;
  op.bits = d.bits;
}

void check_op(const std::vector<IntegerOp>& ops, std::size_t index) {
  const OpDerived d = derive_op(ops, index);
  const Checker c(ops, index);
  const IntegerOp& op = ops[index];
  const auto text = [](Shape s) {
    return std::to_string(s.channels) + "x" + std::to_string(s.height) + "x" + std::to_string(s.width);
  };
  c.require(op.shape.size() == d.shape.size() &&
                (op.kind == IntegerOpKind::input || op.shape == d.shape ||
                 op.kind == IntegerOpKind::requantize || op.kind == IntegerOpKind::add),
            "shape", text(op.shape) + " should be " + text(d.shape));
  c.require(op.scale_log2 == d.scale_log2, "scale_log2",
            std::to_string(op.scale_log2) + " should be " + std::to_string(d.scale_log2));
  c.require(op.min == d.min && op.max == d.max, "min",
            "and max [" + std::to_string(op.min) + ", " + std::to_string(op.max) + "] should be [" +
                std::to_string(d.min) + ", " + std::to_string(d.max) + "]");
  c.require(op.bits == d.bits, "bits", std::to_string(op.bits) + " should be " + std::to_string(d.bits));
}

}  // namespace codse::nn
