#include "search/command_template.hpp"

#include <cctype>

#include <fmt/format.h>

#include "core/error.hpp"

namespace codse {
namespace {

constexpr int literal_piece = -1;
constexpr int dir_piece = -2;

bool is_identifier(const std::string& text) {
  if (text.empty() || !(std::isalpha(static_cast<unsigned char>(text[0])) || text[0] == '_')) return false;
  for (const char c : text)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  return true;
}

}  // namespace

CommandTemplate::CommandTemplate(std::string text, const Space& space) : text_(std::move(text)), space_(&space) {
  if (text_.find_first_not_of(" \t\n") == std::string::npos) throw InputError("--command: the command is empty");
  std::string literal;
  auto flush = [&] {
    if (!literal.empty()) pieces_.push_back({literal, literal_piece});
    literal.clear();
  };
  for (std::size_t i = 0; i < text_.size(); ++i) {
    const char c = text_[i];
    if ((c == '{' || c == '}') && i + 1 < text_.size() && text_[i + 1] == c) {  // {{ or }}
      literal += c;
      ++i;
      continue;
    }
    const auto close = c == '{' ? text_.find('}', i) : std::string::npos;
    const auto name = close == std::string::npos ? std::string() : text_.substr(i + 1, close - i - 1);
    if (c != '{' || !is_identifier(name) || (i > 0 && text_[i - 1] == '$')) {
      literal += c;
      continue;
    }
    flush();
    if (name == "dir") {
      pieces_.push_back({{}, dir_piece});
    } else {
      int index = literal_piece;
      for (std::size_t k = 0; k < space.knobs().size(); ++k)
        if (space.knobs()[k].name() == name) index = static_cast<int>(k);
      if (index == literal_piece) {
        std::string names;
        for (const auto& knob : space.knobs()) names += (names.empty() ? "" : ", ") + knob.name();
        throw InputError(fmt::format("--command: unknown placeholder {{{}}} at column {} (knobs: {}; and {{dir}}); "
                                     "write {{{{ and }}}} for literal braces",
                                     name, i + 1, names));
      }
      pieces_.push_back({{}, index});
    }
    i = close;
  }
  flush();
}

std::string CommandTemplate::render(const Design& design, const std::filesystem::path& directory) const {
  std::string line;
  for (const auto& piece : pieces_) {
    if (piece.knob == literal_piece) line += piece.literal;
    else if (piece.knob == dir_piece) line += shell_quote(directory.string());
    else {
      const auto k = static_cast<std::size_t>(piece.knob);
      line += space_->knobs()[k].format(design.values.at(k));
    }
  }
  return line;
}

std::string shell_quote(const std::string& text) {
  const bool plain = !text.empty() && text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                                             "0123456789_./-+=:,") == std::string::npos;
  if (plain) return text;
  std::string quoted = "'";
  for (const char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

}  // namespace codse
