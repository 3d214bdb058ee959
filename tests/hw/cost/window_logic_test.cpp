// The counts of codse_swu's and codse_maxpool's logic, worked by hand from the RTL's localparams.
#include <gtest/gtest.h>

#include "hw/cost/memory_cost.hpp"
#include "hw/cost/window_logic.hpp"
#include "hw/hw_test_support.hpp"

namespace codse::hw {
namespace {

TEST(WindowLogic, CountsFollowTheRtlsLocalparams) {
  // 32 channels of 4 bits on a 14 x 14 frame, 3 x 3 windows padded by 1, 8 lanes: FOLD 4, FRAME
  // 784 words, AW = clog2(1569) = 11; counters: 11 + cg 2 + kx, ky 2 each + ox, oy 4 each = 25.
  // Address: AW x (ones(14) = 3 + ones(4) = 1) + (YW + XW) x ones(1), YW = XW = clog2(17) = 5.
  const WindowCounts padded = window_counts({32, 14, 14, 3, 1, 1, 14, 14, 8, 4});
  EXPECT_EQ(padded.counters, 25);
  EXPECT_EQ(padded.address, 11 * 4 + 10);
  EXPECT_EQ(padded.padding, 32) << "a padded window selects zero per element bit";
  EXPECT_EQ(padded.flip_flops, 25 + 4);
  // Without padding every window stays inside the frame, and the select is optimised away.
  EXPECT_EQ(window_counts({32, 14, 14, 3, 1, 0, 12, 12, 8, 4}).padding, 0);
  // A 2 x 2 pool over 13 x 13 pixels overhangs: its last windows read the minimum.
  EXPECT_EQ(window_counts({8, 13, 13, 2, 2, 0, 7, 7, 8, 2}).padding, 16);
  // Lanes that do not divide the channels fall back to one lane, as the RTL plan does.
  EXPECT_EQ(window_counts({6, 4, 4, 3, 1, 0, 2, 2, 4, 2}).counters, window_counts({6, 4, 4, 3, 1, 0, 2, 2, 1, 2}).counters);

  const WindowCounts max_unit = max_unit_counts(8, 4, 4, 16);
  EXPECT_EQ(max_unit.compare, 32);
  EXPECT_EQ(max_unit.counters, 4 + 2);
  EXPECT_EQ(max_unit.flip_flops, 6 + 32 + 1);
}

TEST(WindowLogic, TheRunningMaximumIsRegistersForOneGroupAndAMemoryForMore) {
  const Device& xc7 = testing::builtin_device("XC7Z020");
  EXPECT_EQ(max_unit_memory(xc7, 8, 4, 1).ff, 32);
  EXPECT_EQ(max_unit_memory(xc7, 8, 4, 1).lut, 0);
  const Resources groups = max_unit_memory(xc7, 8, 4, 16);
  EXPECT_EQ(groups.lut, inferred_buffer_memory(xc7, 16, 32).lut);
  EXPECT_GT(groups.lutram, 0) << "16 x 32 bits is LUTRAM on xc7";
  EXPECT_GT(max_unit_memory(testing::builtin_device("iCE40UP5K"), 8, 4, 256).bram18, 0) << "EBR on iCE40";
}

TEST(WindowLogic, LutsScaleWithTheCountsAndTheFabricsLutSize) {
  const WindowCounts counts = window_counts({32, 14, 14, 3, 1, 1, 14, 14, 8, 4});
  const Resources lut6 = window_logic_cost(testing::builtin_device("XC7Z020"), counts);
  const Resources lut4 = window_logic_cost(testing::builtin_device("iCE40UP5K"), counts);
  // Yosys 0.23 built this window in 121 LUTs besides its block RAM frames (bench/hw/window_units.py).
  EXPECT_NEAR(lut6.lut, 121, 121 * 0.25);
  EXPECT_GT(lut4.lut, lut6.lut) << "4-input LUTs take more of them";
  EXPECT_EQ(lut6.ff, counts.flip_flops);
}

}  // namespace
}  // namespace codse::hw
