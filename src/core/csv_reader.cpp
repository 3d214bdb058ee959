#include "core/csv_reader.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace codse {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }

}  // namespace

CsvReader::CsvReader(std::string_view text, std::string source) : text_(text), source_(std::move(source)) {
  if (text_.starts_with("\xef\xbb\xbf")) position_ = line_start_ = 3;
}

void CsvReader::fail(std::size_t line, std::size_t column, const std::string& what) const {
  throw InputError(fmt::format("{}:{}:{}: {}", source_, line, column, what));
}

void CsvReader::read_quoted(std::string& field) {
  const std::size_t open_line = line_, open_column = column();
  ++position_;  // the opening quote
  while (true) {
    if (position_ >= text_.size()) fail(open_line, open_column, "a quoted field is never closed (a '\"' is missing)");
    const char c = text_[position_++];
    if (c == '"') {
      if (position_ < text_.size() && text_[position_] == '"') {
        field += '"';
        ++position_;
        continue;
      }
      break;
    }
    if (c == '\n') {
      ++line_;
      line_start_ = position_;
    }
    field += c;
  }
  while (position_ < text_.size() && is_blank(text_[position_])) ++position_;
  if (position_ < text_.size() && text_[position_] != ',' && text_[position_] != '\n' && text_[position_] != '\r')
    fail(line_, column(), "text after the closing quote of a field (expected ',' or the end of the row)");
}

void CsvReader::read_plain(std::string& field) {
  const std::size_t start = position_;
  while (position_ < text_.size() && text_[position_] != ',' && text_[position_] != '\n') ++position_;
  std::string_view raw = text_.substr(start, position_ - start);
  while (!raw.empty() && (is_blank(raw.back()) || raw.back() == '\r')) raw.remove_suffix(1);
  field.assign(raw);
}

bool CsvReader::next(CsvRow& row) {
  while (position_ < text_.size()) {
    row.line = line_;
    std::size_t count = 0;
    bool quoted_any = false;
    while (true) {
      while (position_ < text_.size() && is_blank(text_[position_])) ++position_;
      if (count == row.fields.size()) row.fields.emplace_back();
      std::string& field = row.fields[count++];
      field.clear();
      if (position_ < text_.size() && text_[position_] == '"') {
        quoted_any = true;
        read_quoted(field);
        while (position_ < text_.size() && text_[position_] == '\r') ++position_;
      } else {
        read_plain(field);
      }
      if (position_ < text_.size() && text_[position_] == ',') {
        ++position_;
        continue;
      }
      break;  // end of the row: '\n' or the end of the text
    }
    if (position_ < text_.size()) {  // the '\n'
      ++position_;
      ++line_;
      line_start_ = position_;
    }
    row.fields.resize(count);
    if (count == 1 && !quoted_any && row.fields.front().empty()) continue;  // a blank row
    return true;
  }
  return false;
}

}  // namespace codse
