// The event log: a page after a cursor, and the backlog of a stream (the HTTP server keeps the
// stream open and feeds it live).
#include <fmt/format.h>

#include <limits>

#include "lightpath/api/internal/api_impl.h"
#include "lightpath/events/event_json.h"

namespace lightpath {
namespace {

// A cursor is a whole number the event log can hold (a signed 64-bit one): beyond that it
// would wrap to a cursor the caller never meant.
bool isCursor(const std::string& value) {
  return !value.empty() && value.size() <= 19 &&
         value.find_first_not_of("0123456789") == std::string::npos &&
         std::stoull(value) <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
}

}  // namespace

Result<HttpResponse> Api::Impl::listEvents(Context& ctx) {
  std::uint64_t after = 0;
  std::size_t limit = 100;
  // Other parameters were refused before: the pipeline takes only those the document declares.
  for (const auto& [key, value] : ctx.request.query) {
    if (key == "after") {
      if (!isCursor(value)) return fail(invalidArgument("after: an event cursor (a whole number)"));
      after = std::stoull(value);
    } else if (key == "limit") {
      if (!isCursor(value) || std::stoull(value) == 0 || std::stoull(value) > 1000) {
        return fail(invalidArgument("limit: 1-1000"));
      }
      limit = std::stoull(value);
    }
  }
  json items = json::array();
  std::uint64_t cursor = after;
  LP_RETURN_IF_ERROR(deps.store->read([&](StoreTransaction& tx) -> Status {
    // Another tenant's events are skipped; at most 10 pages are read per request, and the
    // cursor returned lets the caller go on from where this one stopped.
    for (int pages = 0; pages < 10 && items.size() < limit; ++pages) {
      LP_ASSIGN_OR_RETURN(auto events, tx.eventsAfter(cursor, 1000));
      for (const EventRecord& e : events) {
        if (items.size() >= limit) break;
        cursor = e.cursor;
        if (!ctx.who.sees(e.tenant)) continue;
        items.push_back(eventJson(e, ctx.isOperator()));
      }
      if (events.size() < 1000) break;
    }
    return Status::ok();
  }));
  return jsonReply(200, json{{"items", std::move(items)}, {"next_cursor", cursor}});
}

// Without a streaming transport (tests, the fuzz target) the stream is the backlog: the events
// after the cursor as one text/event-stream body. The HTTP server streams instead.
Result<HttpResponse> Api::Impl::streamEvents(Context& ctx) {
  std::uint64_t after = 0;
  if (const std::string* last = ctx.request.header("last-event-id")) {
    if (!isCursor(*last)) {
      return problem(400, "invalid-argument", "Last-Event-ID: an event cursor (a whole number)",
                     "Last-Event-ID");
    }
    after = std::stoull(*last);
  } else if (auto it = ctx.request.query.find("after"); it != ctx.request.query.end()) {
    if (!isCursor(it->second))
      return fail(invalidArgument("after: an event cursor (a whole number)"));
    after = std::stoull(it->second);
  }
  const bool from_now =
      !ctx.request.header("last-event-id") && !ctx.request.query.contains("after");
  std::string body;
  if (!from_now) {  // no cursor: what happens from now on, no backlog
    LP_RETURN_IF_ERROR(deps.store->read([&](StoreTransaction& tx) -> Status {
      LP_ASSIGN_OR_RETURN(auto events, tx.eventsAfter(after, 1000));
      for (const EventRecord& e : events) {
        if (ctx.who.sees(e.tenant)) body += sseFrame(e, ctx.isOperator());
      }
      return Status::ok();
    }));
  }
  HttpResponse r;
  r.headers.emplace_back("Content-Type", "text/event-stream");
  r.headers.emplace_back("Cache-Control", "no-cache");
  r.body = std::move(body);
  return r;
}

}  // namespace lightpath
