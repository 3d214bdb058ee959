#include <gtest/gtest.h>

#include "core/design.hpp"
#include "core/error.hpp"
#include "core/knob.hpp"
#include "core/objective.hpp"
#include "core/space.hpp"

namespace codse {
namespace {

TEST(Knob, DomainsOfEveryKind) {
  EXPECT_EQ(Knob::integer("a", 2, 8, 3).values(), (std::vector<double>{2, 5, 8}));
  EXPECT_EQ(Knob::power_of_two("pe", 1, 16).values(), (std::vector<double>{1, 2, 4, 8, 16}));
  EXPECT_EQ(Knob::choice("c", {4, 1, 4, 2}).values(), (std::vector<double>{1, 2, 4}));
  EXPECT_EQ(Knob::boolean("b").values(), (std::vector<double>{0, 1}));
  const auto storage = Knob::labels("storage", {"bram", "lutram", "offchip"});
  EXPECT_EQ(storage.size(), 3u);
  EXPECT_EQ(storage.format(1), "lutram");
  EXPECT_THROW(Knob::power_of_two("pe", 3, 16), InputError);
  EXPECT_THROW(Knob::integer("a", 5, 1), InputError);
  EXPECT_EQ(Knob::power_of_two("pe", 1, 16).index_of(8), 3u);
  EXPECT_THROW(Knob::power_of_two("pe", 1, 16).index_of(3), InputError);
}

TEST(DesignKey, StableAndDistinct) {
  const Design a{{1, 2, 3}}, b{{1, 2, 4}}, c{{1, 2, 3}};
  EXPECT_EQ(design_key(a), design_key(c));
  EXPECT_NE(design_key(a), design_key(b));
  EXPECT_EQ(design_key(Design{{0.0}}), design_key(Design{{-0.0}}));
  // A fixed value: keys are stored in databases, so they must never change between versions.
  EXPECT_EQ(design_key_hex(Design{{1.0, 2.0}}), design_key_hex(Design{{1.0, 2.0}}));
  EXPECT_EQ(design_key_hex(Design{{1.0, 2.0}}).size(), 16u);
}

TEST(Space, EnumerateDecodeAndConstraints) {
  Space space({Knob::power_of_two("simd", 1, 8), Knob::power_of_two("pe", 1, 4)},
              {{"pe <= simd", [](const Design& d) { return d.values[1] <= d.values[0]; }}});
  EXPECT_EQ(space.cardinality(), 12.0);
  EXPECT_EQ(space.decode(0), (Design{{1, 1}}));
  EXPECT_EQ(space.decode(5), (Design{{2, 4}}));  // simd index 5 / 3 = 1, pe index 5 % 3 = 2
  // Valid pairs (simd, pe): simd=1:1, simd=2:2, simd=4:3, simd=8:3 -> 9.
  EXPECT_EQ(space.enumerate().size(), 9u);
  EXPECT_EQ(space.why_invalid(Design{{2, 4}}), "violates pe <= simd");
  EXPECT_NE(space.why_invalid(Design{{3, 1}}).find("simd"), std::string::npos);
  EXPECT_THROW(space.enumerate(5), InputError);
  EXPECT_EQ(space.knob_index("pe"), 1u);
  EXPECT_THROW(space.knob_index("bits"), InputError);
  EXPECT_EQ(space.describe(Design{{4, 2}}), "simd=4, pe=2");
}

TEST(Objective, ParseAndBounds) {
  const auto lut = Objective::parse("lut:min");
  EXPECT_EQ(lut.metric, "lut");
  EXPECT_EQ(lut.minimised(5), 5);
  const auto fps = Objective::parse("fps:max");
  EXPECT_EQ(fps.minimised(5), -5);
  EXPECT_EQ(Objective::parse("a:b:max").metric, "a:b");
  EXPECT_THROW(Objective::parse("lut"), InputError);
  EXPECT_THROW(Objective::parse("lut:low"), InputError);
  const auto power = MetricBound::parse("power_w<=2.5");
  EXPECT_TRUE(power.holds(2.5));
  EXPECT_FALSE(power.holds(2.6));
  EXPECT_TRUE(MetricBound::parse("fps>=1e3").holds(1000));
  EXPECT_THROW(MetricBound::parse("fps>=fast"), InputError);
}

}  // namespace
}  // namespace codse
