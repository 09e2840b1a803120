// The event log: a page after a cursor, and the backlog of a stream (the HTTP server keeps the
// stream open and feeds it live).
#include <fmt/format.h>

#include "lightpath/api/internal/api_impl.h"
#include "lightpath/events/event_json.h"

namespace lightpath {
namespace {

// A limit: a whole number 1-1000.
bool isLimit(const std::string& value) {
  return !value.empty() && value.size() <= 4 &&
         value.find_first_not_of("0123456789") == std::string::npos && std::stoul(value) >= 1 &&
         std::stoul(value) <= 1000;
}

}  // namespace

Result<HttpResponse> Api::Impl::listEvents(Context& ctx) {
  std::uint64_t after = 0;
  std::size_t limit = 100;
  const std::string viewer = viewerOf(ctx.who);
  // Other parameters were refused before: the pipeline takes only those the document declares.
  for (const auto& [key, value] : ctx.request.query) {
    if (key == "after") {
      auto decoded = cursors.decode(value, viewer);
      if (!decoded) return fail(decoded.error().withContext("after"));
      after = *decoded;
    } else if (key == "limit") {
      if (!isLimit(value)) return fail(invalidArgument("limit: 1-1000"));
      limit = std::stoul(value);
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
        items.push_back(eventJson(e, cursors, viewer));
      }
      if (events.size() < 1000) break;
    }
    return Status::ok();
  }));
  return jsonReply(
      200, json{{"items", std::move(items)}, {"next_cursor", cursors.encode(cursor, viewer)}});
}

// Without a streaming transport (tests, the fuzz target) the stream is the backlog: the events
// after the cursor as one text/event-stream body. The HTTP server streams instead.
Result<HttpResponse> Api::Impl::streamEvents(Context& ctx) {
  std::uint64_t after = 0;
  const std::string viewer = viewerOf(ctx.who);
  if (const std::string* last = ctx.request.header("last-event-id")) {
    auto decoded = cursors.decode(*last, viewer);
    if (!decoded) {
      return problem(400, "invalid-argument", "Last-Event-ID: " + decoded.error().message(),
                     "Last-Event-ID");
    }
    after = *decoded;
  } else if (auto it = ctx.request.query.find("after"); it != ctx.request.query.end()) {
    auto decoded = cursors.decode(it->second, viewer);
    if (!decoded) return fail(decoded.error().withContext("after"));
    after = *decoded;
  }
  const bool from_now =
      !ctx.request.header("last-event-id") && !ctx.request.query.contains("after");
  std::string body;
  if (!from_now) {  // no cursor: what happens from now on, no backlog
    LP_RETURN_IF_ERROR(deps.store->read([&](StoreTransaction& tx) -> Status {
      LP_ASSIGN_OR_RETURN(auto events, tx.eventsAfter(after, 1000));
      for (const EventRecord& e : events) {
        if (ctx.who.sees(e.tenant)) body += sseFrame(e, cursors, viewer);
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
