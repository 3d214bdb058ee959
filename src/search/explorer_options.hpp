#pragma once
// Explorer options by name: what make_explorer(name, setup, options) takes from a command line, a
// config file or another module, and the declarations it checks them against. Each explorer keeps
// its typed options struct (AtneOptions, EpalOptions, Nsga2Options); its registry entry
// (explorer_registry.hpp) declares which keys it accepts, with their types, ranges and help, and
// converts checked values into that struct. Defaults are the struct's defaults, so an explorer
// made with no options is the explorer its default constructor makes.

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

namespace codse {

/// An option's value: a flag, a whole number or a real number.
using OptionValue = std::variant<bool, std::int64_t, double>;

/// "true", "12", "0.25" (reals keep a decimal point or an exponent: "2.0", "inf").
std::string to_string(const OptionValue& value);

/// Options given by name, e.g. ExplorerOptions().set("initial_samples", 8).set("epsilon", 0.02).
class ExplorerOptions {
 public:
  ExplorerOptions& set(const std::string& key, bool value) { return put(key, value); }
  ExplorerOptions& set(const std::string& key, double value) { return put(key, value); }
  /// Any integer type; values beyond the range of std::int64_t saturate (and fail the range check).
  template <class Integer>
    requires(std::is_integral_v<Integer> && !std::is_same_v<Integer, bool>)
  ExplorerOptions& set(const std::string& key, Integer value) {
    if constexpr (std::is_unsigned_v<Integer>) {
      constexpr auto most = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
      return put(key, static_cast<std::int64_t>(std::min<std::uint64_t>(value, most)));
    } else {
      return put(key, static_cast<std::int64_t>(value));
    }
  }

  /// The value given for key, or nullptr.
  const OptionValue* find(std::string_view key) const;
  const std::map<std::string, OptionValue, std::less<>>& values() const { return values_; }
  bool empty() const { return values_.empty(); }

 private:
  ExplorerOptions& put(const std::string& key, OptionValue value);
  std::map<std::string, OptionValue, std::less<>> values_;
};

enum class OptionType {
  count,  ///< a whole number >= 0 (std::size_t in the typed options)
  real,   ///< a real number (double); whole numbers are accepted
  flag,   ///< true or false (bool)
};
const char* to_string(OptionType type);

/// The values a count or real option accepts: low..high, each end open or closed.
struct OptionRange {
  double low = -std::numeric_limits<double>::infinity();
  double high = std::numeric_limits<double>::infinity();
  bool low_open = false;
  bool high_open = false;

  static OptionRange any() { return {}; }
  static OptionRange at_least(double low) { return {low, std::numeric_limits<double>::infinity(), false, false}; }
  static OptionRange above(double low) { return {low, std::numeric_limits<double>::infinity(), true, false}; }
  /// [low, high]
  static OptionRange closed(double low, double high) { return {low, high, false, false}; }
  /// (low, high)
  static OptionRange open(double low, double high) { return {low, high, true, true}; }

  bool contains(double value) const;
  /// ">= 2", "in [0, 1]", "in (0, 1)", "> 0", or "" when any value is accepted.
  std::string describe() const;
};

/// One option an explorer declares.
struct OptionSpec {
  std::string key;
  OptionType type = OptionType::real;
  OptionValue default_value;
  OptionRange range;
  std::string help;

  /// The value as this option stores it (a whole number given for a real becomes a double).
  /// Throws InputError naming the explorer, the key, what it expects and what it got, when the
  /// value has another type or is out of range (NaN always is).
  OptionValue check(std::string_view explorer, const OptionValue& value) const;
  /// "initial_samples (count >= 0, default 0): designs of the initial sample; 0 chooses"
  std::string describe() const;
};

}  // namespace codse
