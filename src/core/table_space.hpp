#pragma once
// A TableSpace is a CSV file of already-evaluated designs (exhaustive benchmark data such as the
// Spector-HLS tables): knob columns define the designs, every other column is a metric.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/design.hpp"
#include "core/space.hpp"
#include "core/trial.hpp"

namespace codse {

class TableSpace {
 public:
  /// Loads path. knob_selector is a comma-separated list of column names or shell globs
  /// ("knob_*"); every other column is a metric. Throws InputError naming the file, line and
  /// column for a missing file, an empty table, a ragged row, a non-numeric knob value, duplicate
  /// knob rows, or a selector that matches no column.
  static TableSpace load(const std::filesystem::path& path, const std::string& knob_selector);

  const std::filesystem::path& path() const { return path_; }
  /// Knobs take the distinct values their column holds.
  const Space& space() const { return space_; }
  /// The designs in row order: designs()[r] is data row r (0-based, header excluded).
  const std::vector<Design>& designs() const { return designs_; }
  std::size_t size() const { return designs_.size(); }
  const std::vector<std::string>& metric_names() const { return metric_names_; }

  /// Throws InputError naming the file, column and first bad line if the column is missing or
  /// not numeric on every row. Call this for each objective before exploring.
  void require_numeric(const std::string& metric) const;
  /// Column values of a metric (NaN where a cell was not a number).
  const std::vector<double>& column(const std::string& metric) const;
  /// Every metric of row r that is a number, with fidelity "table".
  Metrics metrics(std::size_t row) const;
  std::optional<std::size_t> find(const Design& design) const;

 private:
  std::filesystem::path path_;
  Space space_;
  std::vector<Design> designs_;
  std::vector<std::string> metric_names_;
  std::vector<std::vector<double>> metric_columns_;
  std::vector<std::size_t> first_bad_line_;  ///< per metric; 0 when every cell is numeric
  std::unordered_map<Design, std::size_t, DesignKeyHash> row_of_;
};

}  // namespace codse
