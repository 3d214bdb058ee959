#pragma once
// Whether text is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, at most
// U+10FFFF). Readers check text from files that do not check it themselves (yaml-cpp passes any
// bytes through), before it reaches JSON or a message, which require UTF-8.

#include <string_view>

namespace codse {

bool is_valid_utf8(std::string_view text);

}  // namespace codse
