#include <gtest/gtest.h>

#include <random>

#include "core/error.hpp"
#include "hw/templates/folded/finn_folding.hpp"
#include "hw/hw_test_support.hpp"
#include "hw/estimate/mapping_check.hpp"
#include "hw/map/mapping_space.hpp"
#include "hw/templates/folded/folded_cost.hpp"

namespace codse::hw {
namespace {

using testing::builtin_device;
using testing::example_network;

TEST(MappingSpace, KnobsAreDivisorsStoragesAndMultipliers) {
  const Workload workload(example_network("mnist_mlp_w4a4"));
  const MappingSpace space(workload, builtin_device("XC7Z020"));
  // fc1 784 -> 256: 9 PEs x 15 SIMDs; fc2 256 -> 256: 9 x 9; fc3 256 -> 10: 4 x 9. Storage
  // bram, lutram, offchip (the PYNQ-Z1 has DDR); multipliers lut or dsp.
  EXPECT_EQ(space.layers()[0].values("pe"), divisors(256));
  EXPECT_EQ(space.layers()[0].values("simd").size(), 15u);
  EXPECT_EQ(space.layers()[0].storages.size(), 3u);
  EXPECT_DOUBLE_EQ(space.size(), (9.0 * 15 * 6) * (9 * 9 * 6) * (4 * 9 * 6));
  EXPECT_EQ(space.space().knob_index("fc2.simd"), 5u);
  EXPECT_EQ(space.space().knobs().back().name(), "offchip_gbps");
}

TEST(MappingSpace, EveryDesignIsAValidMappingAndEncodesBack) {
  const Workload workload(example_network("cnv_w2a2"));
  const auto& device = builtin_device("XCZU7EV");
  const MappingSpace space(workload, device);
  std::mt19937_64 rng(7);
  for (int i = 0; i < 200; ++i) {
    const auto index = std::uniform_int_distribution<std::size_t>(0, 1'000'000'000)(rng);
    const auto design = space.space().decode(index);
    const auto mapping = space.decode(design);
    EXPECT_EQ(why_invalid(workload, mapping, device), "") << space.space().describe(design);
    EXPECT_EQ(space.encode(mapping), design);
  }
}

TEST(MappingSpace, UnrolledUsesReuseFactors) {
  const Workload workload(example_network("digits_mlp_w2a2"));
  SpaceOptions options;
  options.accelerator = "unrolled";
  const MappingSpace space(workload, builtin_device("XC7Z020"), options);
  // fc1 64 -> 16: divisors of 1024 up to 64; storage logic or bram.
  EXPECT_EQ(space.layers()[0].values("reuse"), (std::vector<int>{1, 2, 4, 8, 16, 32, 64}));
  EXPECT_EQ(space.layers()[0].storages, (std::vector<WeightStorage>{WeightStorage::logic, WeightStorage::bram}));
  const auto mapping = space.decode(space.space().decode(3));
  EXPECT_EQ(mapping.accelerator, "unrolled");
  EXPECT_EQ(why_invalid(workload, mapping, builtin_device("XC7Z020")), "");
}

TEST(MappingSpace, ImpossibleOptionsAreRejected) {
  const Workload workload(example_network("digits_mlp_w2a2"));
  SpaceOptions options;
  options.storages = {WeightStorage::uram};
  EXPECT_THROW(MappingSpace(workload, builtin_device("XC7Z020"), options), InputError);
  options = {};
  options.clocks_mhz = {1000};
  EXPECT_THROW(MappingSpace(workload, builtin_device("XC7Z020"), options), InputError);
}

TEST(FinnFolding, RaisesSimdThenPeUntilTheTargetIsMet) {
  const Workload workload(example_network("lfc_w1a1"));
  const auto& device = builtin_device("XC7Z020");
  FoldingOptions options;
  options.target_cycles = 512;
  const auto mapping = finn_folding(workload, device, options);
  // fc0 784 -> 1024: SIMD 28 is the last divisor with 28 x 1 bit <= 36, then PE 64:
  // 16 x 28 = 448 <= 512. fc1, fc2: SIMD 32, PE 64: 16 x 32 = 512. fc3 1024 -> 10: SIMD 32,
  // PE 1: 10 x 32 = 320.
  const std::vector<std::pair<int, int>> expected{{64, 28}, {64, 32}, {64, 32}, {1, 32}};
  ASSERT_EQ(mapping.layers.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(mapping.layers[i].pe, expected[i].first) << mapping.layers[i].layer;
    EXPECT_EQ(mapping.layers[i].simd, expected[i].second) << mapping.layers[i].layer;
  }
  EXPECT_EQ(why_invalid(workload, mapping, device), "");
}

TEST(FinnFolding, SecondPassBalancesToTheReachableTarget) {
  const Workload workload(example_network("lfc_w1a1"));
  const auto& device = builtin_device("XC7Z020");
  FoldingOptions options;
  options.target_cycles = 10;
  // SIMD stops at 28 (fc0) and 32 (fc1, fc2, fc3) by the 36-bit weight word limit, so even at
  // full PE fc1 needs 1024 / 32 = 32 cycles: the first pass misses the target and the second
  // folds every layer to 32 cycles: fc0 needs PE 1024 (28 cycles; PE 512 gives 56), fc3 PE 10.
  const auto mapping = finn_folding(workload, device, options);
  std::int64_t slowest = 0;
  for (std::size_t i = 0; i < mapping.layers.size(); ++i)
    slowest = std::max(slowest, folded_matrix_vector_cost(workload.weight_unit(i), mapping.layers[i], device, {}).cycles);
  EXPECT_EQ(slowest, 32);
  EXPECT_EQ(mapping.layers[0].pe, 1024);
  EXPECT_EQ(mapping.layers[0].simd, 28);
  EXPECT_EQ(mapping.layers[3].pe, 10);
}

}  // namespace
}  // namespace codse::hw
