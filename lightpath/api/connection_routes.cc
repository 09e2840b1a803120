// Connections, quotes and orders: what customers automate against.
#include <fmt/format.h>

#include <cmath>

#include "lightpath/api/internal/api_impl.h"
#include "lightpath/service/connection_json.h"

namespace lightpath {
namespace {

Status wrongType(std::string_view field, std::string_view wanted) {
  return invalidArgument(fmt::format("{}: must be {}", field, wanted));
}

Result<std::string> stringField(const json& j, const char* key, std::string_view where,
                                bool required) {
  auto it = j.find(key);
  if (it == j.end()) {
    if (required) return fail(invalidArgument(fmt::format("{}{}: required", where, key)));
    return std::string();
  }
  if (!it->is_string()) return fail(wrongType(fmt::format("{}{}", where, key), "a string"));
  const std::string& s = it->get_ref<const std::string&>();
  if (s.size() > 256)
    return fail(invalidArgument(fmt::format("{}{}: at most 256 characters", where, key)));
  return s;
}

Result<std::uint64_t> unsignedField(const json& j, const char* key, std::string_view where) {
  const json& v = j.at(key);
  if (!v.is_number_unsigned()) {
    return fail(wrongType(fmt::format("{}{}", where, key),
                          "a whole number, 0 or more (not a string or fraction)"));
  }
  return v.get<std::uint64_t>();
}

Result<TimePoint> timeField(const json& v, std::string_view field) {
  if (!v.is_string()) return fail(wrongType(field, "a UTC RFC 3339 time string"));
  auto t = parseTime(v.get_ref<const std::string&>());
  if (!t) return fail(t.error().withContext(field));
  return t;
}

}  // namespace

// The order body: the connection's spec in the shape connections are shown ("requested").
Result<ConnectionSpec> specFromApiJson(const json& j) {
  LP_RETURN_IF_ERROR(
      onlyFields(j, {"kind", "a_end", "z_end", "bandwidth_mbps", "protection", "max_latency_ms",
                     "start", "end", "steps", "vlan", "cloud", "sla", "term", "tags", "tenant"}));
  ConnectionSpec s;
  auto kind = stringField(j, "kind", "", true);
  if (!kind) return fail(kind.error());
  auto parsed_kind = parseConnectionKind(*kind);
  if (!parsed_kind)
    return fail(
        invalidArgument("kind: wavelength, ethernet or cloud, got '" + kind->substr(0, 40) + "'"));
  s.kind = *parsed_kind;
  auto a = stringField(j, "a_end", "", true);
  if (!a) return fail(a.error());
  auto z = stringField(j, "z_end", "", true);
  if (!z) return fail(z.error());
  s.a_end = *a;
  s.z_end = *z;
  if (!j.contains("bandwidth_mbps")) return fail(invalidArgument("bandwidth_mbps: required"));
  auto mbps = unsignedField(j, "bandwidth_mbps", "");
  if (!mbps) return fail(mbps.error());
  s.bandwidth_mbps = *mbps;
  if (j.contains("protection")) {
    auto p = stringField(j, "protection", "", false);
    if (!p) return fail(p.error());
    auto protection = parseProtection(*p);
    if (!protection)
      return fail(invalidArgument("protection: none or 1+1, got '" + p->substr(0, 40) + "'"));
    s.protection = *protection;
  }
  if (j.contains("max_latency_ms")) {
    const json& v = j.at("max_latency_ms");
    if (!v.is_number()) return fail(wrongType("max_latency_ms", "a number"));
    const double ms = v.get<double>();
    if (!std::isfinite(ms) || ms <= 0 || ms > 10'000) {
      return fail(invalidArgument("max_latency_ms: more than 0 and at most 10000"));
    }
    s.max_latency = Micros(ms * 1000.0);
  }
  for (const char* key : {"start", "end"}) {
    if (!j.contains(key)) continue;
    auto t = timeField(j.at(key), key);
    if (!t) return fail(t.error());
    (std::string_view(key) == "start" ? s.start : s.end) = *t;
  }
  if (j.contains("steps")) {
    const json& steps = j.at("steps");
    if (!steps.is_array()) return fail(wrongType("steps", "an array of {at, bandwidth_mbps}"));
    if (steps.size() > 1000) return fail(invalidArgument("steps: at most 1000"));
    for (std::size_t i = 0; i < steps.size(); ++i) {
      const std::string where = fmt::format("steps[{}].", i);
      const json& step = steps[i];
      if (!step.is_object())
        return fail(wrongType(fmt::format("steps[{}]", i), "an object {at, bandwidth_mbps}"));
      LP_RETURN_IF_ERROR(onlyFields(step, {"at", "bandwidth_mbps"}, where));
      if (!step.contains("at") || !step.contains("bandwidth_mbps")) {
        return fail(invalidArgument(where + "at, " + where + "bandwidth_mbps: both required"));
      }
      auto at = timeField(step.at("at"), where + "at");
      if (!at) return fail(at.error());
      auto step_mbps = unsignedField(step, "bandwidth_mbps", where);
      if (!step_mbps) return fail(step_mbps.error());
      s.steps.push_back({*at, *step_mbps});
    }
  }
  if (j.contains("vlan")) {
    auto vlan = unsignedField(j, "vlan", "");
    if (!vlan) return fail(vlan.error());
    if (*vlan > 4094) return fail(invalidArgument("vlan: 1-4094"));
    s.vlan = static_cast<std::uint16_t>(*vlan);
  }
  if (j.contains("cloud")) {
    const json& cloud = j.at("cloud");
    if (!cloud.is_object()) return fail(wrongType("cloud", "an object {provider, key}"));
    LP_RETURN_IF_ERROR(onlyFields(cloud, {"provider", "key"}, "cloud."));
    auto provider = stringField(cloud, "provider", "cloud.", true);
    if (!provider) return fail(provider.error());
    auto key = stringField(cloud, "key", "cloud.", false);
    if (!key) return fail(key.error());
    s.cloud_provider = *provider;
    s.cloud_key = *key;
  }
  for (auto [key, out] : {std::pair{"sla", &s.sla}, std::pair{"term", &s.term}}) {
    if (!j.contains(key)) continue;
    auto v = stringField(j, key, "", false);
    if (!v) return fail(v.error());
    *out = *v;
  }
  if (j.contains("tags")) {
    const json& tags = j.at("tags");
    if (!tags.is_object()) return fail(wrongType("tags", "an object of strings"));
    for (const auto& [k, v] : tags.items()) {
      if (!v.is_string()) return fail(wrongType("tags." + k.substr(0, 64), "a string"));
      s.tags[k] = v.get<std::string>();
    }
  }
  LP_RETURN_IF_ERROR(validateSpec(s));
  return s;
}

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

// The connection as the API shows it: its stored document.
std::string etagOf(std::uint64_t version) { return fmt::format("\"{}\"", version); }

HttpResponse connectionReply(int status, const Connection& c) {
  HttpResponse r = jsonReply(status, connectionToJson(c));
  r.headers.emplace_back("ETag", etagOf(c.version()));
  return r;
}

bool mayChange(const Context& ctx) { return ctx.who.role != Role::Viewer; }

HttpResponse viewerRefused() {
  return problem(403, "forbidden", "this key may only read (role viewer)");
}

}  // namespace

HttpResponse Api::Impl::createConnection(Context& ctx) {
  if (!mayChange(ctx)) return viewerRefused();
  auto body = parseObject(ctx.request.body);
  if (!body) return problemOf(body.error());
  auto spec = specFromApiJson(*body);
  if (!spec) return problemOf(spec.error());
  std::string tenant = ctx.who.tenant;
  if (body->contains("tenant")) {
    if (!ctx.isOperator())
      return problem(400, "invalid-argument", "tenant: only operators order for a tenant",
                     "tenant");
    if (!body->at("tenant").is_string())
      return problem(400, "invalid-argument", "tenant: must be a string", "tenant");
    tenant = body->at("tenant").get<std::string>();
  }
  if (tenant.empty())
    return problem(400, "invalid-argument", "tenant: operators say which tenant the order is for",
                   "tenant");
  if (ctx.isOperator()) {
    std::optional<DocumentRecord> known;
    Status read = deps.store->read([&](StoreTransaction& tx) -> Status {
      auto doc = tx.document("tenant", tenant);
      if (!doc) return doc.error();
      known = std::move(*doc);
      return Status::ok();
    });
    if (!read.isOk()) return problemOf(read);
    if (!known)
      return problem(400, "invalid-argument",
                     fmt::format("tenant: no tenant '{}'", tenant.substr(0, 40)), "tenant");
  }
  if (Status ends = checkEnds(*this, ctx, *spec); !ends.isOk()) return problemOf(ends);
  ctx.owner = tenant;
  HttpResponse reply;
  auto created = deps.provisioner->order(
      tenant, *spec, ctx.who.key_id, [&](StoreTransaction& tx, const Connection& c) {
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
    return problemOf(created.error());
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

HttpResponse Api::Impl::listConnections(Context& ctx) {
  auto page = paging(ctx.request);
  if (!page) return problemOf(page.error());
  ConnectionQuery query{.offset = page->first, .limit = page->second};
  if (!ctx.isOperator()) query.tenant = ctx.who.tenant;
  for (const auto& [key, value] : ctx.request.query) {
    if (key == "state") {
      if (!parseConnectionState(value))
        return problem(400, "invalid-argument",
                       fmt::format("state: no state '{}'", value.substr(0, 40)), "state");
      query.state = value;
    } else if (key == "tenant" && ctx.isOperator()) {
      query.tenant = value;
    } else if (key != "offset" && key != "limit") {
      return problem(400, "invalid-argument",
                     fmt::format("{}: unknown filter (known: state, offset, limit{})",
                                 key.substr(0, 40), ctx.isOperator() ? ", tenant" : ""),
                     key.substr(0, 40));
    }
  }
  std::vector<std::string> items;
  std::size_t total = 0;
  Status read = deps.store->read([&](StoreTransaction& tx) -> Status {
    auto rows = tx.connections(query, &total);
    if (!rows) return rows.error();
    for (ConnectionRecord& r : *rows) items.push_back(std::move(r.body));
    return Status::ok();
  });
  if (!read.isOk()) return problemOf(read);
  return jsonReply(200, pageJson(items, total, query.offset, query.limit));
}

namespace {

// The stored record of a connection the caller may see; NotFound otherwise.
Result<ConnectionRecord> visibleConnection(Store& store, const Context& ctx,
                                           const std::string& id) {
  std::optional<ConnectionRecord> record;
  LP_RETURN_IF_ERROR(store.read([&](StoreTransaction& tx) -> Status {
    auto r = tx.connection(id);
    if (!r) return r.error();
    record = std::move(*r);
    return Status::ok();
  }));
  if (!record || (!ctx.isOperator() && record->tenant != ctx.who.tenant)) {
    return fail(notFound(fmt::format("no connection '{}'", id.substr(0, 80))));
  }
  return std::move(*record);
}

// If-Match: "<version>" (or *); mismatch is 412.
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

HttpResponse Api::Impl::getConnection(Context& ctx) {
  auto record = visibleConnection(*deps.store, ctx, ctx.params[0]);
  if (!record) return problemOf(record.error());
  HttpResponse r = jsonReply(200, std::move(record->body));
  r.headers.emplace_back("ETag", etagOf(record->version));
  return r;
}

HttpResponse Api::Impl::patchConnection(Context& ctx) {
  if (!mayChange(ctx)) return viewerRefused();
  auto stored = visibleConnection(*deps.store, ctx, ctx.params[0]);
  if (!stored) return problemOf(stored.error());
  ctx.subject = stored->id;
  ctx.owner = stored->tenant;
  if (auto refused = checkIfMatch(ctx, stored->version)) return *refused;
  auto body = parseObject(ctx.request.body);
  if (!body) return problemOf(body.error());
  for (const char* schedule : {"start", "steps", "schedule"}) {
    if (body->contains(schedule)) {
      return problem(
          422, "failed-precondition",
          fmt::format(
              "{}: only the end of an ordered connection can move; for another start or steps, "
              "terminate it and order again",
              schedule),
          schedule);
    }
  }
  if (Status fields = onlyFields(*body, {"bandwidth_mbps", "tags", "end"}); !fields.isOk())
    return problemOf(fields);
  if (body->empty())
    return problem(400, "invalid-argument", "body: give bandwidth_mbps, end and/or tags to change");
  std::optional<std::optional<TimePoint>> end;  // set: move the end (to none: until terminated)
  if (body->contains("end")) {
    const json& e = body->at("end");
    if (e.is_null()) {
      end.emplace(std::nullopt);
    } else {
      if (!e.is_string())
        return problem(400, "invalid-argument", "end: a UTC RFC 3339 time, or null", "end");
      auto t = parseTime(e.get<std::string>());
      if (!t) return problemOf(t.error().withContext("end"));
      end.emplace(*t);
    }
  }
  std::optional<std::map<std::string, std::string>> tags;
  if (body->contains("tags")) {
    const json& t = body->at("tags");
    if (!t.is_object())
      return problem(400, "invalid-argument", "tags: must be an object of strings", "tags");
    tags.emplace();
    for (const auto& [k, v] : t.items()) {
      if (!v.is_string())
        return problem(400, "invalid-argument", "tags." + k.substr(0, 64) + ": must be a string",
                       "tags");
      (*tags)[k] = v.get<std::string>();
    }
  }
  std::optional<std::uint64_t> expected = stored->version;
  if (body->contains("bandwidth_mbps")) {
    // The capacity is held now (or the answer says why not); the devices follow, as for orders:
    // 202, and the connection goes modifying -> active (or back as it was, with the reason).
    const json& v = body->at("bandwidth_mbps");
    if (!v.is_number_unsigned())
      return problem(400, "invalid-argument", "bandwidth_mbps: must be a whole number",
                     "bandwidth_mbps");
    if (tags || end) {
      return problem(400, "invalid-argument",
                     "bandwidth_mbps: change it on its own, not with tags or end",
                     "bandwidth_mbps");
    }
    const std::uint64_t mbps = v.get<std::uint64_t>();
    HttpResponse reply;
    auto begun = deps.provisioner->beginModify(stored->id, mbps, expected, ctx.who.key_id,
                                               [&](StoreTransaction& tx, const Connection& c) {
                                                 reply = connectionReply(202, c);
                                                 ctx.recorded = true;
                                                 return record(tx, ctx, reply);
                                               });
    if (!begun) {
      ctx.recorded = false;
      return problemOf(begun.error());
    }
    if (deps.workflows) {
      deps.workflows->finishModify(stored->id, mbps);
    } else {
      (void)deps.provisioner->finishModify(stored->id, mbps);
    }
    return reply;
  }
  if (end) {
    auto moved = deps.provisioner->setEnd(stored->id, *end, expected, ctx.who.key_id);
    if (!moved) return problemOf(moved.error());
    expected.reset();
    if (!tags) return connectionReply(200, *moved);
  }
  if (tags) {
    auto changed =
        deps.provisioner->setTags(stored->id, std::move(*tags), expected, ctx.who.key_id);
    if (!changed) return problemOf(changed.error());
    return connectionReply(200, *changed);
  }
  auto now = deps.provisioner->get(stored->id);
  if (!now) return problemOf(now.error());
  return connectionReply(200, *now);
}

HttpResponse Api::Impl::deleteConnection(Context& ctx) {
  if (!mayChange(ctx)) return viewerRefused();
  auto stored = visibleConnection(*deps.store, ctx, ctx.params[0]);
  if (!stored) return problemOf(stored.error());
  ctx.subject = stored->id;
  ctx.owner = stored->tenant;
  if (auto refused = checkIfMatch(ctx, stored->version)) return *refused;
  if (stored->state == "terminated") {
    auto c = connectionFromJson(stored->body);
    if (!c) return problemOf(c.error());
    return connectionReply(200, *c);  // already gone: deleting again changes nothing
  }
  HttpResponse reply;
  auto begun = deps.provisioner->beginTerminate(stored->id, ctx.who.key_id,
                                                [&](StoreTransaction& tx, const Connection& c) {
                                                  reply = connectionReply(202, c);
                                                  ctx.recorded = true;
                                                  return record(tx, ctx, reply);
                                                });
  if (!begun) {
    ctx.recorded = false;
    return problemOf(begun.error());
  }
  if (!ctx.recorded) reply = connectionReply(202, *begun);  // it was deprovisioning already
  if (deps.workflows) {
    deps.workflows->terminate(stored->id, ctx.who.key_id);
  } else {
    (void)deps.provisioner->terminate(stored->id, ctx.who.key_id);
  }
  return reply;
}

HttpResponse Api::Impl::createQuote(Context& ctx) {
  auto body = parseObject(ctx.request.body);
  if (!body) return problemOf(body.error());
  if (body->contains("tenant") && !ctx.isOperator()) {
    return problem(400, "invalid-argument", "tenant: only operators order for a tenant", "tenant");
  }
  auto spec = specFromApiJson(*body);
  if (!spec) return problemOf(spec.error());
  if (Status ends = checkEnds(*this, ctx, *spec); !ends.isOk()) return problemOf(ends);
  auto quoted = deps.provisioner->quote(*spec);
  if (!quoted) {
    const Status& why = quoted.error();
    if (why.code() != StatusCode::FailedPrecondition && why.code() != StatusCode::ResourceExhausted)
      return problemOf(why);
    return jsonReply(
        200, json{{"feasible", false},
                  {"reason", why.message()},
                  {"type", why.code() == StatusCode::ResourceExhausted ? "insufficient-capacity"
                                                                       : "no-feasible-path"}});
  }
  Connection draft =
      Connection::draft("quote", ctx.who.tenant, *spec, deps.clock->now(), ctx.who.key_id);
  draft.setCurrent(*quoted);
  json shown = json::parse(connectionToJson(draft));
  json current = std::move(shown["current"]);
  current.erase("holds");
  json out{{"feasible", true}, {"requested", std::move(shown["requested"])}};
  for (auto& [key, value] : current.items()) out[key] = std::move(value);
  if (spec->max_latency)
    out["latency_margin_ms"] = spec->max_latency->value() / 1000.0 - quoted->latency_ms;
  return jsonReply(200, out);
}

HttpResponse Api::Impl::listOrders(Context& ctx) {
  DocumentQuery query{.kind = "order", .newest_first = true};
  if (!ctx.isOperator()) query.tenant = ctx.who.tenant;
  return documentPage(*deps.store, ctx.request, query,
                      [](DocumentRecord& d) { return std::move(d.body); });
}

HttpResponse Api::Impl::getOrder(Context& ctx) {
  auto doc = readDocument(*deps.store, "order", ctx.params[0]);
  if (!doc) return problemOf(doc.error());
  if (!*doc || (!ctx.isOperator() && (*doc)->tenant != ctx.who.tenant)) {
    return problem(404, "not-found", fmt::format("no order '{}'", ctx.params[0].substr(0, 80)));
  }
  return jsonReply(200, std::move((*doc)->body));
}

}  // namespace lightpath
