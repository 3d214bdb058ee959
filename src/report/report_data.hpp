#pragma once
// Everything a report shows about one study, gathered from the store and computed once in C++
// (fronts, hypervolume) so the numbers match the rest of codse; the page only draws them.

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/objective.hpp"
#include "core/trial.hpp"

namespace codse {
class StudyJournal;
}

namespace codse::report {

/// One point of the hypervolume curve: the hypervolume of every trial up to and including trial.
struct HypervolumePoint {
  std::size_t trial = 0;
  double value = 0.0;
};

/// The hypervolume curve and where it came from.
struct HypervolumeCurve {
  /// "study" when the study stored it (document "hypervolume"), "computed" when the report did.
  std::string source;
  /// How a computed curve was normalised; empty for a stored one.
  std::string normalisation;
  std::vector<HypervolumePoint> points;
  /// The reference point the study measured against (document "hypervolume_reference"), if any.
  nlohmann::json reference;
};

/// The Pareto front of one pair of objectives (indices into ReportData::objectives).
struct PairFront {
  std::size_t x = 0;
  std::size_t y = 0;
  std::vector<std::size_t> trials;  ///< trial numbers, sorted by the x objective
};

/// What a trial's design is, for people: a name and named numeric knobs (design_names.hpp).
struct TrialDesign {
  std::string name;  ///< e.g. "mlp-784-256-121-10-w4a4-s25"; empty for a table study's trial
  std::vector<std::pair<std::string, double>> knobs;
};

struct ReportData {
  std::string study;
  std::filesystem::path store;
  nlohmann::json config;              ///< the study's configuration as stored
  std::vector<Objective> objectives;  ///< from the "objectives" document, else from the config
  std::vector<std::string> knobs;     ///< one name per design value
  std::vector<Trial> trials;          ///< in trial-number order
  std::vector<TrialDesign> designs;   ///< one per trial, same order (empty when not collected)
  /// Trial numbers on the Pareto front of all objectives (complete trials with every objective
  /// a finite number), sorted by the first objective.
  std::vector<std::size_t> front;
  std::vector<PairFront> pair_fronts;  ///< one per pair of objectives (x < y)
  HypervolumeCurve hypervolume;
  nlohmann::json hints = nlohmann::json::array();  ///< the "hints" document, else empty
  /// The "test_error" document of a co-exploration: the held-out test error of each design of its
  /// final front, by trial number (the `error` metric is the validation error the search used).
  std::map<std::size_t, double> test_error;
};

/// Reads study from the journal and computes its fronts and hypervolume. Throws InputError
/// naming the store and study when no objective can be found or a document is malformed.
ReportData collect_report_data(const StudyJournal& journal);

/// Names and knobs of every trial from its stored artifacts: network_design_name, with the first
/// four hex digits of the design key appended when trials differing only in mapping share a name.
std::vector<TrialDesign> trial_designs(const std::vector<Trial>& trials);

/// Fills front, pair_fronts and (when points is empty) the hypervolume curve of data from its
/// trials and objectives. Exposed so tests can check the numbers on hand-made trials.
void compute_fronts(ReportData& data);

}  // namespace codse::report
