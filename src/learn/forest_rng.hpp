#pragma once
// The random number generator of forests and of the explorers built on them: xoshiro256**
// seeded through SplitMix64, with our own bounded and real draws. std::uniform_*_distribution
// are implementation-defined, so using them would make a "seeded" forest differ between
// standard libraries; this generator gives the same stream everywhere.

#include <cstddef>
#include <cstdint>

namespace codse {

class ForestRng {
 public:
  explicit ForestRng(std::uint64_t seed) {
    for (auto& word : state_) word = splitmix64(seed);
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  /// Uniform in [0, n), unbiased (rejects the short last block of the 2^64 range); n > 0.
  std::size_t below(std::size_t n) {
    const std::uint64_t bound = n;
    const std::uint64_t reject_under = (0 - bound) % bound;  // 2^64 mod n
    std::uint64_t r = next();
    while (r < reject_under) r = next();
    return static_cast<std::size_t>(r % bound);
  }

  /// Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static std::uint64_t splitmix64(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::uint64_t state_[4];
};

}  // namespace codse
