// Events as every reader outside the store sees them (the API's lists and streams, webhooks):
// {"cursor", "type", "subject", "at", "data", "tenant" (operators only)}, the cursor the viewer's
// own (event_cursors.h).
//
//   json shown = eventJson(record, cursors, "acme");       // a tenant's view
//   stream << sseFrame(record, cursors, kOperatorViewer);  // "id: ...\nevent: ...\ndata:
//   {...}\n\n"
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "lightpath/events/event_cursors.h"
#include "lightpath/store/store.h"

namespace lightpath {

// Operators see every tenant's events, with the tenant named.
inline constexpr std::string_view kOperatorViewer = "*";

nlohmann::json eventJson(const EventRecord& e, const EventCursors& cursors,
                         std::string_view viewer);
// One Server-Sent Events frame of the event.
std::string sseFrame(const EventRecord& e, const EventCursors& cursors, std::string_view viewer);

}  // namespace lightpath
