#pragma once
// The command line of `codse dse --command`: shell text with placeholders. `{NAME}` is replaced by
// the design's value of knob NAME (as Knob::format shows it), `{dir}` by the design's directory
// (shell-quoted). `{{` and `}}` are literal braces, and `${NAME}` is left to the shell (its
// parameter expansion), so ordinary shell text needs no escaping. Only `{identifier}` is a
// placeholder: `{a,b}` or `{ cmd; }` stay as they are.

#include <filesystem>
#include <string>
#include <vector>

#include "core/design.hpp"
#include "core/space.hpp"

namespace codse {

class CommandTemplate {
 public:
  /// Parses text against the space's knobs. Throws InputError "--command: unknown placeholder
  /// {NAME} at column C (knobs: ...; and {dir})" before anything runs.
  CommandTemplate(std::string text, const Space& space);

  const std::string& text() const { return text_; }
  /// The command line for the design run in directory.
  std::string render(const Design& design, const std::filesystem::path& directory) const;

 private:
  struct Piece {
    std::string literal;
    int knob = -1;  ///< a knob's index, or -1 (a literal), or -2 ({dir})
  };
  std::string text_;
  const Space* space_;
  std::vector<Piece> pieces_;
};

/// text quoted for /bin/sh when it holds anything but [A-Za-z0-9_./-].
std::string shell_quote(const std::string& text);

}  // namespace codse
