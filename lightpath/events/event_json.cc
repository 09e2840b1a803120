// The one representation of an event.
#include "lightpath/events/event_json.h"

#include <fmt/format.h>

#include "lightpath/service/connection_json.h"

namespace lightpath {

using nlohmann::json;

json eventJson(const EventRecord& e, const EventCursors& cursors, std::string_view viewer) {
  json data = json::parse(e.body, nullptr, false);
  if (data.is_discarded()) data = json::object();
  json item{{"cursor", cursors.encode(e.cursor, viewer)},
            {"type", e.type},
            {"subject", e.subject},
            {"at", formatTime(TimePoint(std::chrono::microseconds(e.at_us)))},
            {"data", std::move(data)}};
  if (viewer == kOperatorViewer) item["tenant"] = e.tenant;
  return item;
}

std::string sseFrame(const EventRecord& e, const EventCursors& cursors, std::string_view viewer) {
  const json item = eventJson(e, cursors, viewer);
  return fmt::format("id: {}\nevent: {}\ndata: {}\n\n", item.at("cursor").get<std::string>(),
                     e.type, item.dump(-1, ' ', false, json::error_handler_t::replace));
}

}  // namespace lightpath
