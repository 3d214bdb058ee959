#include "hw/cost/window_frames.hpp"

#include "hw/cost/memory_cost.hpp"

namespace codse::hw {

int rtl_element_bits(int bits, bool is_signed) { return bits == 1 && is_signed ? 2 : bits; }

std::int64_t rtl_stream_lanes(std::int64_t channels, std::int64_t lanes) {
  return lanes > 0 && channels % lanes == 0 ? lanes : 1;
}

Resources window_frames(const Device& device, std::int64_t height, std::int64_t width, std::int64_t channels,
                        std::int64_t lanes, int element_bits) {
  lanes = rtl_stream_lanes(channels, lanes);
  const std::int64_t words_per_frame = height * width * (channels / lanes);
  return inferred_buffer_memory(device, 2 * words_per_frame, lanes * element_bits);
}

}  // namespace codse::hw
