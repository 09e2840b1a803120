// UTF-8 checks: every text Lightpath stores or prints must be valid UTF-8 (JSON requires it).
#pragma once

#include <string>
#include <string_view>

namespace lightpath {

// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code points > U+10FFFF).
bool isValidUtf8(std::string_view text);

// Reads bytes as ISO-8859-1 and writes them as UTF-8; for old files that predate UTF-8.
std::string latin1ToUtf8(std::string_view text);

}  // namespace lightpath
