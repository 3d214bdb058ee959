#include "search/explorer_options.hpp"

#include <cmath>

#include <fmt/format.h>

#include "core/error.hpp"

namespace codse {

std::string to_string(const OptionValue& value) {
  if (const auto* flag = std::get_if<bool>(&value)) return *flag ? "true" : "false";
  if (const auto* whole = std::get_if<std::int64_t>(&value)) return fmt::format("{}", *whole);
  const double real = std::get<double>(value);
  if (std::isnan(real)) return "nan";
  if (std::isinf(real)) return real > 0 ? "inf" : "-inf";
  auto text = fmt::format("{}", real);
  if (text.find_first_of(".e") == std::string::npos) text += ".0";
  return text;
}

ExplorerOptions& ExplorerOptions::put(const std::string& key, OptionValue value) {
  values_.insert_or_assign(key, value);
  return *this;
}

const OptionValue* ExplorerOptions::find(std::string_view key) const {
  const auto found = values_.find(key);
  return found == values_.end() ? nullptr : &found->second;
}

const char* to_string(OptionType type) {
  switch (type) {
    case OptionType::count: return "count";
    case OptionType::real: return "real";
    case OptionType::flag: return "flag";
  }
  return "?";
}

bool OptionRange::contains(double value) const {
  const bool above_low = low_open ? value > low : value >= low;
  const bool below_high = high_open ? value < high : value <= high;
  return above_low && below_high;
}

std::string OptionRange::describe() const {
  const bool bounded_low = std::isfinite(low), bounded_high = std::isfinite(high);
  if (bounded_low && bounded_high)
    return fmt::format("in {}{}, {}{}", low_open ? '(' : '[', low, high, high_open ? ')' : ']');
  if (bounded_low) return fmt::format("{} {}", low_open ? ">" : ">=", low);
  if (bounded_high) return fmt::format("{} {}", high_open ? "<" : "<=", high);
  return "";
}

namespace {

/// "a count >= 2", "a real in (0, 1)", "a flag (true or false)"
std::string expectation(const OptionSpec& spec) {
  if (spec.type == OptionType::flag) return "a flag (true or false)";
  const auto range = spec.range.describe();
  return fmt::format("a {}{}{}", to_string(spec.type), range.empty() ? "" : " ", range);
}

const char* type_of(const OptionValue& value) {
  if (std::holds_alternative<bool>(value)) return "a flag";
  if (std::holds_alternative<std::int64_t>(value)) return "a whole number";
  return "a real";
}

}  // namespace

OptionValue OptionSpec::check(std::string_view explorer, const OptionValue& value) const {
  const auto fail = [&] {
    throw InputError(fmt::format("explorer '{}': option '{}' takes {}, got {} ({})", explorer, key,
                                 expectation(*this), to_string(value), type_of(value)));
  };
  switch (type) {
    case OptionType::flag:
      if (!std::holds_alternative<bool>(value)) fail();
      return value;
    case OptionType::count: {
      const auto* whole = std::get_if<std::int64_t>(&value);
      if (!whole || *whole < 0 || !range.contains(static_cast<double>(*whole))) fail();
      return value;
    }
    case OptionType::real: {
      double real = 0.0;
      if (const auto* whole = std::get_if<std::int64_t>(&value)) {
        real = static_cast<double>(*whole);
      } else if (const auto* given = std::get_if<double>(&value)) {
        real = *given;
      } else {
        fail();
      }
      if (!range.contains(real)) fail();
      return real;
    }
  }
  fail();
  return value;
}

std::string OptionSpec::describe() const {
  const auto range_text = type == OptionType::flag ? std::string() : range.describe();
  return fmt::format("{} ({}{}{}, default {}): {}", key, to_string(type), range_text.empty() ? "" : " ", range_text,
                     to_string(default_value), help);
}

}  // namespace codse
