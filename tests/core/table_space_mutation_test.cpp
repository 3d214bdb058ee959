// Property test of the CSV table reader (issue 17): mutated design tables (the repository's own and
// the first rows of shared benchmark tables of two other tool flows) either load into a space whose
// rows are all found again, or are refused with an InputError. See support/parser_mutation.hpp.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/table_space.hpp"
#include "support/parser_mutation.hpp"
#include "support/temp_dir.hpp"

namespace codse {
namespace {

namespace fs = std::filesystem;
using codse::testing::check_mutants;
using codse::testing::mutation_count;

/// The header and the first `rows` rows of a CSV file; empty when it is absent.
std::string head(const fs::path& path, int rows) {
  std::ifstream in(path);
  std::string text, line;
  for (int i = 0; i <= rows && std::getline(in, line); ++i) text += line + "\n";
  return text;
}

TEST(TableSpaceMutation, IsLoadedOrRefusedWithAMessage) {
  const codse::testing::TempDir dir;
  const fs::path shared(CODSE_SHARED_DATA_DIR);
  std::vector<std::pair<std::string, std::string>> seeds = {
      {"mlp_folding.csv", head(fs::path(CODSE_SOURCE_DIR) / "examples" / "tables" / "mlp_folding.csv", 40)},
      // Quoted fields, CRLF line ends and a byte-order mark, as spreadsheets write them.
      {"quoted.csv", "\xef\xbb\xbf" "knob_a,knob_b,\"lut, total\",fmax\r\n1,2,300,\"101.5\"\r\n1,4,420,99\r\n2,2,380,97.25\r\n"}};
  for (const char* table : {"hls-dse/vivado_histogram.csv", "hw-dse-extra/aladdin_gemm.csv"}) {
    const std::string text = head(shared / table, 30);
    if (!text.empty()) seeds.emplace_back(fs::path(table).filename().string(), text);
  }
  const int count = mutation_count(1000);
  std::uint64_t seed = 5001;
  codse::testing::MutationTally all;
  const fs::path file = dir / "mutant.csv";
  for (const auto& [name, text] : seeds) {
    std::ofstream(file, std::ios::trunc | std::ios::binary) << text;
    ASSERT_NO_THROW(TableSpace::load(file, "knob_*")) << name;
    all += check_mutants(name, text, seed++, count, [&](const std::string& mutant) {
      std::ofstream(file, std::ios::trunc | std::ios::binary) << mutant;
      const TableSpace space = TableSpace::load(file, "knob_*");
      for (const auto& metric : space.metric_names()) {
        space.column(metric);
        space.require_numeric(metric);  // may refuse, naming the line
      }
      for (std::size_t row = 0; row < space.size(); ++row)
        if (space.find(space.designs()[row]) != row) ADD_FAILURE() << name << ": row " << row << " is not found again";
    });
  }
  codse::testing::print_tally("CSV table", all);
  EXPECT_GT(all.refused, all.total() / 4);
}

}  // namespace
}  // namespace codse
