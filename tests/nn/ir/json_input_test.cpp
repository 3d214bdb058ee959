#include "nn/ir/json_input.hpp"

#include <gtest/gtest.h>

#include <string>

namespace codse::nn {
namespace {

TEST(JsonInput, RefusesADuplicateKeyNamingTheSourceAndKey) {
  EXPECT_NO_THROW(parse_json_unique_keys(R"({"a": 1, "b": {"a": 2}, "c": [{"a": 1}, {"a": 2}]})", "f.json"));
  try {
    parse_json_unique_keys(R"({"a": 1, "b": {"x": 1, "y": 2, "x": 3}})", "f.json");
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_STREQ(error.what(), "f.json: the key 'x' appears twice in one object");
  }
  EXPECT_THROW(parse_json_unique_keys<nlohmann::ordered_json>(R"([{"a": 1, "a": 1}])", "f.json"), InputError);
  EXPECT_THROW(parse_json_unique_keys(R"({"a": )", "f.json"), nlohmann::json::parse_error);
}

TEST(JsonInput, IntegersAreRangeCheckedNotWrapped) {
  const auto value = [](const std::string& text) { return nlohmann::json::parse(text); };
  EXPECT_EQ(json_integer_as<std::int32_t>(value("-7")), -7);
  EXPECT_EQ(json_integer_as<std::int32_t>(value("2147483647")), 2147483647);
  EXPECT_FALSE(json_integer_as<std::int32_t>(value("4294967296")));     // get<int> gives 0
  EXPECT_FALSE(json_integer_as<std::int32_t>(value("1000000000000")));  // get<int> gives -727379968
  EXPECT_FALSE(json_integer_as<std::int64_t>(value("18446744073709551615")));  // get<int64_t> gives -1
  EXPECT_EQ(json_integer_as<std::int64_t>(value("9223372036854775807")), INT64_MAX);
  EXPECT_FALSE(json_integer_as<std::int64_t>(value("9223372036854775808")));
  EXPECT_FALSE(json_integer_in(value("1.0"), 0, 10));
  EXPECT_FALSE(json_integer_in(value("true"), 0, 10));
  EXPECT_FALSE(json_integer_in(value("\"3\""), 0, 10));
  EXPECT_FALSE(json_integer_in(value("11"), 0, 10));
  EXPECT_FALSE(json_integer_in(value("-1"), 0, 10));
  EXPECT_EQ(json_integer_in(value("10"), 0, 10), 10);
}

}  // namespace
}  // namespace codse::nn
