#pragma once
// Checks of numeric command-line options, applied to the text before CLI11 converts it (CLI11 would
// accept nan and inf for a double, and wrap -1 for an unsigned). A failed check exits 2 with
// "--OPTION: ..." (main.cpp prints CLI11's validation errors with the option's name).

#include <cstdint>
#include <limits>

#include <CLI/CLI.hpp>

namespace codse::cli {

/// A finite number above `low` (or at least `low` when `low_included`) and at most `high`.
CLI::Validator real_in(double low, double high = std::numeric_limits<double>::max(), bool low_included = true);
/// A finite number > low.
inline CLI::Validator real_above(double low) { return real_in(low, std::numeric_limits<double>::max(), false); }
/// A whole number (digits, an optional sign) in [low, high].
CLI::Validator whole_in(std::int64_t low, std::int64_t high = std::numeric_limits<std::int64_t>::max());
/// A seed: a whole number in [0, 2^64 - 1].
CLI::Validator seed_number();

}  // namespace codse::cli
