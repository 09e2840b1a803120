// Event cursors as callers see them: opaque, and each viewer's own. The event log numbers every
// event in one sequence for all tenants; shown as they are, a tenant could count the others'
// events between two of its own. A cursor shown is that number and a tag of the viewer (a tenant,
// or "*" for operators), through AES-256 under a key derived from the master key: it reveals no
// order, no distance, and is refused when another viewer presents it.
//
//   EventCursors cursors(sealer.derive("event-cursors"));
//   std::string shown = cursors.encode(record.cursor, "acme");   // 22 characters
//   LP_ASSIGN_OR_RETURN(std::uint64_t after, cursors.decode(shown, "acme"));
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "lightpath/base/seal.h"
#include "lightpath/base/status.h"

namespace lightpath {

class EventCursors {
 public:
  // `key`: 32 bytes (every instance sharing a store derives the same).
  explicit EventCursors(std::string key);
  std::string encode(std::uint64_t cursor, std::string_view viewer) const;
  // InvalidArgument when `text` is no cursor this viewer was given.
  Result<std::uint64_t> decode(std::string_view text, std::string_view viewer) const;

 private:
  std::string tag(std::string_view viewer) const;
  std::string key_;
};

// The cursors of everyone holding this master key; without one (tests of one library), a key of
// this process's own.
EventCursors eventCursorsOf(const Sealer* sealer);

}  // namespace lightpath
