// `--algo auto`'s rule (search/explorer_choice.hpp).

#include <gtest/gtest.h>

#include "search/explorer_choice.hpp"
#include "search/explorer_registry.hpp"

namespace codse {
namespace {

TEST(ExplorerChoice, TwoObjectivesGetEpalThreeOrBeyondTheMeasuredGpSizeAtne) {
  EXPECT_EQ(choose_explorer(224, 22, 2).explorer, "epal");       // chstone_chenidct at 10%
  EXPECT_EQ(choose_explorer(10799, 1079, 2).explorer, "epal");    // aladdin_gemm at 10%
  EXPECT_EQ(choose_explorer(640, 64, 3).explorer, "atne");        // chstone_adpcm, 3 objectives
  EXPECT_EQ(choose_explorer(200000, 2000, 2).explorer, "epal");   // bench/dse/big_table.sh, measured
  EXPECT_EQ(choose_explorer(200000, 2001, 2).explorer, "atne");   // beyond it
  EXPECT_EQ(choose_explorer(1000000, 1000, 2).explorer, "atne");
}

TEST(ExplorerChoice, PicksARegisteredExplorerAndSaysWhy) {
  for (const std::size_t budget : {1u, 50u, 100u, 5000u}) {
    const auto choice = choose_explorer(10000, budget, 2);
    EXPECT_NE(find_explorer(choice.explorer), nullptr) << choice.explorer;
    EXPECT_NE(choice.reason.find(std::to_string(budget)), std::string::npos) << choice.reason;
  }
}

}  // namespace
}  // namespace codse
