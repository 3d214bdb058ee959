#pragma once
// A KnobExpression is an arithmetic and logical expression over a space's knobs, the form the
// constraints of a space file take ("pe * width <= 64"). It is parsed once (recursive descent) and
// evaluated per design over the knob values. Grammar, loosest first:
//   or      := and ('||' and)*
//   and     := compare ('&&' compare)*
//   compare := sum (('=='|'!='|'<'|'<='|'>'|'>=') sum)?
//   sum     := product (('+'|'-') product)*
//   product := unary (('*'|'/'|'%') unary)*
//   unary   := ('-'|'+'|'!') unary | primary
//   primary := NUMBER | KNOB | '(' or ')'
// Truth is C's: 0 is false, anything else true; comparisons and logic give 0 or 1. Division by
// zero gives inf or nan, and a comparison with nan is false, so such a design is simply illegal.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace codse {

/// A malformed expression: the message says what was expected, column() where (1-based).
class ExpressionError : public InputError {
 public:
  ExpressionError(std::size_t column, const std::string& message) : InputError(message), column_(column) {}
  std::size_t column() const { return column_; }

 private:
  std::size_t column_;
};

class KnobExpression {
 public:
  /// Parses text; a name must be one of knob_names (its index is the value's position in the
  /// vector evaluate() takes). Throws ExpressionError "column C: ..." naming the bad token.
  static KnobExpression parse(std::string_view text, const std::vector<std::string>& knob_names);

  /// The value for the knob values given in the order of knob_names.
  double evaluate(const std::vector<double>& values) const;
  /// evaluate() != 0 (and not nan).
  bool holds(const std::vector<double>& values) const;
  const std::string& text() const { return text_; }

  /// One node of the parsed tree; public only for the parser in the .cpp.
  struct Node;

 private:
  std::string text_;
  std::shared_ptr<const Node> root_;  // shared: copies of a parsed expression share the tree
};

}  // namespace codse
