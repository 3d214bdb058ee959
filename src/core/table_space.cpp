#include "core/table_space.hpp"

#include <fnmatch.h>

#include <charconv>
#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>
#include <set>
#include <string_view>
#include <unordered_map>

#include <fmt/format.h>

#include "core/csv_reader.hpp"
#include "core/error.hpp"

namespace codse {
namespace {

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  while (true) {
    const auto comma = line.find(',', start);
    fields.push_back(trim(line.substr(start, comma - start)));
    if (comma == std::string_view::npos) return fields;
    start = comma + 1;
  }
}

bool parse_number(std::string_view text, double& value) {
  if (text.empty()) return false;
  if (text.front() == '+') text.remove_prefix(1);
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size() && std::isfinite(value);
}

std::string join(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

/// Columns selected by a comma list of names or shell globs, in file order.
std::vector<std::size_t> select_columns(const std::filesystem::path& path,
                                        const std::vector<std::string>& header,
                                        const std::string& selector) {
  std::set<std::size_t> chosen;
  for (auto pattern : split_fields(selector)) {
    if (pattern.empty()) continue;
    const std::string glob(pattern);
    bool matched = false;
    for (std::size_t c = 0; c < header.size(); ++c)
      if (fnmatch(glob.c_str(), header[c].c_str(), 0) == 0) {
        chosen.insert(c);
        matched = true;
      }
    if (!matched)
      throw InputError(fmt::format("{}: knob selector '{}' matches no column (columns: {})",
                                   path.string(), glob, join(header)));
  }
  if (chosen.empty())
    throw InputError(fmt::format("{}: the knob selector '{}' is empty", path.string(), selector));
  return {chosen.begin(), chosen.end()};
}

}  // namespace

TableSpace TableSpace::load(const std::filesystem::path& path, const std::string& knob_selector) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot open the table (no such file or unreadable)", path.string()));
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};

  TableSpace table;
  table.path_ = path;
  CsvReader reader(text, path.string());
  CsvRow row;
  if (!reader.next(row)) throw InputError(fmt::format("{}: empty table (no header line)", path.string()));
  const std::vector<std::string> header = row.fields;
  // Every column is looked up by name: a name given twice (or none) would leave one column out
  // or fail later without the file (a knob given twice made "space: knob knob_a appears twice").
  std::unordered_map<std::string, std::size_t> column_of;
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (header[c].empty())
      throw InputError(fmt::format("{}:1:{}: column {} of the header has no name", path.string(), c + 1, c + 1));
    const auto [known, inserted] = column_of.emplace(header[c], c);
    if (!inserted)
      throw InputError(fmt::format("{}:1: column '{}' appears twice in the header (columns {} and {})",
                                   path.string(), header[c], known->second + 1, c + 1));
  }

  const auto knob_columns = select_columns(path, header, knob_selector);
  std::vector<bool> is_knob(header.size(), false);
  for (auto c : knob_columns) is_knob[c] = true;
  std::vector<std::size_t> metric_of(header.size(), 0);
  for (std::size_t c = 0; c < header.size(); ++c)
    if (!is_knob[c]) {
      metric_of[c] = table.metric_names_.size();
      table.metric_names_.push_back(header[c]);
    }
  table.metric_columns_.resize(table.metric_names_.size());
  table.first_bad_line_.assign(table.metric_names_.size(), 0);

  std::vector<std::set<double>> knob_values(knob_columns.size());
  std::unordered_map<Design, std::size_t, DesignKeyHash> line_of;
  while (reader.next(row)) {
    const std::size_t line_number = row.line;
    const auto& fields = row.fields;
    if (fields.size() != header.size())
      throw InputError(fmt::format("{}:{}: {} fields, the header has {}", path.string(), line_number,
                                   fields.size(), header.size()));
    Design design;
    for (std::size_t k = 0; k < knob_columns.size(); ++k) {
      const auto c = knob_columns[k];
      double value = 0.0;
      if (!parse_number(fields[c], value))
        throw InputError(fmt::format("{}:{}:{}: column '{}': '{}' is not a finite number", path.string(),
                                     line_number, c + 1, header[c], fields[c]));
      design.values.push_back(value);
      knob_values[k].insert(value);
    }
    for (std::size_t c = 0; c < header.size(); ++c) {
      if (is_knob[c]) continue;
      double value = std::numeric_limits<double>::quiet_NaN();
      const auto m = metric_of[c];
      if (!parse_number(fields[c], value) && table.first_bad_line_[m] == 0)
        table.first_bad_line_[m] = line_number;
      table.metric_columns_[m].push_back(value);
    }
    const auto [known, inserted] = line_of.emplace(design, line_number);
    if (!inserted)
      throw InputError(fmt::format("{}:{}: duplicate design: its knob values equal those of line {}",
                                   path.string(), line_number, known->second));
    table.row_of_.emplace(design, table.designs_.size());
    table.designs_.push_back(std::move(design));
  }
  if (table.designs_.empty())
    throw InputError(fmt::format("{}: empty table (a header and no data rows)", path.string()));

  std::vector<Knob> knobs;
  for (std::size_t k = 0; k < knob_columns.size(); ++k)
    knobs.push_back(Knob::choice(header[knob_columns[k]], {knob_values[k].begin(), knob_values[k].end()}));
  try {
    table.space_ = Space(std::move(knobs));
  } catch (const InputError& error) {
    throw InputError(fmt::format("{}: {}", path.string(), error.what()));
  }
  return table;
}

void TableSpace::require_numeric(const std::string& metric) const {
  for (std::size_t m = 0; m < metric_names_.size(); ++m) {
    if (metric_names_[m] != metric) continue;
    if (first_bad_line_[m] != 0)
      throw InputError(fmt::format("{}:{}: column {} is not a number on this line", path_.string(),
                                   first_bad_line_[m], metric));
    return;
  }
  throw InputError(fmt::format("{}: no metric column named {} (columns: {})", path_.string(), metric,
                               join(metric_names_)));
}

const std::vector<double>& TableSpace::column(const std::string& metric) const {
  for (std::size_t m = 0; m < metric_names_.size(); ++m)
    if (metric_names_[m] == metric) return metric_columns_[m];
  throw InputError(fmt::format("{}: no metric column named {} (columns: {})", path_.string(), metric,
                               join(metric_names_)));
}

Metrics TableSpace::metrics(std::size_t row) const {
  Metrics metrics;
  metrics.fidelity = Fidelity::table;
  for (std::size_t m = 0; m < metric_names_.size(); ++m)
    if (const double value = metric_columns_[m][row]; !std::isnan(value))
      metrics.values.emplace(metric_names_[m], value);
  return metrics;
}

std::optional<std::size_t> TableSpace::find(const Design& design) const {
  const auto it = row_of_.find(design);
  if (it == row_of_.end()) return std::nullopt;
  return it->second;
}

}  // namespace codse
