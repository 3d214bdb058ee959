#pragma once
// The comma-separated lists the dse benchmarks take on their command lines ("atne,epal,random").

#include <string>
#include <vector>

namespace codse::bench {

/// The parts between commas, empty ones kept ("a,,b" gives "a", "", "b").
inline std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    parts.push_back(text.substr(start, comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return parts;
}

}  // namespace codse::bench
