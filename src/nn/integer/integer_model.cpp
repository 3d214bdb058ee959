#include "nn/integer/integer_model.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "nn/integer/integer_kernels.hpp"
#include "nn/integer/integer_op_rules.hpp"
#include "nn/quant/quantizer.hpp"

namespace codse::nn {
namespace {

bool fits_int16(std::int64_t min, std::int64_t max) {
  return min >= std::numeric_limits<std::int16_t>::min() && max <= std::numeric_limits<std::int16_t>::max();
}

std::vector<std::int16_t> narrow(std::span<const std::int64_t> values) {
  std::vector<std::int16_t> out(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) out[i] = static_cast<std::int16_t>(values[i]);
  return out;
}

}  // namespace

const char* to_string(IntegerOpKind kind) {
  switch (kind) {
    case IntegerOpKind::input:
      return "input";
    case IntegerOpKind::dense:
      return "dense";
    case IntegerOpKind::conv2d:
      return "conv2d";
    case IntegerOpKind::requantize:
      return "requantize";
    case IntegerOpKind::maxpool2d:
      return "maxpool2d";
    case IntegerOpKind::add:
      return "add";
    case IntegerOpKind::output_affine:
      return "output_affine";
  }
  return "?";
}

int signed_bits(std::int64_t min, std::int64_t max) {
  int bits = 1;
  while (bits < 64 && (min < -(std::int64_t{1} << (bits - 1)) || max > (std::int64_t{1} << (bits - 1)) - 1))
    ++bits;
  return bits;
}

IntegerModel::IntegerModel(std::string name, std::vector<IntegerOp> ops)
    : name_(std::move(name)), ops_(std::move(ops)) {
  validate();
  prepare();
}

void IntegerModel::validate() const {
  if (ops_.empty()) throw InputError("integer model " + name_ + ": no ops");
  for (std::size_t i = 0; i < ops_.size(); ++i) check_op(ops_, i);
}

void IntegerModel::prepare() {
  narrow_weights_.assign(ops_.size(), {});
  for (std::size_t i = 0; i < ops_.size(); ++i) {
    const IntegerOp& op = ops_[i];
    if (op.kind != IntegerOpKind::dense && op.kind != IntegerOpKind::conv2d) continue;
    const IntegerOp& in = ops_[static_cast<std::size_t>(op.inputs.front())];
    const auto [w_min, w_max] = std::minmax_element(op.weights.begin(), op.weights.end());
    const bool narrow_ok = op.weights.empty() || fits_int16(*w_min, *w_max);
    if (narrow_ok && fits_int16(in.min, in.max) && op.bits <= 32) {
      narrow_weights_[i].assign(op.weights.begin(), op.weights.end());
    }
  }
}

std::vector<std::int32_t> IntegerModel::quantize_input(std::span<const float> values) const {
  const IntegerOp& in = input();
  if (static_cast<std::int64_t>(values.size()) != in.shape.size()) {
    throw InputError("integer model " + name_ + ": input has " + std::to_string(values.size()) +
                     " values, expected " + std::to_string(in.shape.size()));
  }
  std::vector<std::int32_t> levels(values.size());
  for (std::size_t i = 0; i < values.size(); ++i)
    levels[i] = quantize_level(values[i], in.quant, in.scale_log2);
  return levels;
}

void IntegerModel::run(std::size_t index, std::vector<std::vector<std::int64_t>>& outputs) const {
  const IntegerOp& op = ops_[index];
  std::vector<std::int64_t>& out = outputs[index];
  out.assign(static_cast<std::size_t>(op.shape.size()), 0);
  const auto input_of = [&](std::size_t k) -> const std::vector<std::int64_t>& {
    return outputs[static_cast<std::size_t>(op.inputs[k])];
  };
  const auto shape_of = [&](std::size_t k) { return ops_[static_cast<std::size_t>(op.inputs[k])].shape; };
  switch (op.kind) {
    case IntegerOpKind::input:
      break;  // filled by infer_all
    case IntegerOpKind::dense:
      if (!narrow_weights_[index].empty()) {
        integer_kernels::dense_narrow(narrow_weights_[index], narrow(input_of(0)), out);
      } else {
        integer_kernels::dense_wide(op.weights, input_of(0), out);
      }
      break;
    case IntegerOpKind::conv2d:
      if (!narrow_weights_[index].empty()) {
        integer_kernels::conv2d_narrow(op, shape_of(0), narrow_weights_[index], narrow(input_of(0)), out);
      } else {
        integer_kernels::conv2d_wide(op, shape_of(0), op.weights, input_of(0), out);
      }
      break;
    case IntegerOpKind::requantize: {
      const bool use_shift =
          op.requant.has_shift &&
          (preference_ == RequantizationPreference::shift_when_available || !op.requant.has_thresholds());
      integer_kernels::requantize(op.requant, use_shift, input_of(0), out);
      break;
    }
    case IntegerOpKind::maxpool2d:
      integer_kernels::maxpool2d(op, shape_of(0), input_of(0), out);
      break;
    case IntegerOpKind::add: {
      const std::vector<std::int64_t>& a = input_of(0);
      const std::vector<std::int64_t>& b = input_of(1);
      const std::int64_t scale_a = std::int64_t{1} << op.shifts[0];
      const std::int64_t scale_b = std::int64_t{1} << op.shifts[1];
      for (std::size_t i = 0; i < out.size(); ++i) out[i] = a[i] * scale_a + b[i] * scale_b;
      break;
    }
    case IntegerOpKind::output_affine:
      integer_kernels::output_affine(op.affine, input_of(0), out);
      break;
  }
}

std::vector<std::vector<std::int64_t>> IntegerModel::infer_all(
    std::span<const std::int32_t> input_levels) const {
  const IntegerOp& in = input();
  if (static_cast<std::int64_t>(input_levels.size()) != in.shape.size()) {
    throw InputError("integer model " + name_ + ": input has " + std::to_string(input_levels.size()) +
                     " levels, expected " + std::to_string(in.shape.size()));
  }
  std::vector<std::vector<std::int64_t>> outputs(ops_.size());
  outputs[0].assign(input_levels.begin(), input_levels.end());
  for (const std::int64_t level : outputs[0]) {
    if (level < in.min || level > in.max) {
      throw InputError("integer model " + name_ + ": input level " + std::to_string(level) + " outside [" +
                       std::to_string(in.min) + ", " + std::to_string(in.max) + "]");
    }
  }
  for (std::size_t i = 1; i < ops_.size(); ++i) run(i, outputs);
  return outputs;
}

std::vector<std::int64_t> IntegerModel::infer(std::span<const std::int32_t> input_levels) const {
  std::vector<std::vector<std::int64_t>> outputs = infer_all(input_levels);
  return std::move(outputs.back());
}

int IntegerModel::predict_levels(std::span<const std::int32_t> input_levels) const {
  const std::vector<std::int64_t> out = infer(input_levels);
  return static_cast<int>(std::max_element(out.begin(), out.end()) - out.begin());
}

int IntegerModel::predict(std::span<const float> input) const {
  return predict_levels(quantize_input(input));
}

}  // namespace codse::nn
