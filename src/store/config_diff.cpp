#include "store/config_diff.hpp"

#include <algorithm>
#include <cstddef>

namespace codse {
namespace {

/// "/explorer/population" -> "explorer.population"; JSON-pointer escapes undone.
std::string field_name(const std::string& pointer) {
  if (pointer.empty()) return "(the whole configuration)";
  std::string name;
  for (std::size_t i = 1; i < pointer.size(); ++i) {
    const char c = pointer[i];
    if (c == '/') {
      name += '.';
    } else if (c == '~' && i + 1 < pointer.size()) {
      name += pointer[++i] == '1' ? '/' : '~';
    } else {
      name += c;
    }
  }
  return name;
}

/// Compact JSON, cut short so that a long list does not drown the message.
std::string shown(const nlohmann::json& value) {
  constexpr std::size_t limit = 80;
  std::string text = value.dump();
  if (text.size() > limit) text = text.substr(0, limit - 3) + "...";
  return text;
}

}  // namespace

std::vector<std::string> config_differences(const nlohmann::json& stored,
                                            const nlohmann::json& given) {
  std::vector<std::string> lines;
  if (stored == given) return lines;
  const auto stored_at = [&](const std::string& path) {
    return shown(stored.at(nlohmann::json::json_pointer(path)));
  };
  // A JSON patch that turns stored into given: each operation is one differing field.
  for (const auto& operation : nlohmann::json::diff(stored, given)) {
    const auto& op = operation.at("op").get_ref<const std::string&>();
    const auto& path = operation.at("path").get_ref<const std::string&>();
    if (op == "add" && path.ends_with("/-")) {
      // nlohmann/json appends to an array with the path ".../-".
      lines.push_back(field_name(path.substr(0, path.size() - 2)) +
                      ": not stored, given an extra element " + shown(operation.at("value")));
    } else if (op == "add") {
      lines.push_back(field_name(path) + ": not stored, given " + shown(operation.at("value")));
    } else if (op == "replace") {
      lines.push_back(field_name(path) + ": stored " + stored_at(path) + ", given " +
                      shown(operation.at("value")));
    } else if (op == "remove") {
      lines.push_back(field_name(path) + ": stored " + stored_at(path) + ", not given");
    } else {
      lines.push_back(field_name(path) + ": differs");
    }
  }
  // NaN never equals itself, yet the patch finds nothing to change.
  if (lines.empty()) lines.emplace_back("(values that compare unequal, such as NaN)");
  std::sort(lines.begin(), lines.end());  // by field name, whatever order the patch has
  return lines;
}

}  // namespace codse
