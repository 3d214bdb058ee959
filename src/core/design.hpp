#pragma once
// A Design is one value per knob of a Space. Its key is a stable 64-bit hash of the values,
// used for caching, deduplication and to match stored trials on resume.

#include <cstdint>
#include <string>
#include <vector>

namespace codse {

struct Design {
  std::vector<double> values;
  friend bool operator==(const Design&, const Design&) = default;
};

/// FNV-1a over the exact bit patterns of the values (with -0.0 folded into 0.0), so the key does not
/// depend on how a number is printed and is the same on every run and machine.
std::uint64_t design_key(const Design& design);

/// The key as 16 lowercase hex digits, the form stored in databases and file names.
std::string design_key_hex(const Design& design);

struct DesignKeyHash {
  std::size_t operator()(const Design& d) const { return static_cast<std::size_t>(design_key(d)); }
};

}  // namespace codse
