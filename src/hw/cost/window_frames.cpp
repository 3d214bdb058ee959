#include "hw/cost/window_frames.hpp"

#include "hw/cost/memory_cost.hpp"

namespace codse::hw {

int rtl_element_bits(int bits, bool is_signed) { return bits == 1 && is_signed ? 2 : bits; }

Resources window_frames(const Device& device, std::int64_t height, std::int64_t width, std::int64_t channels,
                        std::int64_t lanes, int element_bits) {
  if (lanes <= 0 || channels % lanes != 0) lanes = 1;  // codse's RTL plan falls back to one lane too
  const std::int64_t words_per_frame = height * width * (channels / lanes);
  return inferred_buffer_memory(device, 2 * words_per_frame, lanes * element_bits);
}

}  // namespace codse::hw
