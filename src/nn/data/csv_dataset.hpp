#pragma once
// A classification table in CSV, gzipped or not (e.g. ../shared/data/sklearn-digits/digits.csv.gz):
// one sample per row, one column holds the class index (a non-negative integer), every other
// column a numeric feature, in column order. Comma-separated; blank lines are skipped.

#include <filesystem>
#include <optional>
#include <string>

#include "nn/data/dataset.hpp"

namespace codse::nn {

enum class CsvHeader { detect, present, absent };

struct CsvOptions {
  /// The label column: a header name, or a 0-based index (negative counts from the end, -1 is the
  /// last column). Empty: the column named "label" or "target" (any case); in a file without a
  /// header, the last column (scikit-learn's layout).
  std::string label_column;
  /// detect: the first row is a header when one of its cells is not a number.
  CsvHeader header = CsvHeader::detect;
  /// Shape of the features of a row (e.g. {1, 8, 8} for the digits); default {features, 1, 1}.
  std::optional<Shape> sample_shape;
  /// 0: one more than the largest label. Otherwise a larger label is an error.
  int num_classes = 0;
};

/// `path` is a CSV file (all of it becomes train; test stays empty) or a directory holding
/// train.csv and test.csv (each optionally .gz). Both parts get the same number of classes.
/// Throws InputError naming file:line:column for a non-numeric cell, a label that is not a
/// class index or is out of range; file:line for a row with the wrong number of cells; the file
/// for a missing file, no data rows or an unknown label column.
TrainTest read_csv_dataset(const std::filesystem::path& path, const CsvOptions& options = {});

}  // namespace codse::nn
