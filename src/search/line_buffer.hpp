#pragma once
// Bytes read from a pipe, handed out a line at a time: the framing of worker messages (one line of
// JSON each) over file descriptors, which deliver them in arbitrary pieces.

#include <cstddef>
#include <optional>
#include <string>

namespace codse {

class LineBuffer {
 public:
  void append(const char* bytes, std::size_t count) { data_.append(bytes, count); }
  /// The next complete line without its '\n', or nothing until one has arrived.
  std::optional<std::string> next_line() {
    const auto end = data_.find('\n', start_);
    if (end == std::string::npos) return std::nullopt;
    std::string line = data_.substr(start_, end - start_);
    start_ = end + 1;
    if (start_ == data_.size()) {  // everything consumed: reuse the storage
      data_.clear();
      start_ = 0;
    }
    return line;
  }
  bool has_partial_line() const { return start_ < data_.size(); }

 private:
  std::string data_;
  std::size_t start_ = 0;
};

}  // namespace codse
