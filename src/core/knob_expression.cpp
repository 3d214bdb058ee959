#include "core/knob_expression.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

namespace codse {

/// An operation and its operands: a number, a knob (its index) or an operator over children.
struct KnobExpression::Node {
  enum class Kind { number, knob, negate, logical_not, binary };
  Kind kind = Kind::number;
  double number = 0.0;
  std::size_t knob = 0;
  std::string op;  // binary: the operator's spelling
  std::shared_ptr<const Node> left;
  std::shared_ptr<const Node> right;
};

namespace {

using Node = KnobExpression::Node;
using NodePtr = std::shared_ptr<const Node>;

struct Token {
  enum class Kind { number, name, op, end };
  Kind kind = Kind::end;
  std::string text;
  double number = 0.0;
  std::size_t column = 0;  // 1-based
};

bool is_name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::vector<Token> tokenize(std::string_view text) {
  static const char* const two_char_ops[] = {"<=", ">=", "==", "!=", "&&", "||"};
  std::vector<Token> tokens;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    const std::size_t column = i + 1;
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
      const std::string rest(text.substr(i));
      char* end = nullptr;
      const double value = std::strtod(rest.c_str(), &end);
      const auto length = static_cast<std::size_t>(end - rest.c_str());
      if (length == 0 || (i + length < text.size() && is_name_char(text[i + length])))
        throw ExpressionError(column, fmt::format("column {}: '{}' is not a number", column, rest.substr(0, std::max<std::size_t>(length, 1))));
      tokens.push_back({Token::Kind::number, rest.substr(0, length), value, column});
      i += length;
    } else if (is_name_start(c)) {
      std::size_t end = i;
      while (end < text.size() && is_name_char(text[end])) ++end;
      tokens.push_back({Token::Kind::name, std::string(text.substr(i, end - i)), 0.0, column});
      i = end;
    } else {
      std::string op(1, c);
      for (const char* two : two_char_ops)
        if (text.substr(i, 2) == two) op = two;
      if (op.size() == 1 && std::string_view("+-*/%<>!()").find(c) == std::string_view::npos)
        throw ExpressionError(column, fmt::format("column {}: unexpected character '{}'", column, c));
      tokens.push_back({Token::Kind::op, op, 0.0, column});
      i += op.size();
    }
  }
  tokens.push_back({Token::Kind::end, "", 0.0, text.size() + 1});
  return tokens;
}

/// Recursive descent over the tokens, one function per grammar level (see the header).
class Parser {
 public:
  Parser(std::vector<Token> tokens, const std::vector<std::string>& names) : tokens_(std::move(tokens)), names_(&names) {}

  NodePtr parse_all() {
    auto root = parse_or();
    if (peek().kind != Token::Kind::end) fail(peek(), "an operator or the end of the expression");
    return root;
  }

 private:
  const Token& peek() const { return tokens_[position_]; }
  bool accept(std::string_view op) {
    if (peek().kind == Token::Kind::op && peek().text == op) {
      ++position_;
      return true;
    }
    return false;
  }
  [[noreturn]] static void fail(const Token& token, std::string_view expected) {
    const auto found = token.kind == Token::Kind::end ? std::string("the end") : fmt::format("'{}'", token.text);
    throw ExpressionError(token.column, fmt::format("column {}: expected {}, found {}", token.column, expected, found));
  }
  static NodePtr binary(std::string op, NodePtr left, NodePtr right) {
    auto node = std::make_shared<Node>();
    node->kind = Node::Kind::binary;
    node->op = std::move(op);
    node->left = std::move(left);
    node->right = std::move(right);
    return node;
  }
  /// One left-associative level: operand (op operand)* for the given operators.
  template <typename Operand>
  NodePtr parse_level(std::initializer_list<std::string_view> ops, Operand operand) {
    auto left = (this->*operand)();
    for (bool more = true; more;) {
      more = false;
      for (const auto op : ops)
        if (accept(op)) {
          left = binary(std::string(op), left, (this->*operand)());
          more = true;
          break;
        }
    }
    return left;
  }
  NodePtr parse_or() { return parse_level({"||"}, &Parser::parse_and); }
  NodePtr parse_and() { return parse_level({"&&"}, &Parser::parse_compare); }
  NodePtr parse_compare() {
    auto left = parse_sum();
    for (const std::string_view op : {"==", "!=", "<=", ">=", "<", ">"})
      if (accept(op)) {
        auto node = binary(std::string(op), left, parse_sum());
        if (peek().kind == Token::Kind::op && std::string_view("<>=!").find(peek().text[0]) != std::string_view::npos &&
            peek().text != "!")
          fail(peek(), "'&&', '||' or ')' (comparisons do not chain: write a < b && b < c)");
        return node;
      }
    return left;
  }
  NodePtr parse_sum() { return parse_level({"+", "-"}, &Parser::parse_product); }
  NodePtr parse_product() { return parse_level({"*", "/", "%"}, &Parser::parse_unary); }
  NodePtr parse_unary() {
    if (accept("+")) return parse_unary();
    for (const auto& [op, kind] : {std::pair{"-", Node::Kind::negate}, std::pair{"!", Node::Kind::logical_not}})
      if (accept(op)) {
        auto node = std::make_shared<Node>();
        node->kind = kind;
        node->left = parse_unary();
        return node;
      }
    return parse_primary();
  }
  NodePtr parse_primary() {
    const Token& token = peek();
    auto node = std::make_shared<Node>();
    if (token.kind == Token::Kind::number) {
      node->number = token.number;
    } else if (token.kind == Token::Kind::name) {
      node->kind = Node::Kind::knob;
      node->knob = knob_index(token);
    } else if (accept("(")) {
      auto inner = parse_or();
      if (!accept(")")) fail(peek(), "')'");
      return inner;
    } else {
      fail(token, "a number, a knob or '('");
    }
    ++position_;
    return node;
  }
  std::size_t knob_index(const Token& token) const {
    for (std::size_t k = 0; k < names_->size(); ++k)
      if ((*names_)[k] == token.text) return k;
    std::string known;
    for (const auto& name : *names_) known += (known.empty() ? "" : ", ") + name;
    throw ExpressionError(token.column,
                          fmt::format("column {}: unknown knob '{}' (knobs: {})", token.column, token.text, known));
  }

  std::vector<Token> tokens_;
  const std::vector<std::string>* names_;
  std::size_t position_ = 0;
};

double apply(const std::string& op, double a, double b) {
  if (op == "+") return a + b;
  if (op == "-") return a - b;
  if (op == "*") return a * b;
  if (op == "/") return a / b;
  if (op == "%") return std::fmod(a, b);
  if (op == "<") return a < b;
  if (op == "<=") return a <= b;
  if (op == ">") return a > b;
  if (op == ">=") return a >= b;
  if (op == "==") return a == b;
  if (op == "!=") return a != b;
  return 0.0;  // && and || are handled (short-circuit) by the caller
}

bool truth(double value) { return value != 0.0 && !std::isnan(value); }

double evaluate_node(const Node& node, const std::vector<double>& values) {
  switch (node.kind) {
    case Node::Kind::number: return node.number;
    case Node::Kind::knob: return values.at(node.knob);
    case Node::Kind::negate: return -evaluate_node(*node.left, values);
    case Node::Kind::logical_not: return truth(evaluate_node(*node.left, values)) ? 0.0 : 1.0;
    case Node::Kind::binary: break;
  }
  const double left = evaluate_node(*node.left, values);
  if (node.op == "&&") return truth(left) && truth(evaluate_node(*node.right, values)) ? 1.0 : 0.0;
  if (node.op == "||") return truth(left) || truth(evaluate_node(*node.right, values)) ? 1.0 : 0.0;
  return apply(node.op, left, evaluate_node(*node.right, values));
}

}  // namespace

KnobExpression KnobExpression::parse(std::string_view text, const std::vector<std::string>& knob_names) {
  KnobExpression expression;
  expression.text_ = std::string(text);
  Parser parser(tokenize(text), knob_names);
  expression.root_ = parser.parse_all();
  return expression;
}

double KnobExpression::evaluate(const std::vector<double>& values) const { return evaluate_node(*root_, values); }

bool KnobExpression::holds(const std::vector<double>& values) const { return truth(evaluate(values)); }

}  // namespace codse
