// Property test of the explore config reader (issue 17): mutated example configs either parse into
// a config whose stored identity reads back as itself, or are refused with an InputError. See
// support/parser_mutation.hpp.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "explore/explore_config.hpp"
#include "support/parser_mutation.hpp"

namespace codse::explore {
namespace {

namespace fs = std::filesystem;
using codse::testing::check_mutants;
using codse::testing::mutation_count;

TEST(ExploreConfigMutation, IsParsedOrRefusedWithAMessage) {
  const fs::path examples = fs::path(CODSE_SOURCE_DIR) / "examples";
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(examples))
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  const int count = mutation_count(1000);
  std::uint64_t seed = 6001;
  codse::testing::MutationTally all;
  for (const auto& file : files) {
    const std::string text = codse::testing::read_text_file(file);
    ASSERT_NO_THROW(parse_explore_config(text, file)) << file;
    all += check_mutants(file.filename().string(), text, seed++, count, [&](const std::string& mutant) {
      const ExploreConfig config = parse_explore_config(mutant, file);
      const auto identity = config.identity();
      if (config.upgrade_identity(identity) != identity)
        ADD_FAILURE() << file << ": an accepted config's identity does not read back as itself";
    });
  }
  codse::testing::print_tally("explore config", all);
  EXPECT_GT(all.refused, all.total() / 2);
}

}  // namespace
}  // namespace codse::explore
