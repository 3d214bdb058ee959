#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/run_codse.hpp"
#include "explore/explore_test_support.hpp"
#include "support/temp_dir.hpp"

namespace codse {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;

TEST(ExploreDryRun, PrintsThePlanAndCreatesNoStore) {
  testing::TempDir dir;
  const auto config = testing::write_file(dir / "tiny.yaml", testing::digits_config(5));
  const auto db = dir / "s.sqlite";
  const auto result = testing::run_codse("explore " + config.string() + " --db " + db.string() + " --dry-run --workers 2");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_THAT(result.output, HasSubstr("dry run of tiny"));
  EXPECT_THAT(result.output, HasSubstr("networks:    5 (budget.networks): 1 starting, then batches of 2"));
  EXPECT_THAT(result.output, HasSubstr("trials:      at most 15 (5 networks x 3 mappings per network x 1 devices)"));
  EXPECT_THAT(result.output, HasSubstr("workers:     2 worker processes"));
  EXPECT_THAT(result.output, ContainsRegex("calibration: starting network digits_mlp_w4a4.json: 3 epochs, trained and "
                                           "mapped in [0-9.]+ s \\(3 trials\\)"));
  // 1 start, then 4 children in 2 batches of 2 on 2 workers: 3 rounds; children 1.5 epochs against 3.
  EXPECT_THAT(result.output, ContainsRegex("estimate: +[0-9.]+ s wall: 3 network times one after the other, "
                                           "children at [0-9.]+ s \\(1.5 epochs on average"));
  EXPECT_THAT(result.output, HasSubstr("budget:      no budget.minutes"));
  EXPECT_FALSE(std::filesystem::exists(db));
  EXPECT_FALSE(std::filesystem::exists(dir / "s.artifacts"));
}

TEST(ExploreDryRun, TheWallTimeBudgetIsNamed) {
  testing::TempDir dir;
  auto text = testing::digits_config(4);
  text.replace(text.find("budget: {networks: 4}"), 21, "budget: {networks: 4, minutes: 30}");
  const auto config = testing::write_file(dir / "tiny.yaml", text);
  const auto result = testing::run_codse("explore " + config.string() + " --db " + (dir / "s.sqlite").string() +
                                         " --dry-run");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_THAT(result.output, HasSubstr("workers:     this process"));
  EXPECT_THAT(result.output, HasSubstr("budget:      budget.minutes 30 caps the run; the estimate is within it"));
  EXPECT_FALSE(std::filesystem::exists(dir / "s.sqlite"));
}

}  // namespace
}  // namespace codse
