#pragma once
// Property tests of the parsers (issue 17): valid files, mutated at random, must either parse or be
// refused with an InputError that says something. Any other outcome is a defect: another
// exception type (an internal error leaking out: std::out_of_range, nlohmann's or yaml-cpp's own),
// a crash or a sanitizer report (the sanitizer pass runs these suites too), or a parse that takes
// over 10 s.
//
// The mutations are what a hostile user or a broken tool writes: flipped bytes, cut and repeated
// ranges, a truncated file, swapped lines, and tokens placed where numbers, strings and brackets
// were (2^31, 2^63, 1e309, nan, -1, "", null, a byte-order mark, a lone UTF-8 byte). They are
// seeded and drawn with the project's own arithmetic (splitmix64), so a failing case is the same
// on every machine: its seed and its mutated text are printed to reproduce it.
//
// CODSE_PARSER_MUTATIONS sets how many mutants each seed file gets (default in CI: enough for a
// few thousand per parser); bench/parsers/mutation_sweep.sh runs far more.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace codse::testing {

/// splitmix64: small, portable, and good enough to pick mutations.
class MutationRandom {
 public:
  explicit MutationRandom(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, n); n > 0.
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }

 private:
  std::uint64_t state_;
};

/// Tokens that break parsers: integer and float limits, non-numbers, empty and null values,
/// structure characters, encodings.
inline const std::vector<std::string>& hostile_tokens() {
  static const std::vector<std::string> tokens = {
      "0", "-1", "-0", "1.5", "2147483647", "2147483648", "4294967296", "-2147483649", "9223372036854775807",
      "9223372036854775808", "18446744073709551616", "1e309", "-1e309", "1e-400", "nan", "NaN", "inf", "-inf",
      ".inf", "0x10", "1_000", "\"\"", "\"x\"", "\"1\"", "null", "~", "true", "[]", "{}", "[", "]", "{", "}",
      ",", ":", "\"", "'", "\\", "\n", "- ", "&a", "*a", "!!int", "#", "\xef\xbb\xbf", "\xff", "\xc3",
      std::string(1, '\0'), std::string(300, '9'), std::string(70, '['), "e", "E+", "--"};
  return tokens;
}

/// One mutation of text (never the identity on a non-empty text... mostly: a flip can restore).
inline std::string mutate_once(const std::string& text, MutationRandom& random) {
  std::string out = text;
  if (out.empty()) return hostile_tokens()[random.below(hostile_tokens().size())];
  const std::size_t at = random.below(out.size());
  const std::size_t length = 1 + random.below(std::min<std::size_t>(16, out.size() - at));
  switch (random.below(8)) {
    case 0:  // flip one bit
      out[at] = static_cast<char>(out[at] ^ (1 << random.below(8)));
      break;
    case 1:  // delete a range
      out.erase(at, length);
      break;
    case 2:  // repeat a range (duplicate keys, layers, rows)
      out.insert(random.below(out.size() + 1), out.substr(at, length * 4));
      break;
    case 3:  // truncate
      out.resize(at);
      break;
    case 4:  // insert a hostile token
      out.insert(at, hostile_tokens()[random.below(hostile_tokens().size())]);
      break;
    case 5: {  // replace a number (a run of digits) by a hostile token
      std::size_t digit = out.find_first_of("0123456789", at);
      if (digit == std::string::npos) digit = out.find_first_of("0123456789");
      if (digit == std::string::npos) break;
      const std::size_t end = out.find_first_not_of("0123456789.eE-+", digit);
      out.replace(digit, (end == std::string::npos ? out.size() : end) - digit,
                  hostile_tokens()[random.below(hostile_tokens().size())]);
      break;
    }
    case 6: {  // swap two lines
      std::vector<std::string> lines;
      for (std::size_t start = 0; start <= out.size();) {
        const std::size_t end = std::min(out.find('\n', start), out.size());
        lines.push_back(out.substr(start, end - start));
        start = end + 1;
      }
      if (lines.size() < 2) break;
      std::swap(lines[random.below(lines.size())], lines[random.below(lines.size())]);
      out.clear();
      for (std::size_t i = 0; i < lines.size(); ++i) out += lines[i] + (i + 1 < lines.size() ? "\n" : "");
      break;
    }
    default:  // replace one byte by a structure character
      out[at] = "{}[],:\"'-#\n\t 0."[random.below(15)];
      break;
  }
  return out;
}

/// 1 to 4 mutations of text.
inline std::string mutate(const std::string& text, MutationRandom& random) {
  std::string out = text;
  const std::size_t count = 1 + random.below(4);
  for (std::size_t i = 0; i < count; ++i) out = mutate_once(out, random);
  return out;
}

/// Mutants per seed file: CODSE_PARSER_MUTATIONS, else fallback.
inline int mutation_count(int fallback) {
  const char* value = std::getenv("CODSE_PARSER_MUTATIONS");
  if (!value) return fallback;
  const int count = std::atoi(value);
  return count > 0 ? count : fallback;
}

struct MutationTally {
  int accepted = 0;
  int refused = 0;
  int total() const { return accepted + refused; }
  MutationTally& operator+=(const MutationTally& other) {
    accepted += other.accepted;
    refused += other.refused;
    return *this;
  }
};

/// A seed file's text.
inline std::string read_text_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Feeds `count` mutants of `valid` (named `name`, drawn from `seed`) to `parse`, which parses and
/// may use the result (anything it throws must be an InputError). Fails the test on any other
/// exception, an empty message or a parse over 10 s, printing the seed, mutant index and text.
inline MutationTally check_mutants(const std::string& name, const std::string& valid, std::uint64_t seed, int count,
                                   const std::function<void(const std::string&)>& parse) {
  MutationTally tally;
  MutationRandom random(seed);
  for (int i = 0; i < count; ++i) {
    const std::string mutant = mutate(valid, random);
    const auto start = std::chrono::steady_clock::now();
    std::string defect;
    try {
      parse(mutant);
      ++tally.accepted;
    } catch (const InputError& error) {
      ++tally.refused;
      if (std::string_view(error.what()).empty()) defect = "an InputError without a message";
    } catch (const std::exception& error) {
      defect = std::string("not an InputError: ") + error.what();
    } catch (...) {
      defect = "a non-standard exception";
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (seconds > 10.0) defect = "took " + std::to_string(seconds) + " s";
    if (!defect.empty()) {
      ADD_FAILURE() << name << ", seed " << seed << ", mutant " << i << ": " << defect << "\n--- mutant ---\n"
                    << mutant << "\n--------------";
      return tally;
    }
  }
  return tally;
}

/// One line per suite, which bench/parsers/mutation_sweep.sh collects.
inline void print_tally(const std::string& parser, const MutationTally& tally) {
  std::printf("[mutations] %s: %d mutants, %d refused with a message, %d accepted\n", parser.c_str(), tally.total(),
              tally.refused, tally.accepted);
}

}  // namespace codse::testing
