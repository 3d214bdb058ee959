#pragma once
// Names that become file names (a study's name is its store's file name, NAME.sqlite, and its
// artifacts' folder): only a plain name in the current directory, never a path.

#include <optional>
#include <string>
#include <string_view>

namespace codse {

/// Why `name` is not a plain file name (empty, "." or "..", a '/' or '\', a control character,
/// longer than 200 bytes), or nothing when it is one.
std::optional<std::string> not_a_plain_file_name(std::string_view name);

}  // namespace codse
