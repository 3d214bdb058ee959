#include "core/objective.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace codse {
namespace {

TEST(MetricBound, RefusesABoundThatIsNotFinite) {
  // A nan bound holds for no value (an empty front), inf for every one (no constraint at all).
  for (const char* text : {"fps>=nan", "lut<=inf", "lut<=-inf", "fps>=NAN", "lut<=infinity"})
    EXPECT_THROW(MetricBound::parse(text), InputError) << text;
  EXPECT_DOUBLE_EQ(MetricBound::parse("fps>=1000").bound, 1000.0);
  EXPECT_DOUBLE_EQ(MetricBound::parse("lut<=-1e3").bound, -1000.0);
}

TEST(Objective, DistinctObjectivesNameTheMetricGivenTwice) {
  require_distinct_objectives({Objective::parse("lut:min"), Objective::parse("fps:max")}, "--objective");
  try {
    require_distinct_objectives({Objective::parse("lut:min"), Objective::parse("fps:max"), Objective::parse("lut:max")},
                                "--objective");
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_STREQ(error.what(), "--objective: the metric lut is an objective twice (lut:min and lut:max)");
  }
}

}  // namespace
}  // namespace codse
