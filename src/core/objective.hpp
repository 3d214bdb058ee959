#pragma once
// Objectives (a metric and a sense) and constraints on metrics.

#include <string>
#include <string_view>
#include <vector>

namespace codse {

enum class Sense { minimize, maximize };

struct Objective {
  std::string metric;
  Sense sense = Sense::minimize;

  /// Parses "NAME:min" or "NAME:max"; throws InputError quoting the text otherwise.
  static Objective parse(std::string_view text);
  /// The value in minimisation form (negated when maximised), the form explorers work in.
  double minimised(double value) const { return sense == Sense::minimize ? value : -value; }
  std::string to_string() const;
};

/// A bound on a metric: metric <= bound (upper) or metric >= bound (lower).
struct MetricBound {
  std::string metric;
  double bound = 0.0;
  bool upper = true;

  /// Parses "NAME<=VALUE" or "NAME>=VALUE" with a finite VALUE; throws InputError quoting the text
  /// otherwise (a bound of nan would hold for no value, inf for every one).
  static MetricBound parse(std::string_view text);
  bool holds(double value) const { return upper ? value <= bound : value >= bound; }
  std::string to_string() const;
};

/// Throws InputError "WHERE: the metric M is an objective twice (...)" when two objectives name the
/// same metric (with the same or the opposite sense).
void require_distinct_objectives(const std::vector<Objective>& objectives, std::string_view where);

}  // namespace codse
