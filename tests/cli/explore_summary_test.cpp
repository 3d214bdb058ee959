// What `codse explore` prints when piped (issue 16): progress lines (not nothing until the end),
// and a summary of at most 20 lines that says where the results are and what to run next; the
// whole front only with --verbose.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "cli/run_codse.hpp"
#include "support/temp_dir.hpp"

namespace codse {
namespace {

using testing::run_codse;
using testing::TempDir;

const std::string config = std::string(CODSE_SOURCE_DIR) + "/tests/cli/bad_inputs/explore_ok.yaml";

TEST(ExploreSummary, PipedRunShowsProgressAndEndsInAtMostTwentyLines) {
  TempDir dir;
  const auto db = (dir / "s.sqlite").string();
  const auto result = run_codse("explore " + config + " --db " + db);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("explore: 2/2 (100%)"), std::string::npos) << "no progress line when piped\n" << result.output;
  const auto summary = result.output.find("explored:");
  ASSERT_NE(summary, std::string::npos) << result.output;
  const auto lines = std::count(result.output.begin() + static_cast<std::ptrdiff_t>(summary), result.output.end(), '\n');
  EXPECT_LE(lines, 20) << result.output;
  EXPECT_NE(result.output.find("store:     " + db), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("artifacts: " + (dir / "s.artifacts").string()), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("next:      codse report " + db), std::string::npos) << result.output;
  EXPECT_EQ(result.output.find("change\n"), std::string::npos) << "the front table is for --verbose";
  // The front's held-out test error, measured once at the end, beside the validation error.
  EXPECT_NE(result.output.find("test:      error "), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("; test_error "), std::string::npos) << "the best designs' lines\n" << result.output;

  const auto verbose = run_codse("explore " + config + " --db " + db + " --resume --verbose");
  ASSERT_EQ(verbose.exit_code, 0) << verbose.output;
  EXPECT_NE(verbose.output.find("change\n"), std::string::npos) << verbose.output;
  EXPECT_NE(verbose.output.find(" test_error "), std::string::npos) << "a column of the front table\n" << verbose.output;
  EXPECT_NE(verbose.output.find("0 networks trained, 2 replayed"), std::string::npos) << verbose.output;

  const auto quiet = run_codse("explore " + config + " --db " + (dir / "q.sqlite").string() + " --quiet");
  ASSERT_EQ(quiet.exit_code, 0) << quiet.output;
  EXPECT_EQ(quiet.output.find("explore: 2/2"), std::string::npos) << quiet.output;
  EXPECT_NE(quiet.output.find("explored:"), std::string::npos) << quiet.output;
}

}  // namespace
}  // namespace codse
