// Helpers every route file uses: JSON replies, paging, documents, request bodies, and what a
// caller may see.
#include <fmt/format.h>

#include "lightpath/api/internal/api_impl.h"

namespace lightpath {

std::string dumpJson(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

HttpResponse jsonReply(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.headers.emplace_back("Content-Type", "application/json");
  r.body = std::move(body);
  return r;
}

HttpResponse jsonReply(int status, const json& body) { return jsonReply(status, dumpJson(body)); }

Result<std::pair<std::size_t, std::size_t>> paging(const HttpRequest& request) {
  auto number = [&](const char* name, std::size_t fallback,
                    std::size_t max) -> Result<std::size_t> {
    auto it = request.query.find(name);
    if (it == request.query.end()) return fallback;
    const std::string& text = it->second;
    if (text.empty() || text.size() > 9 ||
        text.find_first_not_of("0123456789") != std::string::npos) {
      return fail(invalidArgument(
          fmt::format("{}: a whole number 0-{}, got '{}'", name, max, text.substr(0, 20))));
    }
    const std::size_t value = std::stoul(text);
    if (value > max)
      return fail(invalidArgument(fmt::format("{}: at most {}, got {}", name, max, value)));
    return value;
  };
  LP_ASSIGN_OR_RETURN(auto offset, number("offset", 0, 100'000'000));
  LP_ASSIGN_OR_RETURN(auto limit, number("limit", 100, 1000));
  if (limit == 0) return fail(invalidArgument("limit: at least 1"));
  return std::pair{offset, limit};
}

std::string pageJson(const std::vector<std::string>& items, std::optional<std::size_t> total,
                     std::size_t offset, std::size_t limit,
                     const std::optional<std::string>& next_cursor) {
  std::string out = "{\"items\":[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    out += items[i];
  }
  out += ']';
  if (total) out += fmt::format(",\"total\":{}", *total);
  out += fmt::format(",\"offset\":{},\"limit\":{}", offset, limit);
  if (next_cursor) out += fmt::format(",\"next_cursor\":{}", json(*next_cursor).dump());
  out += '}';
  return out;
}

Status checkHolding(StoreTransaction& tx, const std::string& kind, const std::string& tenant,
                    std::size_t most, std::string_view what) {
  if (tenant.empty()) return Status::ok();
  std::size_t held = 0;
  LP_RETURN_IF_ERROR(statusOf(tx.documents({.kind = kind, .tenant = tenant, .limit = 1}, &held)));
  if (held < most) return Status::ok();
  return failedPrecondition(fmt::format(
      "tenant '{}' has {} {}, the most it may hold; remove one first", tenant, most, what));
}

Result<std::optional<DocumentRecord>> readDocument(Store& store, const std::string& kind,
                                                   const std::string& id) {
  std::optional<DocumentRecord> doc;
  LP_RETURN_IF_ERROR(store.read([&](StoreTransaction& tx) -> Status {
    LP_ASSIGN_OR_RETURN(auto d, tx.document(kind, id));
    doc = std::move(d);
    return Status::ok();
  }));
  return doc;
}

Result<HttpResponse> documentPage(Store& store, const HttpRequest& request,
                                  const EventCursors& cursors, const std::string& viewer,
                                  DocumentQuery query,
                                  const std::function<std::string(DocumentRecord&)>& show) {
  LP_ASSIGN_OR_RETURN(auto page, paging(request));
  query.offset = page.first;
  query.limit = page.second;
  // The cursor is the place in the store's sequence of documents, opaque like event cursors
  // (it would otherwise count other tenants' documents) and tied to the viewer and the list.
  const std::string list = viewer + "/" + query.kind;
  if (auto after = request.query.find("after"); after != request.query.end()) {
    if (query.offset > 0) return fail(invalidArgument("after: a cursor or an offset, not both"));
    auto seq = cursors.decode(after->second, list);
    if (!seq) return fail(seq.error().withContext("after"));
    query.after_seq = *seq;
  }
  std::vector<std::string> items;
  std::size_t total = 0;
  std::optional<std::string> next;
  LP_RETURN_IF_ERROR(store.read([&](StoreTransaction& tx) -> Status {
    LP_ASSIGN_OR_RETURN(auto docs, tx.documents(query, &total));
    if (docs.size() == query.limit && !docs.empty()) next = cursors.encode(docs.back().seq, list);
    for (DocumentRecord& d : docs) items.push_back(show(d));
    return Status::ok();
  }));
  return jsonReply(200, pageJson(items, total, query.offset, query.limit, next));
}

Result<json> parseObject(std::string_view body) {
  if (body.empty()) return fail(invalidArgument("body: a JSON object is required"));
  json j;
  try {
    j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  } catch (const json::exception& e) {  // numbers out of range throw even so
    return fail(invalidArgument(
        fmt::format("body: not usable JSON: {}", std::string(e.what()).substr(0, 200))));
  }
  if (j.is_discarded()) {
    // Parse again for the position and reason (rare path: only for broken input).
    try {
      json ignored = json::parse(body);
      (void)ignored;
    } catch (const json::parse_error& e) {
      return fail(invalidArgument(fmt::format("body: not valid JSON (byte {}): {}", e.byte,
                                              std::string(e.what()).substr(0, 200))));
    } catch (const json::exception& e) {
      return fail(invalidArgument(
          fmt::format("body: not usable JSON: {}", std::string(e.what()).substr(0, 200))));
    }
    return fail(invalidArgument("body: not valid JSON"));
  }
  if (!j.is_object()) return fail(invalidArgument("body: a JSON object is required"));
  return j;
}

std::optional<std::string> Api::Impl::portOwner(const std::string& port_id) const {
  {
    std::shared_lock lock(ports_mutex);
    if (auto it = port_owner.find(port_id); it != port_owner.end()) {
      if (it->second.empty()) return std::nullopt;
      return it->second;
    }
  }
  auto it = ports_by_id.find(port_id);
  if (it == ports_by_id.end() || !it->second->tenant) return std::nullopt;
  return *it->second->tenant;
}

Result<DocumentRecord> Api::Impl::visibleDocument(const Context& ctx, const std::string& kind,
                                                  const std::string& id,
                                                  std::string_view what) const {
  LP_ASSIGN_OR_RETURN(std::optional<DocumentRecord> doc, readDocument(*deps.store, kind, id));
  if (!doc || !ctx.who.sees(doc->tenant))
    return fail(notFound(fmt::format("no {} '{}'", what, id.substr(0, 80))));
  return std::move(*doc);
}

Result<ConnectionRecord> Api::Impl::visibleConnection(const Context& ctx,
                                                      const std::string& id) const {
  std::optional<ConnectionRecord> record;
  LP_RETURN_IF_ERROR(deps.store->read([&](StoreTransaction& tx) -> Status {
    LP_ASSIGN_OR_RETURN(record, tx.connection(id));
    return Status::ok();
  }));
  if (!record || !ctx.who.sees(record->tenant)) {
    return fail(notFound(fmt::format("no connection '{}'", id.substr(0, 80))));
  }
  return std::move(*record);
}

}  // namespace lightpath
