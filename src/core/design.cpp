#include "core/design.hpp"

#include <bit>

#include <fmt/format.h>

namespace codse {

std::uint64_t design_key(const Design& design) {
  constexpr std::uint64_t fnv_offset = 1469598103934665603ull;
  constexpr std::uint64_t fnv_prime = 1099511628211ull;
  std::uint64_t hash = fnv_offset;
  for (double value : design.values) {
    // -0.0 and 0.0 are the same knob value; fold them so they share a key.
    auto bits = std::bit_cast<std::uint64_t>(value == 0.0 ? 0.0 : value);
    for (int byte = 0; byte < 8; ++byte) {
      hash ^= (bits >> (8 * byte)) & 0xffu;
      hash *= fnv_prime;
    }
  }
  return hash;
}

std::string design_key_hex(const Design& design) { return fmt::format("{:016x}", design_key(design)); }

}  // namespace codse
