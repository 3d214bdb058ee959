#include "explore/random_mappings.hpp"

#include <set>

#include <gtest/gtest.h>

#include "hw/model/device_catalog.hpp"
#include "hw/templates/mapping_file.hpp"
#include "nn/ir/network_io.hpp"

namespace codse::explore {
namespace {

TEST(RandomMappings, DrawsDistinctFeasibleMappingsOfTheSpace) {
  const auto network =
      nn::load_network(std::filesystem::path(CODSE_SOURCE_DIR) / "examples/networks/mnist_mlp_w4a4.json");
  const auto device = hw::DeviceCatalog::builtin().find("XC7Z020");
  const auto points = random_mappings(network, device, {}, {hw::SpaceOptions{}}, {MetricBound::parse("fps>=100")}, true,
                                      12, 5);
  ASSERT_EQ(points.size(), 12u);
  std::set<std::string> mappings;
  double lo = 1e300, hi = 0.0;
  for (const auto& p : points) {
    EXPECT_TRUE(p.estimate.fits);
    EXPECT_LE(p.estimate.total.lut, static_cast<double>(device.lut));
    EXPECT_GE(p.estimate.fps, 100.0);
    EXPECT_TRUE(mappings.insert(hw::mapping_json_text(p.mapping)).second);
    lo = std::min(lo, p.estimate.total.lut), hi = std::max(hi, p.estimate.total.lut);
  }
  EXPECT_GT(hi / lo, 1.2) << "random foldings differ in cost";
  // Deterministic in the seed.
  const auto again = random_mappings(network, device, {}, {hw::SpaceOptions{}}, {}, true, 3, 5);
  const auto other = random_mappings(network, device, {}, {hw::SpaceOptions{}}, {}, true, 3, 6);
  EXPECT_EQ(hw::mapping_json_text(again[0].mapping), hw::mapping_json_text(random_mappings(network, device, {}, {hw::SpaceOptions{}}, {}, true, 3, 5)[0].mapping));
  EXPECT_NE(hw::mapping_json_text(again[0].mapping), hw::mapping_json_text(other[0].mapping));
}

TEST(RandomMappings, YieldsFewerWhenTheConstraintsExcludeMostOfTheSpace) {
  const auto network =
      nn::load_network(std::filesystem::path(CODSE_SOURCE_DIR) / "examples/networks/mnist_mlp_w4a4.json");
  const auto device = hw::DeviceCatalog::builtin().find("XC7Z020");
  // No folding of this MLP needs under 10 LUTs.
  EXPECT_TRUE(random_mappings(network, device, {}, {hw::SpaceOptions{}}, {MetricBound::parse("lut<=10")}, true, 4, 1).empty());
}

}  // namespace
}  // namespace codse::explore
