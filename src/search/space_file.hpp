#pragma once
// A space file (YAML) declares a knob space for live evaluation (`codse dse --space`): knobs with
// value lists or ranges, constraints as expressions over the knobs (core/knob_expression.hpp) and,
// optionally, the objectives. Every legal knob combination is enumerated into the candidate pool,
// so every explorer works on it as on a table. docs/FORMATS.md describes the format:
//
//   knobs:
//     pe: [1, 2, 4, 8]              # a list of numbers (or of labels: [fast, small])
//     width: {range: [4, 16, 2]}    # lo, hi (inclusive), step (default 1)
//   constraints: ["pe * width <= 64"]
//   objectives: [luts:min, fmax_mhz:max]   # optional; --objective replaces them

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "core/design.hpp"
#include "core/objective.hpp"
#include "core/space.hpp"

namespace codse {

struct SpaceFile {
  /// Spaces with more legal designs are refused (the pool holds each one).
  static constexpr std::size_t default_max_designs = 1'000'000;

  std::filesystem::path path;
  Space space;
  std::vector<Design> designs;        ///< every legal design, last knob fastest
  std::vector<Objective> objectives;  ///< from `objectives:`; empty when the file has none
  std::string sha256;                 ///< of the file's bytes: what a stored study is checked against

  /// Reads and enumerates path. Throws InputError naming the file (and line, column, knob or
  /// constraint index) for unreadable or malformed YAML, an unknown field, an empty or non-numeric
  /// value list, a bad range, a malformed constraint (with the column of the bad token), a space
  /// with no legal design or more than max_designs of them.
  static SpaceFile load(const std::filesystem::path& path, std::size_t max_designs = default_max_designs);
};

}  // namespace codse
