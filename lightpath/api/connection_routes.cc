// Connections, quotes and orders: what customers automate against.
#include <fmt/format.h>

#include "lightpath/api/internal/api_impl.h"
#include "lightpath/base/crypto.h"
#include "lightpath/base/ids.h"
#include "lightpath/service/connection_json.h"

namespace lightpath {
namespace {

// Tenants order from their own ports (a cloud connection ends at an on-ramp port anyone may
// use); another tenant's port answers exactly like one that does not exist.
Status checkEnds(const Api::Impl& api, const Context& ctx, const ConnectionSpec& spec) {
  if (ctx.isOperator() || spec.kind == ConnectionKind::Wavelength) return Status::ok();
  auto mine = [&](const std::string& port, const char* field) -> Status {
    auto owner = api.portOwner(port);
    if (!owner || *owner != ctx.who.tenant)
      return invalidArgument(fmt::format("{}: no port '{}'", field, port.substr(0, 80)));
    return Status::ok();
  };
  LP_RETURN_IF_ERROR(mine(spec.a_end, "a_end"));
  if (spec.kind == ConnectionKind::Ethernet) return mine(spec.z_end, "z_end");
  return Status::ok();
}

// A quote's id is the quote itself, signed: the tenant, the spec (hashed), the price and when
// it lapses, under a key derived from the master key. Any instance honours it; nothing is
// stored per quote (quotes stay as cheap as reads).
std::string priceText(const Realization::Price& p) {
  return fmt::format("{} {} {:.2f}/mo {:.4f}/h {:.2f} setup", p.currency, p.term, p.monthly,
                     p.hourly, p.setup);
}

// What a quote is for: the spec but its tags (they change no price).
std::string specHash(ConnectionSpec spec) {
  spec.tags.clear();
  return sha256Hex(specToJson(spec).dump());
}

std::string quoteId(const std::string& key, const std::string& tenant, const ConnectionSpec& spec,
                    const Realization::Price& price, std::int64_t until) {
  const json claims{{"t", tenant}, {"s", specHash(spec)}, {"p", priceText(price)}, {"u", until}};
  const std::string payload = base64UrlEncode(claims.dump());
  return "quo_" + payload + "." + base64UrlEncode(hmacSha256(key, payload));
}

// The price an order naming `id` must get; 400 when it is no quote of ours (or another
// tenant's), 409 when it lapsed or was for another order.
Result<std::string> quotedPrice(const std::string& key, const std::string& id,
                                const std::string& tenant, const ConnectionSpec& spec,
                                std::int64_t now) {
  const auto dot = id.rfind('.');
  const std::string payload =
      id.starts_with("quo_") && dot != std::string::npos ? id.substr(4, dot - 4) : std::string();
  const auto signature = base64UrlDecode(dot == std::string::npos ? "" : id.substr(dot + 1));
  const auto text = base64UrlDecode(payload);
  const json claims = text ? json::parse(*text, nullptr, false) : json();
  if (payload.empty() || !signature || !constantTimeEquals(*signature, hmacSha256(key, payload)) ||
      !claims.is_object() || claims.value("t", "") != tenant) {
    return fail(invalidArgument("quote_id: not a quote of this service for this tenant"));
  }
  if (claims.value("u", std::int64_t{0}) <= now) {
    return fail(
        aborted(fmt::format("quote_id: the quote lapsed at {}: quote again",
                            formatTime(TimePoint(std::chrono::seconds(claims.value("u", 0)))))));
  }
  if (claims.value("s", "") != specHash(spec))
    return fail(aborted("quote_id: the quote was for another order: quote this one"));
  return claims.value("p", "");
}

// An order's or quote's body: the connection's spec in the shape connections show it
// ("requested"), plus the tenant an operator orders for.
Result<ConnectionSpec> specOfBody(json body) {
  body.erase("tenant");
  LP_ASSIGN_OR_RETURN(ConnectionSpec spec, specFromJson(body));
  LP_RETURN_IF_ERROR(validateSpec(spec));
  return spec;
}

std::string etagOf(std::uint64_t version) { return fmt::format("\"{}\"", version); }

HttpResponse connectionReply(int status, const Connection& c) {
  HttpResponse r = jsonReply(status, connectionView(c));
  r.headers.emplace_back("ETag", etagOf(c.version()));
  return r;
}

// If-Match: "<version>" (or *); a mismatch is 412.
std::optional<HttpResponse> checkIfMatch(const Context& ctx, std::uint64_t version) {
  const std::string* given = ctx.request.header("if-match");
  if (!given || *given == "*") return std::nullopt;
  std::string_view tag = *given;
  if (tag.starts_with("W/")) tag.remove_prefix(2);
  if (tag != etagOf(version)) {
    return problem(412, "precondition-failed",
                   fmt::format("the connection is at version {} (ETag {}), not {}", version,
                               etagOf(version), std::string(tag.substr(0, 40))),
                   "If-Match");
  }
  return std::nullopt;
}

}  // namespace

Result<std::string> Api::Impl::orderingTenant(const Context& ctx, const json& body) const {
  std::string tenant = ctx.who.tenant;
  if (body.contains("tenant")) {
    if (!ctx.isOperator())
      return fail(invalidArgument("tenant: only operators order for a tenant"));
    if (!body.at("tenant").is_string()) return fail(invalidArgument("tenant: must be a string"));
    tenant = body.at("tenant").get<std::string>();
  }
  if (tenant.empty())
    return fail(invalidArgument("tenant: operators say which tenant the order is for"));
  if (ctx.isOperator()) {
    LP_ASSIGN_OR_RETURN(auto known, readDocument(*deps.store, "tenant", tenant));
    if (!known)
      return fail(invalidArgument(fmt::format("tenant: no tenant '{}'", tenant.substr(0, 40))));
  }
  return tenant;
}

Result<HttpResponse> Api::Impl::createConnection(Context& ctx) {
  LP_ASSIGN_OR_RETURN(json body, parseObject(ctx.request.body));
  std::optional<std::string> quote_id;
  if (body.contains("quote_id")) {
    if (!body.at("quote_id").is_string())
      return fail(invalidArgument("quote_id: the id of a quote (POST /v1/quotes)"));
    quote_id = body.at("quote_id").get<std::string>();
    body.erase("quote_id");
  }
  LP_ASSIGN_OR_RETURN(ConnectionSpec spec, specOfBody(body));
  LP_ASSIGN_OR_RETURN(const std::string tenant, orderingTenant(ctx, body));
  LP_RETURN_IF_ERROR(checkEnds(*this, ctx, spec));
  std::optional<std::string> agreed;
  if (quote_id) {
    const std::int64_t now =
        std::chrono::duration_cast<std::chrono::seconds>(deps.clock->now().time_since_epoch())
            .count();
    LP_ASSIGN_OR_RETURN(agreed, quotedPrice(quote_key, *quote_id, tenant, spec, now));
  }
  ctx.owner = tenant;
  HttpResponse reply;
  auto created = deps.provisioner->order(
      tenant, spec, ctx.who.key_id, [&](StoreTransaction& tx, const Connection& c) {
        // Exactly the quoted price, or nothing is held (the route, and so the price, may have
        // changed with the network since).
        const auto& price = c.current().price;
        if (agreed && (!price || priceText(*price) != *agreed)) {
          return aborted(
              fmt::format("quote_id: the price is no longer the quoted one ({}; now {}): "
                          "quote again",
                          *agreed, price ? priceText(*price) : "none"));
        }
        // The audit entry, the order and the idempotency record commit with the connection.
        reply = connectionReply(201, c);
        reply.headers.emplace_back("Location", "/v1/connections/" + c.id());
        ctx.subject = c.id();
        ctx.recorded = true;
        return record(tx, ctx, reply);
      });
  if (!created) {
    ctx.recorded = false;
    ctx.subject.clear();
    return fail(created.error());
  }
  if (!created->requested().start) {
    if (deps.workflows) {
      deps.workflows->activate(created->id());
    } else {
      (void)deps.provisioner->activate(created->id());
    }
  }
  return reply;
}

// A redundant pair of cloud connections, ordered together: one on-ramp port in each of the
// provider's diversity zones, the second routed on no fiber or shared-risk group of the first.
// The second fails: the first is terminated again, and the reply says why.
Result<HttpResponse> Api::Impl::createConnectionPair(Context& ctx) {
  LP_ASSIGN_OR_RETURN(json body, parseObject(ctx.request.body));
  LP_RETURN_IF_ERROR(onlyFields(body, {"primary", "secondary", "tenant"}, ""));
  ConnectionSpec specs[2];
  const char* names[2] = {"primary", "secondary"};
  for (int i = 0; i < 2; ++i) {
    if (!body.contains(names[i]) || !body[names[i]].is_object())
      return fail(
          invalidArgument(fmt::format("{}: an order (as POST /v1/connections takes)", names[i])));
    auto spec = specOfBody(body[names[i]]);
    if (!spec) return fail(spec.error().withContext(names[i]));
    specs[i] = std::move(*spec);
    if (specs[i].kind != ConnectionKind::Cloud)
      return fail(invalidArgument(
          fmt::format("{}.kind: a redundant pair is two cloud connections", names[i])));
    if (!specs[i].diverse_from.empty())
      return fail(invalidArgument(fmt::format("{}.diverse_from: the pair sets it", names[i])));
  }
  if (specs[0].cloud_provider != specs[1].cloud_provider)
    return fail(invalidArgument("secondary.cloud.provider: both legs go to one provider"));
  if (specs[0].cloud_provider == "azure" && specs[0].cloud_key != specs[1].cloud_key)
    return fail(
        invalidArgument("secondary.cloud.service_key: an ExpressRoute circuit's two links take its "
                        "one service key"));
  int zones[2] = {0, 0};
  for (int i = 0; i < 2; ++i) {
    for (const Port& port : deps.topology->ports()) {
      if (port.id == specs[i].z_end) zones[i] = port.zone;
    }
    if (zones[i] == 0)
      return fail(
          invalidArgument(fmt::format("{}.z_end: '{}' is no on-ramp port in a diversity zone",
                                      names[i], specs[i].z_end.substr(0, 80))));
  }
  if (zones[0] == zones[1])
    return fail(
        invalidArgument(fmt::format("secondary.z_end: '{}' is in zone {} like the primary's; a "
                                    "redundant pair takes one port in each",
                                    specs[1].z_end, zones[1])));
  LP_ASSIGN_OR_RETURN(const std::string tenant, orderingTenant(ctx, body));
  for (int i = 0; i < 2; ++i) {
    if (Status ends = checkEnds(*this, ctx, specs[i]); !ends.isOk())
      return fail(ends.withContext(names[i]));
  }
  ctx.owner = tenant;
  auto primary = deps.provisioner->order(tenant, specs[0], ctx.who.key_id);
  if (!primary) return fail(primary.error().withContext("primary"));
  specs[1].diverse_from = primary->id();
  HttpResponse reply;
  auto secondary = deps.provisioner->order(
      tenant, specs[1], ctx.who.key_id, [&](StoreTransaction& tx, const Connection& c) {
        const std::string items = "[" + connectionView(*primary) + "," + connectionView(c) + "]";
        reply = jsonReply(201, R"({"items":)" + items + "}");
        ctx.subject = primary->id();
        ctx.recorded = true;
        return record(tx, ctx, reply);
      });
  if (!secondary) {
    ctx.recorded = false;
    ctx.subject.clear();
    (void)deps.provisioner->terminate(primary->id(), ctx.who.key_id);
    return fail(secondary.error().withContext("secondary"));
  }
  for (const Connection* c : {&*primary, &*secondary}) {
    if (c->requested().start) continue;
    if (deps.workflows) {
      deps.workflows->activate(c->id());
    } else {
      (void)deps.provisioner->activate(c->id());
    }
  }
  return reply;
}

// Ids sort by when they were made (base/ids.h), so the list's order is the order of creation, a
// cursor (the last id seen) does not shift when connections are added, and a creation window is
// a range of ids.
Result<HttpResponse> Api::Impl::listConnections(Context& ctx) {
  LP_ASSIGN_OR_RETURN(auto page, paging(ctx.request));
  ConnectionQuery query{.offset = page.first, .limit = page.second};
  if (!ctx.isOperator()) query.tenant = ctx.who.tenant;
  std::optional<std::string> cursor;
  auto idAt = [](std::string_view field, const std::string& value,
                 int after_ms) -> Result<std::string> {
    auto t = parseTime(value);
    if (!t) return fail(invalidArgument(fmt::format("{}: a UTC RFC 3339 time", field)));
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t->time_since_epoch());
    if (ms.count() < 0) return fail(invalidArgument(fmt::format("{}: before 1970", field)));
    return idTimePrefix("conn", static_cast<std::uint64_t>(ms.count() + after_ms));
  };
  for (const auto& [key, value] : ctx.request.query) {
    if (key == "state") {
      if (!parseConnectionState(value))
        return fail(invalidArgument(fmt::format("state: no state '{}'", value.substr(0, 40))));
      query.state = value;
    } else if (key == "tenant" && ctx.isOperator()) {
      query.tenant = value;
    } else if (key == "after") {
      if (!isId(value, "conn")) return fail(invalidArgument("after: a connection id"));
      cursor = value;
    } else if (key == "sort") {
      if (value != "created_at" && value != "-created_at")
        return fail(invalidArgument("sort: created_at (oldest first) or -created_at"));
      query.newest_first = value == "-created_at";
    } else if (key == "created_after") {
      LP_ASSIGN_OR_RETURN(query.after_id, idAt(key, value, 1));  // made in a later millisecond
    } else if (key == "created_before") {
      LP_ASSIGN_OR_RETURN(query.before_id, idAt(key, value, 0));
    } else if (key == "kind") {
      if (!parseConnectionKind(value))
        return fail(invalidArgument(
            fmt::format("kind: no kind '{}' (wavelength, ethernet, cloud)", value.substr(0, 40))));
      query.terms.push_back("kind:" + value);
    } else if (key == "end") {  // either end: a port, or a site for wavelengths
      if (value.empty() || value.size() > 200)
        return fail(invalidArgument("end: a port or site id"));
      query.terms.push_back("end:" + value);
    } else if (key == "tag") {  // key=value; several: all of them
      if (value.find('=') == std::string::npos || value.size() > 600)
        return fail(invalidArgument("tag: key=value"));
      query.terms.push_back("tag:" + value);
    } else if (key != "offset" && key != "limit") {
      return problem(400, "invalid-argument",
                     fmt::format("{}: unknown filter (known: state, kind, end, tag, created_after, "
                                 "created_before, sort, after, offset, limit{})",
                                 key.substr(0, 40), ctx.isOperator() ? ", tenant" : ""),
                     key.substr(0, 40));
    }
  }
  if (cursor && query.offset > 0)
    return fail(invalidArgument("after: a cursor or an offset, not both"));
  std::vector<std::string> items;
  // Filtered by kind, end or tag, the list has no total: it would be a count of every match,
  // as slow as the book is large (the state and tenant have counts kept by the store).
  std::optional<std::size_t> total;
  if (query.terms.empty()) total = 0;
  std::optional<std::string> next;
  LP_RETURN_IF_ERROR(deps.store->read([&](StoreTransaction& tx) -> Status {
    ConnectionQuery window = query;  // `total` counts the whole window, not what is left of it
    if (cursor) {
      if (total) {
        LP_RETURN_IF_ERROR(statusOf(tx.connections({.tenant = query.tenant,
                                                    .state = query.state,
                                                    .after_id = query.after_id,
                                                    .before_id = query.before_id,
                                                    .limit = 0},
                                                   &*total)));
      }
      auto& bound = query.newest_first ? window.before_id : window.after_id;
      if (!bound || (query.newest_first ? *cursor < *bound : *cursor > *bound)) bound = cursor;
    }
    LP_ASSIGN_OR_RETURN(auto rows, tx.connections(window, cursor || !total ? nullptr : &*total));
    if (rows.size() == query.limit && !rows.empty()) next = rows.back().id;
    for (ConnectionRecord& r : rows) {
      items.push_back(storedConnectionView(std::move(r.body)));
    }
    return Status::ok();
  }));
  return jsonReply(200, pageJson(items, total, query.offset, query.limit, next));
}

Result<HttpResponse> Api::Impl::getConnection(Context& ctx) {
  LP_ASSIGN_OR_RETURN(ConnectionRecord record, visibleConnection(ctx, ctx.params[0]));
  HttpResponse r = jsonReply(200, storedConnectionView(std::move(record.body)));
  r.headers.emplace_back("ETag", etagOf(record.version));
  return r;
}

Result<HttpResponse> Api::Impl::patchConnection(Context& ctx) {
  LP_ASSIGN_OR_RETURN(ConnectionRecord stored, visibleConnection(ctx, ctx.params[0]));
  ctx.subject = stored.id;
  ctx.owner = stored.tenant;
  if (auto refused = checkIfMatch(ctx, stored.version)) return *refused;
  LP_ASSIGN_OR_RETURN(json body, parseObject(ctx.request.body));
  for (const char* schedule : {"start", "steps", "schedule"}) {
    if (body.contains(schedule)) {
      return problem(
          422, "failed-precondition",
          fmt::format(
              "{}: only the end of an ordered connection can move; for another start or steps, "
              "terminate it and order again",
              schedule),
          schedule);
    }
  }
  LP_RETURN_IF_ERROR(onlyFields(body, {"bandwidth_mbps", "tags", "end"}));
  if (body.empty())
    return fail(invalidArgument("body: give bandwidth_mbps, end and/or tags to change"));
  std::optional<std::optional<TimePoint>> end;  // set: move the end (to none: until terminated)
  if (body.contains("end")) {
    const json& e = body.at("end");
    if (e.is_null()) {
      end.emplace(std::nullopt);
    } else {
      if (!e.is_string()) return fail(invalidArgument("end: a UTC RFC 3339 time, or null"));
      auto t = parseTime(e.get<std::string>());
      if (!t) return fail(t.error().withContext("end"));
      end.emplace(*t);
    }
  }
  std::optional<std::map<std::string, std::string>> tags;
  if (body.contains("tags")) {
    const json& t = body.at("tags");
    if (!t.is_object()) return fail(invalidArgument("tags: must be an object of strings"));
    tags.emplace();
    for (const auto& [k, v] : t.items()) {
      if (!v.is_string()) {
        return problem(400, "invalid-argument", "tags." + k.substr(0, 64) + ": must be a string",
                       "tags");
      }
      (*tags)[k] = v.get<std::string>();
    }
  }
  std::optional<std::uint64_t> expected = stored.version;
  if (body.contains("bandwidth_mbps")) {
    // The capacity is held now (or the answer says why not); the devices follow, as for orders:
    // 202, and the connection goes modifying -> active (or back as it was, with the reason).
    const json& v = body.at("bandwidth_mbps");
    if (!v.is_number_unsigned())
      return fail(invalidArgument("bandwidth_mbps: must be a whole number"));
    if (tags || end)
      return fail(invalidArgument("bandwidth_mbps: change it on its own, not with tags or end"));
    const std::uint64_t mbps = v.get<std::uint64_t>();
    LP_ASSIGN_OR_RETURN(HttpResponse reply, acknowledge(ctx, [&](const AlsoInTransaction& also) {
                          return deps.provisioner->beginModify(stored.id, mbps, expected,
                                                               ctx.who.key_id, also);
                        }));
    if (deps.workflows) {
      deps.workflows->finishModify(stored.id, mbps);
    } else {
      (void)deps.provisioner->finishModify(stored.id, mbps);
    }
    return reply;
  }
  if (end) {
    LP_ASSIGN_OR_RETURN(Connection moved,
                        deps.provisioner->setEnd(stored.id, *end, expected, ctx.who.key_id));
    expected.reset();
    if (!tags) return connectionReply(200, moved);
  }
  if (tags) {
    LP_ASSIGN_OR_RETURN(Connection changed, deps.provisioner->setTags(stored.id, std::move(*tags),
                                                                      expected, ctx.who.key_id));
    return connectionReply(200, changed);
  }
  LP_ASSIGN_OR_RETURN(Connection now, deps.provisioner->get(stored.id));
  return connectionReply(200, now);
}

Result<HttpResponse> Api::Impl::acknowledge(
    Context& ctx, const std::function<Result<Connection>(const AlsoInTransaction&)>& begin) {
  HttpResponse reply;
  auto begun = begin([&](StoreTransaction& tx, const Connection& c) {
    reply = connectionReply(202, c);
    ctx.recorded = true;
    return record(tx, ctx, reply);
  });
  if (!begun) {
    ctx.recorded = false;
    return fail(begun.error());
  }
  if (!ctx.recorded) reply = connectionReply(202, *begun);  // nothing to store: as it is
  return reply;
}

Result<HttpResponse> Api::Impl::deleteConnection(Context& ctx) {
  LP_ASSIGN_OR_RETURN(ConnectionRecord stored, visibleConnection(ctx, ctx.params[0]));
  ctx.subject = stored.id;
  ctx.owner = stored.tenant;
  if (auto refused = checkIfMatch(ctx, stored.version)) return *refused;
  if (stored.state == "terminated") {
    LP_ASSIGN_OR_RETURN(Connection c, connectionFromJson(stored.body));
    return connectionReply(200, c);  // already gone: deleting again changes nothing
  }
  // Deprovisioning already: answered as it is.
  LP_ASSIGN_OR_RETURN(HttpResponse reply, acknowledge(ctx, [&](const AlsoInTransaction& also) {
                        return deps.provisioner->beginTerminate(stored.id, ctx.who.key_id, also);
                      }));
  if (deps.workflows) {
    deps.workflows->terminate(stored.id, ctx.who.key_id);
  } else {
    (void)deps.provisioner->terminate(stored.id, ctx.who.key_id);
  }
  return reply;
}

// A new key now (make-before-break on both ends, off the request path): 202 with the connection
// showing the rotation under way; its events say when the new key is in use.
Result<HttpResponse> Api::Impl::rotateConnectionKey(Context& ctx) {
  LP_ASSIGN_OR_RETURN(ConnectionRecord stored, visibleConnection(ctx, ctx.params[0]));
  ctx.subject = stored.id;
  ctx.owner = stored.tenant;
  if (!ctx.request.body.empty()) {
    LP_ASSIGN_OR_RETURN(json body, parseObject(ctx.request.body));
    if (!body.empty()) return fail(invalidArgument("the body: rotate-key takes no fields"));
  }
  if (auto refused = checkIfMatch(ctx, stored.version)) return *refused;
  // Under way already: answered as it is.
  LP_ASSIGN_OR_RETURN(HttpResponse reply, acknowledge(ctx, [&](const AlsoInTransaction& also) {
                        return deps.provisioner->beginRotateKey(stored.id, ctx.who.key_id, also);
                      }));
  if (deps.workflows) {
    deps.workflows->finishRotateKey(stored.id);
  } else {
    (void)deps.provisioner->finishRotateKey(stored.id);
  }
  return reply;
}

Result<HttpResponse> Api::Impl::createQuote(Context& ctx) {
  LP_ASSIGN_OR_RETURN(json body, parseObject(ctx.request.body));
  if (body.contains("quote_id")) return fail(invalidArgument("quote_id: only orders name a quote"));
  if (body.contains("tenant") && !ctx.isOperator()) {
    return fail(invalidArgument("tenant: only operators order for a tenant"));
  }
  LP_ASSIGN_OR_RETURN(ConnectionSpec spec, specOfBody(body));
  LP_RETURN_IF_ERROR(checkEnds(*this, ctx, spec));
  auto quoted = deps.provisioner->quote(spec);
  if (!quoted) {
    const Status& why = quoted.error();
    if (why.code() != StatusCode::FailedPrecondition && why.code() != StatusCode::ResourceExhausted)
      return fail(why);
    return jsonReply(
        200, json{{"feasible", false},
                  {"reason", why.message()},
                  {"type", why.code() == StatusCode::ResourceExhausted ? "insufficient-capacity"
                                                                       : "no-feasible-path"}});
  }
  Connection draft =
      Connection::draft("quote", ctx.who.tenant, spec, deps.clock->now(), ctx.who.key_id);
  draft.setCurrent(*quoted);
  json shown = json::parse(connectionView(draft));
  json out{{"feasible", true}, {"requested", std::move(shown["requested"])}};
  // An id an order can name to get this price (the tenant's own: an operator's quote names the
  // tenant it is for).
  const std::string tenant = body.value("tenant", ctx.who.tenant);
  if (quoted->price && !tenant.empty()) {
    const TimePoint until = deps.clock->now() + limits.quote_validity;
    out["id"] =
        quoteId(quote_key, tenant, spec, *quoted->price,
                std::chrono::duration_cast<std::chrono::seconds>(until.time_since_epoch()).count());
    out["valid_until"] = formatTime(until);
  }
  for (auto& [key, value] : shown["current"].items()) out[key] = std::move(value);
  if (spec.max_latency)
    out["latency_margin_ms"] = spec.max_latency->value() / 1000.0 - quoted->latency_ms;
  return jsonReply(200, out);
}

Result<HttpResponse> Api::Impl::listOrders(Context& ctx) {
  DocumentQuery query{.kind = "order", .newest_first = true};
  if (!ctx.isOperator()) query.tenant = ctx.who.tenant;
  return documentPage(*deps.store, ctx.request, cursors, viewerOf(ctx.who), query,
                      [](DocumentRecord& d) { return std::move(d.body); });
}

Result<HttpResponse> Api::Impl::getOrder(Context& ctx) {
  LP_ASSIGN_OR_RETURN(DocumentRecord doc, visibleDocument(ctx, "order", ctx.params[0], "order"));
  return jsonReply(200, std::move(doc.body));
}

}  // namespace lightpath
