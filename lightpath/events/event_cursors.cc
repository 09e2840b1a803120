// Opaque per-viewer event cursors.
#include "lightpath/events/event_cursors.h"

#include "lightpath/base/crypto.h"

namespace lightpath {

EventCursors eventCursorsOf(const Sealer* sealer) {
  return EventCursors(sealer ? sealer->derive("event-cursors") : randomBytes(32));
}

EventCursors::EventCursors(std::string key) : key_(std::move(key)) {}

std::string EventCursors::tag(std::string_view viewer) const {
  return hmacSha256(key_, viewer).substr(0, 8);
}

std::string EventCursors::encode(std::uint64_t cursor, std::string_view viewer) const {
  std::string block(8, '\0');
  for (int i = 7; i >= 0; --i, cursor >>= 8) block[i] = static_cast<char>(cursor & 0xff);
  block += tag(viewer);
  return base64UrlEncode(aes256EncryptBlock(key_, block));
}

Result<std::uint64_t> EventCursors::decode(std::string_view text, std::string_view viewer) const {
  auto bytes = base64UrlDecode(text);
  if (!bytes || bytes->size() != 16)
    return fail(invalidArgument("not an event cursor of this API (next_cursor or an event's)"));
  const std::string block = aes256DecryptBlock(key_, *bytes);
  if (!constantTimeEquals(block.substr(8), tag(viewer)))
    return fail(invalidArgument("not an event cursor given to this caller"));
  std::uint64_t cursor = 0;
  for (int i = 0; i < 8; ++i) cursor = (cursor << 8) | static_cast<unsigned char>(block[i]);
  return cursor;
}

}  // namespace lightpath
