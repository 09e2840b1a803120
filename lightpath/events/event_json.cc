// The one representation of an event.
#include "lightpath/events/event_json.h"

#include <fmt/format.h>

#include "lightpath/service/connection_json.h"

namespace lightpath {

using nlohmann::json;

json eventJson(const EventRecord& e, bool with_tenant) {
  json data = json::parse(e.body, nullptr, false);
  if (data.is_discarded()) data = json::object();
  json item{{"cursor", e.cursor},
            {"type", e.type},
            {"subject", e.subject},
            {"at", formatTime(TimePoint(std::chrono::microseconds(e.at_us)))},
            {"data", std::move(data)}};
  if (with_tenant) item["tenant"] = e.tenant;
  return item;
}

std::string sseFrame(const EventRecord& e, bool with_tenant) {
  return fmt::format(
      "id: {}\nevent: {}\ndata: {}\n\n", e.cursor, e.type,
      eventJson(e, with_tenant).dump(-1, ' ', false, json::error_handler_t::replace));
}

}  // namespace lightpath
