#pragma once
// A study's trials as one table (the equivalent of Optuna's trials_dataframe): one row per trial
// with its knobs, objectives, every other metric (constraint values among them), fidelity, status,
// whether it is on the study's Pareto front (ReportData::front, the front `codse report` shows)
// and where its artifacts are. Written as CSV (RFC 4180) or JSON (docs/FORMATS.md, "Trials table").

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/report_data.hpp"

namespace codse::report {

struct TrialTable {
  std::vector<std::string> columns;
  /// One object per trial (column -> number, string, bool or null), in trial-number order.
  std::vector<nlohmann::ordered_json> rows;
};

/// The table of data's trials, or of its front only.
TrialTable trial_table(const ReportData& data, bool front_only);

/// RFC 4180: a header line, CRLF line ends, fields with a comma, quote, CR or LF quoted with
/// quotes doubled; numbers in their shortest exact form, null as an empty field.
std::string trial_table_csv(const TrialTable& table);

/// {"study", "store", "objectives", "constraints", "columns", "trials": [row objects]}.
nlohmann::ordered_json trial_table_json(const ReportData& data, const TrialTable& table);

}  // namespace codse::report
