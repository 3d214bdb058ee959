#pragma once
// SHA-256 (FIPS 180-4) of a stream of bytes, as lowercase hex: the synthesis cache's content key.
// A cryptographic hash because the key stands for every input of a run (RTL, memory files, tool
// version, script): two runs with different inputs must never share an entry.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace codse {

class ContentHash {
 public:
  ContentHash();
  /// Appends bytes. Callers framing several fields add each one's length too (see add_field).
  void update(std::string_view bytes);
  /// Appends the field's length and then its bytes, so ("ab", "c") and ("a", "bc") differ.
  void add_field(std::string_view bytes);
  /// The digest of everything appended so far, 64 hex digits; the hash cannot be updated after.
  std::string hex();

 private:
  void compress(const std::uint8_t* block);

  std::array<std::uint32_t, 8> state_;
  std::array<std::uint8_t, 64> buffer_{};
  std::size_t buffered_ = 0;
  std::uint64_t length_bytes_ = 0;
};

}  // namespace codse
