#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "core/json_number.hpp"

namespace codse {
namespace {

TEST(JsonNumber, WritesNonFiniteValuesAsStringsAndReadsEveryValueBack) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(json_number(std::nan("")), "nan");
  EXPECT_EQ(json_number(inf), "inf");
  EXPECT_EQ(json_number(-inf), "-inf");
  EXPECT_EQ(json_number(0.1).dump(), "0.1");
  for (const double value : {0.0, -2.5, 0.1, 1e300, -inf, inf, std::numeric_limits<double>::denorm_min()}) {
    const auto text = json_number(value).dump();
    EXPECT_EQ(double_from_json(nlohmann::json::parse(text)), value) << text;
  }
  EXPECT_TRUE(std::isnan(*double_from_json(nlohmann::json::parse(json_number(std::nan("")).dump()))));
  EXPECT_EQ(double_from_json(nlohmann::json(7)), 7.0);
}

TEST(JsonNumber, AnythingElseIsNoNumber) {
  for (const auto* text : {"\"NaN\"", "\"Infinity\"", "null", "true", "[1]", "{}", "\"1\""})
    EXPECT_FALSE(double_from_json(nlohmann::json::parse(text)).has_value()) << text;
}

}  // namespace
}  // namespace codse
