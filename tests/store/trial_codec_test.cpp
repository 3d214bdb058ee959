#include "store/trial_codec.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

#include <gtest/gtest.h>

namespace codse {
namespace {

TEST(TrialCodec, ShortestTextThatRoundTrips) {
  EXPECT_EQ(encode_design(Design{{0.1, 1.0, 1e-300, -2.5}}), "[0.1,1.0,1e-300,-2.5]");
  EXPECT_EQ(decode_design("[0.1,1.0,1e-300,-2.5]"), (Design{{0.1, 1.0, 1e-300, -2.5}}));
  // Integers written by hand (or by another tool) read back as doubles.
  EXPECT_EQ(decode_design("[3, 4]"), (Design{{3.0, 4.0}}));
}

TEST(TrialCodec, NonFiniteValuesSurviveAsStrings) {
  const double inf = std::numeric_limits<double>::infinity();
  const std::map<std::string, double> metrics{
      {"a", inf}, {"b", -inf}, {"c", std::numeric_limits<double>::quiet_NaN()}};
  const auto text = encode_metrics(metrics);
  EXPECT_EQ(text, R"({"a":"inf","b":"-inf","c":"nan"})");
  const auto read = decode_metrics(text);
  EXPECT_EQ(read.at("a"), inf);
  EXPECT_EQ(read.at("b"), -inf);
  EXPECT_TRUE(std::isnan(read.at("c")));
}

TEST(TrialCodec, RejectsWhatIsNotADesignOrMetrics) {
  EXPECT_THROW(decode_design("{\"a\":1}"), std::invalid_argument);
  EXPECT_THROW(decode_design("[1, \"x\"]"), std::invalid_argument);
  EXPECT_THROW(decode_design("[1, 2"), std::invalid_argument);
  EXPECT_THROW(decode_metrics("[1]"), std::invalid_argument);
  EXPECT_THROW(decode_metrics("{\"a\":null}"), std::invalid_argument);
}

}  // namespace
}  // namespace codse
