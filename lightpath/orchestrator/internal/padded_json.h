// simdjson reads up to SIMDJSON_PADDING bytes past a document's end. paddedCopy(text) copies
// `text` into this thread's buffer, which has them, and returns a view of it. The view is valid
// until the thread's next call. The buffer is kept from call to call: decoding a million stored
// documents allocates nothing once it is large enough.
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>

namespace lightpath {

inline simdjson::padded_string_view paddedCopy(std::string_view text) {
  static thread_local std::string buffer;
  buffer.reserve(text.size() + simdjson::SIMDJSON_PADDING);
  buffer.assign(text);
  return simdjson::padded_string_view(buffer.data(), buffer.size(), buffer.capacity());
}

}  // namespace lightpath
