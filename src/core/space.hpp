#pragma once
// A Space is a list of knobs plus constraints. Enumerable spaces list every valid design.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/design.hpp"
#include "core/knob.hpp"

namespace codse {

/// A predicate every valid design satisfies. The description is what a rejection reports.
struct Constraint {
  std::string description;
  std::function<bool(const Design&)> holds;
};

class Space {
 public:
  Space() = default;
  explicit Space(std::vector<Knob> knobs, std::vector<Constraint> constraints = {});

  const std::vector<Knob>& knobs() const { return knobs_; }
  const std::vector<Constraint>& constraints() const { return constraints_; }
  std::size_t dimension() const { return knobs_.size(); }
  /// Index of the knob called name; throws InputError listing the knobs if there is none.
  std::size_t knob_index(std::string_view name) const;

  /// Number of knob combinations before constraints (a double: it can exceed 2^64).
  double cardinality() const;
  /// The i-th knob combination in mixed-radix order (last knob fastest); ignores constraints.
  Design decode(std::size_t index) const;

  /// Empty string when the design is valid, otherwise why it is not (names knob or constraint).
  std::string why_invalid(const Design& design) const;
  bool is_valid(const Design& design) const { return why_invalid(design).empty(); }

  /// Every valid design in decode order. Throws InputError if cardinality() exceeds limit.
  std::vector<Design> enumerate(std::size_t limit = 10'000'000) const;

  /// "name=value, name=value" for messages and reports.
  std::string describe(const Design& design) const;

 private:
  std::vector<Knob> knobs_;
  std::vector<Constraint> constraints_;
};

}  // namespace codse
