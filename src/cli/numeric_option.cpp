#include "cli/numeric_option.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

#include <fmt/format.h>

namespace codse::cli {
namespace {

std::string bound(double x) { return x == std::numeric_limits<double>::max() ? "inf" : fmt::format("{}", x); }

/// Whether the text is a whole number: an optional sign and decimal digits (its magnitude below 2^64).
bool parse_whole(const std::string& text, bool& negative, std::uint64_t& magnitude) {
  std::string_view digits = text;
  negative = false;
  if (!digits.empty() && (digits.front() == '-' || digits.front() == '+')) {
    negative = digits.front() == '-';
    digits.remove_prefix(1);
  }
  if (digits.empty()) return false;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude);
  return error == std::errc() && end == digits.data() + digits.size();
}

}  // namespace

CLI::Validator real_in(double low, double high, bool low_included) {
  const std::string range = fmt::format("{}{}, {}]", low_included ? "[" : "(", bound(low), bound(high));
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        char* end = nullptr;
        const double x = std::strtod(text.c_str(), &end);
        if (text.empty() || end != text.c_str() + text.size())
          return fmt::format("'{}' is not a number", text);
        if (!std::isfinite(x)) return fmt::format("{} is not a finite number", text);
        if (x < low || (!low_included && x == low) || x > high)
          return fmt::format("{} is out of range: expected a number in {}", text, range);
        return "";
      },
      "NUMBER in " + range);
}

CLI::Validator whole_in(std::int64_t low, std::int64_t high) {
  const std::string range = fmt::format("[{}, {}]", low, high);
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        bool negative = false;
        std::uint64_t magnitude = 0;
        if (!parse_whole(text, negative, magnitude)) return fmt::format("'{}' is not a whole number", text);
        const std::uint64_t limit = std::uint64_t{1} << 63;  // |INT64_MIN|; INT64_MAX is one less
        bool fits = magnitude < limit || (negative && magnitude == limit);
        std::int64_t value = 0;
        if (fits) {
          value = negative ? (magnitude == limit ? std::numeric_limits<std::int64_t>::min()
                                                 : -static_cast<std::int64_t>(magnitude))
                           : static_cast<std::int64_t>(magnitude);
          fits = value >= low && value <= high;
        }
        if (!fits) return fmt::format("{} is out of range: expected a whole number in {}", text, range);
        return "";
      },
      "INTEGER in " + range);
}

CLI::Validator seed_number() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        bool negative = false;
        std::uint64_t magnitude = 0;
        if (!parse_whole(text, negative, magnitude) || (negative && magnitude > 0))
          return fmt::format("'{}' is not a seed: expected a whole number in [0, 2^64 - 1]", text);
        return "";
      },
      "SEED");
}

}  // namespace codse::cli
