#include <gtest/gtest.h>

#include <cmath>

#include "core/knob_expression.hpp"

namespace codse {
namespace {

const std::vector<std::string> names{"pe", "width", "simd"};

double value(const std::string& text, std::vector<double> values = {4, 8, 2}) {
  return KnobExpression::parse(text, names).evaluate(values);
}

std::size_t error_column(const std::string& text) {
  try {
    KnobExpression::parse(text, names);
  } catch (const ExpressionError& error) {
    return error.column();
  }
  ADD_FAILURE() << text << " parsed";
  return 0;
}

std::string error_text(const std::string& text) {
  try {
    KnobExpression::parse(text, names);
  } catch (const ExpressionError& error) {
    return error.what();
  }
  return "parsed";
}

TEST(KnobExpression, ArithmeticFollowsPrecedenceAndAssociativity) {
  EXPECT_EQ(value("1 + 2 * 3"), 7);
  EXPECT_EQ(value("(1 + 2) * 3"), 9);
  EXPECT_EQ(value("8 - 3 - 2"), 3);      // left-associative
  EXPECT_EQ(value("64 / 4 / 2"), 8);
  EXPECT_EQ(value("17 % 5 * 2"), 4);
  EXPECT_EQ(value("-pe + width"), 4);
  EXPECT_EQ(value("--pe"), 4);
  EXPECT_EQ(value("pe * width + simd"), 34);
  EXPECT_EQ(value("2.5e1 + .5"), 25.5);
}

TEST(KnobExpression, ComparisonsAndLogicGiveZeroOrOne) {
  EXPECT_EQ(value("pe * width <= 32"), 1);
  EXPECT_EQ(value("pe * width < 32"), 0);
  EXPECT_EQ(value("pe == 4 && width != 8"), 0);
  EXPECT_EQ(value("pe == 4 || width != 8"), 1);
  EXPECT_EQ(value("!(pe > 2)"), 0);
  EXPECT_EQ(value("pe > 2 || 1 && 0"), 1);  // && binds tighter than ||
  EXPECT_EQ(value("1 + 1 == 2"), 1);        // arithmetic before comparison
  EXPECT_EQ(value("width % pe == 0"), 1);
}

TEST(KnobExpression, DivisionByZeroMakesAConstraintFalse) {
  const auto expression = KnobExpression::parse("width / (pe - 4) < 100", names);
  EXPECT_FALSE(expression.holds({4, 8, 1}));  // inf < 100 is false
  EXPECT_FALSE(KnobExpression::parse("0 / 0 == 0 / 0", names).holds({1, 1, 1}));  // nan
  EXPECT_TRUE(KnobExpression::parse("width / (pe - 4) < 100", names).holds({5, 8, 1}));
}

TEST(KnobExpression, ErrorsNameTheColumnOfTheBadToken) {
  EXPECT_EQ(error_column("pe * lanes <= 64"), 6u);
  EXPECT_NE(error_text("pe * lanes <= 64").find("unknown knob 'lanes' (knobs: pe, width, simd)"), std::string::npos);
  EXPECT_EQ(error_column("pe * <= 64"), 6u);
  EXPECT_EQ(error_column("(pe + 1"), 8u);  // the end
  EXPECT_NE(error_text("(pe + 1").find("expected ')', found the end"), std::string::npos);
  EXPECT_EQ(error_column("pe $ 2"), 4u);
  EXPECT_EQ(error_column("pe 2"), 4u);
  EXPECT_EQ(error_column("1 < pe < 8"), 8u);  // comparisons do not chain
  EXPECT_EQ(error_column("2pe"), 1u);
  EXPECT_EQ(error_column(""), 1u);
  EXPECT_EQ(error_column("pe = 4"), 4u);  // = is not ==
}

}  // namespace
}  // namespace codse
