#include "hw/rtl/trained_widths.hpp"

#include <algorithm>
#include <bit>

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

BuiltWidths trained_widths(const nn::IntegerModel& model) {
  BuiltWidths widths;
  for (const auto& op : model.ops()) {
    if (op.kind != nn::IntegerOpKind::dense && op.kind != nn::IntegerOpKind::conv2d) continue;
    UnitWidths& w = widths[op.name];
    w.bipolar_weights = trained_bipolar_weights(op);
    w.weight_bits = w.bipolar_weights ? 1 : trained_weight_bits(op.weights);
    // The accumulator's stream element (rtl_plan's element_format): signed when it can go negative.
    w.acc_bits = op.min < 0 ? nn::signed_bits(op.min, op.max)
                            : std::max(1, static_cast<int>(std::bit_width(static_cast<std::uint64_t>(op.max))));
  }
  return widths;
}

}  // namespace codse::hw
