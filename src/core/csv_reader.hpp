#pragma once
// The one CSV reader of codse (design tables, datasets), RFC 4180 as spreadsheets and pandas
// write it: fields separated by commas, rows by LF or CRLF; a field in double quotes may hold
// commas, line breaks and "" for a quote; a UTF-8 byte-order mark before the header is skipped.
// Spaces and tabs around a field are dropped (tables written by hand align their columns). Blank
// rows are skipped. Rows carry the line they start on, so every message can name file:line:column.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace codse {

struct CsvRow {
  std::size_t line = 0;             ///< 1-based line of the row's first character
  std::vector<std::string> fields;  ///< unquoted, unescaped
};

class CsvReader {
 public:
  /// Reads text (kept by the caller) and names it `source` in messages.
  CsvReader(std::string_view text, std::string source);

  /// Reads the next non-blank row into row (reusing its storage); false after the last row.
  /// Throws InputError "source:line:column: ..." for a quoted field that never ends or text after
  /// the closing quote of a field.
  bool next(CsvRow& row);

 private:
  void read_quoted(std::string& field);
  void read_plain(std::string& field);
  [[noreturn]] void fail(std::size_t line, std::size_t column, const std::string& what) const;
  std::size_t column() const { return position_ - line_start_ + 1; }

  std::string_view text_;
  std::string source_;
  std::size_t position_ = 0;
  std::size_t line_ = 1;
  std::size_t line_start_ = 0;  ///< offset of the current line's first character
};

}  // namespace codse
