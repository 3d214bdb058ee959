#include "core/file_name.hpp"

namespace codse {

std::optional<std::string> not_a_plain_file_name(std::string_view name) {
  if (name.empty()) return "it is empty";
  if (name == "." || name == "..") return "'.' and '..' name directories";
  if (name.size() > 200) return "it is longer than 200 bytes";
  for (const char c : name) {
    if (c == '/' || c == '\\') return "it contains a '" + std::string(1, c) + "' (a name, not a path)";
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return "it contains a control character";
  }
  return std::nullopt;
}

}  // namespace codse
