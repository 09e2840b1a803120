// Events as every reader outside the store sees them (the API's lists and streams, webhooks):
// {"cursor", "type", "subject", "at", "data", "tenant" (operators only)}.
//
//   json shown = eventJson(record, /*with_tenant=*/caller_is_operator);
//   stream << sseFrame(record, false);   // "id: 7\nevent: connection.stateChanged\ndata:
//   {...}\n\n"
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "lightpath/store/store.h"

namespace lightpath {

nlohmann::json eventJson(const EventRecord& e, bool with_tenant);
// One Server-Sent Events frame of the event.
std::string sseFrame(const EventRecord& e, bool with_tenant);

}  // namespace lightpath
