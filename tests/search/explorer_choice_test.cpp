// `--algo auto`'s rule (search/explorer_choice.hpp).

#include <gtest/gtest.h>

#include "search/explorer_choice.hpp"
#include "search/explorer_registry.hpp"

namespace codse {
namespace {

TEST(ExplorerChoice, SmallBudgetsGetEpalLargerOnesAtne) {
  EXPECT_EQ(choose_explorer(224, 22).explorer, "epal");   // chstone_chenidct at 10%
  EXPECT_EQ(choose_explorer(640, 64).explorer, "epal");   // chstone_adpcm at 10%
  EXPECT_EQ(choose_explorer(10799, 99).explorer, "epal");
  EXPECT_EQ(choose_explorer(2016, 100).explorer, "atne");  // huffman_space1 at 5%
  EXPECT_EQ(choose_explorer(10799, 1079).explorer, "atne");
}

TEST(ExplorerChoice, PicksARegisteredExplorerAndSaysWhy) {
  for (const std::size_t budget : {1u, 50u, 100u, 5000u}) {
    const auto choice = choose_explorer(10000, budget);
    EXPECT_NE(find_explorer(choice.explorer), nullptr) << choice.explorer;
    EXPECT_NE(choice.reason.find(std::to_string(budget)), std::string::npos) << choice.reason;
  }
}

}  // namespace
}  // namespace codse
