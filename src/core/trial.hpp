#pragma once
// A Trial is one evaluated design: the design, the metrics it produced, with which fidelity,
// its status, how long it took and the artifacts it left.

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "core/design.hpp"

namespace codse {

/// Which kind of evaluation produced a set of metrics, from cheapest to most trustworthy.
enum class Fidelity { table, analytic, training, simulation, synthesis, place_and_route };

std::string_view to_string(Fidelity fidelity);
/// Throws InputError naming the text if it is not one of the names to_string gives.
Fidelity fidelity_from_string(std::string_view text);

struct Metrics {
  std::map<std::string, double> values;
  Fidelity fidelity = Fidelity::table;
  double seconds = 0.0;  ///< wall time the evaluation took

  /// The value of metric name; throws InputError naming it if absent.
  double at(const std::string& name) const;
};

enum class TrialStatus { complete, failed };

std::string_view to_string(TrialStatus status);
TrialStatus trial_status_from_string(std::string_view text);

struct Trial {
  std::size_t number = 0;  ///< position in the explorer's ask order, 0-based, stable across resumes
  Design design;
  TrialStatus status = TrialStatus::complete;
  Metrics metrics;
  std::string error;  ///< why a failed trial failed
  /// What the evaluation left behind besides metrics (the network, the mapping, paths of weight
  /// and RTL files...), as the text of one JSON object; empty when there is none. Text rather than
  /// a JSON value keeps core free of a JSON library; the store checks it is an object.
  std::string artifacts_json;
};

}  // namespace codse
