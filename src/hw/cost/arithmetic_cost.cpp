#include "hw/cost/arithmetic_cost.hpp"

#include <algorithm>

namespace codse::hw {
namespace {

int ceil_div(int a, int b) { return (a + b - 1) / b; }

}  // namespace

double lut_multiplier_luts(int w, int a) {
  const int width = w + a;
  return static_cast<double>((2 * ceil_div(width, 6) - 1) * width);
}

double constant_multiplier_luts(int w, int a) {
  const int adders = std::max(1, w / 3);
  return static_cast<double>(adders * (w + a));
}

int dsps_per_multiplier(const Device& device, int w, int a) {
  const int pa = device.dsp.a_bits, pb = device.dsp.b_bits;
  if (pa <= 0 || pb <= 0) return 0;
  return std::min(ceil_div(w, pa) * ceil_div(a, pb), ceil_div(w, pb) * ceil_div(a, pa));
}

bool multipliers_in_dsp(const Device& device, MultiplierStyle style, int w, int a, bool input_signed) {
  if (device.dsp.count <= 0) return false;
  const int operand = input_signed ? std::max(a, 2) : a + 1;
  switch (style) {
    case MultiplierStyle::lut: return false;
    case MultiplierStyle::dsp: return true;
    case MultiplierStyle::automatic:
      return w >= 2 && operand >= 2 && w + operand >= device.dsp_auto_min_product_bits;
  }
  return false;
}

}  // namespace codse::hw
