#include "store/config_diff.hpp"

#include <gtest/gtest.h>

namespace codse {
namespace {

using Lines = std::vector<std::string>;

TEST(ConfigDifferences, EqualConfigsHaveNone) {
  const nlohmann::json config{{"budget", 10}, {"explorer", {{"population", 20}}}};
  EXPECT_TRUE(config_differences(config, config).empty());
}

TEST(ConfigDifferences, NamesChangedAddedAndRemovedFields) {
  const nlohmann::json stored{{"budget", 10}, {"seed", 1}, {"explorer", {{"population", 20}}}};
  const nlohmann::json given{{"budget", 10}, {"batch", 4}, {"explorer", {{"population", 40}}}};
  EXPECT_EQ(config_differences(stored, given),
            (Lines{"batch: not stored, given 4", "explorer.population: stored 20, given 40",
                   "seed: stored 1, not given"}));
}

TEST(ConfigDifferences, NamesArrayElements) {
  const nlohmann::json stored{{"objectives", {"obj1:min", "obj2:min"}}};
  const nlohmann::json given{{"objectives", {"obj1:min", "obj2:max", "lut:min"}}};
  EXPECT_EQ(config_differences(stored, given),
            (Lines{"objectives.1: stored \"obj2:min\", given \"obj2:max\"",
                   "objectives: not stored, given an extra element \"lut:min\""}));
}

TEST(ConfigDifferences, ShortensLongValues) {
  const nlohmann::json stored{{"table", std::string(500, 'a')}};
  const nlohmann::json given{{"table", "b"}};
  const auto lines = config_differences(stored, given);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_LT(lines[0].size(), 120u);
}

}  // namespace
}  // namespace codse
