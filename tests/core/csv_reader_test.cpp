#include "core/csv_reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error.hpp"

namespace codse {
namespace {

std::vector<CsvRow> read_all(const std::string& text) {
  CsvReader reader(text, "t.csv");
  std::vector<CsvRow> rows;
  for (CsvRow row; reader.next(row);) rows.push_back(row);
  return rows;
}

std::string error_of(const std::string& text) {
  try {
    read_all(text);
  } catch (const InputError& error) {
    return error.what();
  }
  return "no error";
}

TEST(CsvReader, ReadsPlainRowsAndTrimsBlanks) {
  const auto rows = read_all("knob_a, knob_b ,lut\n1,2, 300\n\n  \n3,4,5");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].fields, (std::vector<std::string>{"knob_a", "knob_b", "lut"}));
  EXPECT_EQ(rows[1].fields, (std::vector<std::string>{"1", "2", "300"}));
  EXPECT_EQ(rows[2].line, 5u);  // blank lines 3 and 4 skipped, counted
  EXPECT_EQ(rows[2].fields, (std::vector<std::string>{"3", "4", "5"}));
}

TEST(CsvReader, ReadsQuotedFieldsCrlfAndAByteOrderMark) {
  const auto rows = read_all("\xef\xbb\xbfname,\"lut, total\",note\r\n\"a\",\"1\",\"say \"\"hi\"\"\"\r\nb, \"2\" ,\"two\nlines\"\r\nc,3,\r\n");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].fields, (std::vector<std::string>{"name", "lut, total", "note"}));
  EXPECT_EQ(rows[1].fields, (std::vector<std::string>{"a", "1", "say \"hi\""}));
  EXPECT_EQ(rows[2].fields, (std::vector<std::string>{"b", "2", "two\nlines"}));
  EXPECT_EQ(rows[3].line, 5u);  // the quoted line break moved it down
  EXPECT_EQ(rows[3].fields, (std::vector<std::string>{"c", "3", ""}));
}

TEST(CsvReader, NamesFileLineAndColumnOfBrokenQuotes) {
  EXPECT_EQ(error_of("a,b\n1,\"2\n3,4\n"), "t.csv:2:3: a quoted field is never closed (a '\"' is missing)");
  EXPECT_EQ(error_of("a,b\n1,\"2\"x\n"),
            "t.csv:2:6: text after the closing quote of a field (expected ',' or the end of the row)");
}

}  // namespace
}  // namespace codse
