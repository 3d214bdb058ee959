#include "hw/rtl/trained_widths.hpp"

#include <algorithm>

#include "hw/rtl/rtl_plan.hpp"
#include "nn/quant/quantizer.hpp"

namespace codse::hw {

int trained_weight_bits(std::span<const std::int32_t> weights) {
  std::int64_t lo = 0, hi = 0;
  for (const std::int32_t w : weights) {
    lo = std::min<std::int64_t>(lo, w);
    hi = std::max<std::int64_t>(hi, w);
  }
  return std::max(2, nn::signed_bits(lo, hi));
}

bool trained_bipolar_weights(const nn::IntegerOp& op) {
  return nn::is_binary(op.weight_quant) &&
         std::all_of(op.weights.begin(), op.weights.end(), [](std::int32_t w) { return w == 1 || w == -1; });
}

UnitWidths trained_unit_widths(const nn::IntegerOp& op) {
  UnitWidths w;
  w.bipolar_weights = trained_bipolar_weights(op);
  w.weight_bits = w.bipolar_weights ? 1 : trained_weight_bits(op.weights);
  w.acc_bits = element_format(op.min, op.max, 1).bits;  // the accumulator's stream element
  return w;
}

BuiltWidths trained_widths(const nn::IntegerModel& model) {
  BuiltWidths widths;
  for (const auto& op : model.ops())
    if (op.kind == nn::IntegerOpKind::dense || op.kind == nn::IntegerOpKind::conv2d)
      widths[op.name] = trained_unit_widths(op);
  return widths;
}

}  // namespace codse::hw
