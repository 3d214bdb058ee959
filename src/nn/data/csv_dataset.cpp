#include "nn/data/csv_dataset.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "core/csv_reader.hpp"
#include "core/error.hpp"
#include "nn/data/gzip_file.hpp"

namespace codse::nn {
namespace {

/// The largest class index a table may use; a larger "label" is surely a feature column.
constexpr double kMaxLabel = 1 << 20;

bool parse_float(std::string_view text, float& value) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size() && std::isfinite(value);
}

bool is_number(std::string_view text) {
  float ignored = 0;
  return parse_float(text, ignored);
}

std::string lower(std::string_view text) {
  std::string result(text);
  for (auto& c : result) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return result;
}

/// One CSV file's rows, before the number of classes is known.
struct Table {
  std::filesystem::path path;
  std::vector<std::string> header;  // empty when the file has none
  std::size_t columns = 0;
  std::size_t label_column = 0;
  std::vector<float> features;
  std::vector<int> labels;
  std::vector<std::size_t> label_lines;  // file line of each label, for range errors
};

std::string column_list(const std::vector<std::string>& header) {
  std::string text;
  for (const auto& name : header) text += (text.empty() ? "" : ", ") + name;
  return text;
}

std::optional<long> parse_index(const std::string& text) {
  long value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::size_t find_label_column(const Table& table, const CsvOptions& options) {
  const auto& header = table.header;
  if (options.label_column.empty()) {
    for (std::size_t c = 0; c < header.size(); ++c)
      if (lower(header[c]) == "label" || lower(header[c]) == "target") return c;
    if (header.empty()) return table.columns - 1;
    throw InputError(
        fmt::format("{}: no column named 'label' or 'target' (columns: {}); name the label "
                    "column explicitly",
                    table.path.string(), column_list(header)));
  }
  const auto named = std::find(header.begin(), header.end(), options.label_column);
  if (named != header.end()) return static_cast<std::size_t>(named - header.begin());
  const auto columns = static_cast<long>(table.columns);
  if (const auto index = parse_index(options.label_column)) {
    const long resolved = *index < 0 ? columns + *index : *index;
    if (resolved >= 0 && resolved < columns) return static_cast<std::size_t>(resolved);
    throw InputError(
        fmt::format("{}: label column {} is out of range; the table has {} columns (0..{}, or "
                    "-1 for the last)",
                    table.path.string(), *index, columns, columns - 1));
  }
  throw InputError(fmt::format("{}: no column named '{}'{}", table.path.string(), options.label_column,
                               header.empty() ? " (the file has no header; give a 0-based column index)"
                                              : fmt::format(" (columns: {})", column_list(header))));
}

std::string cell_place(const Table& table, std::size_t line, std::size_t column) {
  auto place = fmt::format("{}:{}:{}", table.path.string(), line, column + 1);
  if (!table.header.empty()) place += fmt::format(" (column '{}')", table.header[column]);
  return place;
}

int parse_label(const Table& table, const CsvRow& row, std::size_t column, std::string_view cell) {
  float value = 0;
  if (!parse_float(cell, value) || value < 0 || value > kMaxLabel || value != std::floor(value))
    throw InputError(fmt::format("{}: label '{}' is not a class index; expected an integer 0, 1, 2, ...",
                                 cell_place(table, row.line, column), cell));
  return static_cast<int>(value);
}

void read_row(Table& table, const CsvRow& row, std::size_t feature_count) {
  const auto& cells = row.fields;
  if (cells.size() != table.columns)
    throw InputError(fmt::format("{}:{}: {} cells; expected {} as in the {}", table.path.string(), row.line,
                                 cells.size(), table.columns, table.header.empty() ? "first row" : "header"));
  const auto first_feature = table.features.size();
  table.features.resize(first_feature + feature_count);
  auto out = table.features.begin() + static_cast<std::ptrdiff_t>(first_feature);
  for (std::size_t c = 0; c < cells.size(); ++c) {
    if (c == table.label_column) {
      table.labels.push_back(parse_label(table, row, c, cells[c]));
      table.label_lines.push_back(row.line);
      continue;
    }
    if (!parse_float(cells[c], *out))
      throw InputError(fmt::format("{}: '{}' is not a number; expected a numeric feature",
                                   cell_place(table, row.line, c), cells[c]));
    ++out;
  }
}

Table read_table(const std::filesystem::path& path, const CsvOptions& options) {
  const auto bytes = read_maybe_gzipped(path);
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  CsvReader reader(text, path.string());
  CsvRow first;
  Table table;
  table.path = path;
  if (!reader.next(first))
    throw InputError(fmt::format("{}: empty; expected a CSV table with a label column", path.string()));

  table.columns = first.fields.size();
  const bool has_header = options.header == CsvHeader::present ||
                          (options.header == CsvHeader::detect &&
                           !std::all_of(first.fields.begin(), first.fields.end(), is_number));
  if (has_header) table.header = first.fields;
  if (table.columns < 2)
    throw InputError(fmt::format("{}:{}: {} column; expected a label column and at least one feature column",
                                 path.string(), first.line, table.columns));
  table.label_column = find_label_column(table, options);

  // Rows are about as many as line breaks: reserving avoids regrowing 60,000 MNIST-size rows.
  const auto lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
  table.features.reserve(lines * (table.columns - 1));
  table.labels.reserve(lines);
  if (!has_header) read_row(table, first, table.columns - 1);
  for (CsvRow row; reader.next(row);) read_row(table, row, table.columns - 1);
  if (table.labels.empty()) throw InputError(fmt::format("{}: no data rows after the header", path.string()));
  return table;
}

Shape feature_shape(const Table& table, const CsvOptions& options) {
  const auto features = static_cast<std::int64_t>(table.columns - 1);
  if (!options.sample_shape) return Shape{static_cast<int>(features), 1, 1};
  const Shape shape = *options.sample_shape;
  if (shape.size() != features)
    throw InputError(fmt::format("{}: {} feature columns do not fill a sample of {}x{}x{} ({} values)",
                                 table.path.string(), features, shape.channels, shape.height, shape.width,
                                 shape.size()));
  return shape;
}

int count_classes(const std::vector<const Table*>& tables, const CsvOptions& options) {
  int largest = 0;
  for (const auto* table : tables)
    for (std::size_t i = 0; i < table->labels.size(); ++i) {
      const int label = table->labels[i];
      if (options.num_classes > 0 && label >= options.num_classes)
        throw InputError(fmt::format("{}: label {} is out of range; expected 0..{}",
                                     cell_place(*table, table->label_lines[i], table->label_column), label,
                                     options.num_classes - 1));
      largest = std::max(largest, label);
    }
  return options.num_classes > 0 ? options.num_classes : largest + 1;
}

Dataset to_dataset(Table&& table, Shape shape, int num_classes) {
  return Dataset(shape, num_classes, std::move(table.features), std::move(table.labels));
}

}  // namespace

TrainTest read_csv_dataset(const std::filesystem::path& path, const CsvOptions& options) {
  std::error_code error;
  if (!std::filesystem::is_directory(path, error)) {
    Table train = read_table(path, options);
    const Shape shape = feature_shape(train, options);
    const int classes = count_classes({&train}, options);
    return {to_dataset(std::move(train), shape, classes), Dataset(shape, classes, {}, {})};
  }
  constexpr std::array<const char*, 1> train_name{"train.csv"};
  constexpr std::array<const char*, 1> test_name{"test.csv"};
  const auto train_path = find_data_file(path, train_name);
  const auto test_path = find_data_file(path, test_name);
  if (train_path.empty() || test_path.empty())
    throw InputError(fmt::format(
        "{}: no {}.csv or {}.csv.gz; a CSV dataset directory holds train.csv and test.csv", path.string(),
        train_path.empty() ? "train" : "test", train_path.empty() ? "train" : "test"));
  Table train = read_table(train_path, options);
  Table test = read_table(test_path, options);
  if (test.columns != train.columns || test.label_column != train.label_column)
    throw InputError(fmt::format("{}: {} columns with the label in column {}; expected {} and {} as in {}",
                                 test_path.string(), test.columns, test.label_column + 1, train.columns,
                                 train.label_column + 1, train_path.string()));
  const Shape shape = feature_shape(train, options);
  const int classes = count_classes({&train, &test}, options);
  return {to_dataset(std::move(train), shape, classes), to_dataset(std::move(test), shape, classes)};
}

}  // namespace codse::nn
