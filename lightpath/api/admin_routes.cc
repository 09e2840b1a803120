// Locations, ports, events, tenants, API keys, the topology and the audit log.
#include <fmt/format.h>

#include "lightpath/api/crypto.h"
#include "lightpath/api/internal/api_impl.h"
#include "lightpath/base/ids.h"
#include "lightpath/service/connection_json.h"

namespace lightpath {
namespace {

HttpResponse operatorsOnly() { return problem(403, "forbidden", "operators only"); }

json siteJson(const Site& s) {
  json j{{"id", s.id}, {"name", s.name}, {"kind", toString(s.kind)}, {"metro", s.metro}};
  if (s.location) {
    j["lat"] = s.location->lat;
    j["lon"] = s.location->lon;
  }
  if (!s.provider.empty()) j["provider"] = s.provider;
  if (!s.region.empty()) j["region"] = s.region;
  return j;
}

json keyJson(const DocumentRecord& d) {
  json body = json::parse(d.body, nullptr, false);
  if (body.is_discarded()) body = json::object();
  body.erase("hash");  // never shown
  body["id"] = d.id;
  body["tenant"] = d.tenant;
  return body;
}

}  // namespace

HttpResponse Api::Impl::listLocations(Context& ctx) {
  auto page = paging(ctx.request);
  if (!page) return problemOf(page.error());
  std::optional<SiteKind> kind;
  if (auto it = ctx.request.query.find("kind"); it != ctx.request.query.end()) {
    auto k = parseSiteKind(it->second);
    if (!k)
      return problem(400, "invalid-argument", "kind: pop, datacenter, cloud_onramp or enterprise",
                     "kind");
    kind = *k;
  }
  std::vector<std::string> items;
  std::size_t total = 0;
  for (const Site& s : deps.topology->sites()) {
    if (kind && s.kind != *kind) continue;
    if (total >= page->first && items.size() < page->second) items.push_back(dumpJson(siteJson(s)));
    ++total;
  }
  return jsonReply(200, pageJson(items, total, page->first, page->second));
}

HttpResponse Api::Impl::getLocation(Context& ctx) {
  const Site* site = deps.topology->findSite(ctx.params[0]);
  if (!site)
    return problem(404, "not-found", fmt::format("no location '{}'", ctx.params[0].substr(0, 80)));
  json j = siteJson(*site);
  json ports = json::array();
  for (const Port& p : deps.topology->ports()) {
    if (p.site != site->id) continue;
    const auto owner = portOwner(p.id);
    if (ctx.isOperator() || site->kind == SiteKind::CloudOnramp ||
        (owner && *owner == ctx.who.tenant))
      ports.push_back(p.id);
  }
  j["ports"] = ports;
  return jsonReply(200, j);
}

HttpResponse Api::Impl::listPorts(Context& ctx) {
  auto page = paging(ctx.request);
  if (!page) return problemOf(page.error());
  const TimePoint now = deps.clock->now();
  std::vector<std::string> items;
  std::size_t total = 0;
  const auto ports = deps.topology->ports();
  for (std::uint32_t i = 0; i < ports.size(); ++i) {
    const Port& p = ports[i];
    const Site* site = deps.topology->findSite(p.site);
    const bool onramp = site && site->kind == SiteKind::CloudOnramp;
    const auto owner = portOwner(p.id);
    const bool mine = owner && *owner == ctx.who.tenant;
    if (!ctx.isOperator() && !mine && !onramp) continue;
    if (total >= page->first && items.size() < page->second) {
      json j{{"id", p.id},
             {"name", p.name},
             {"site", p.site},
             {"node", p.node},
             {"speed_gbps", p.speed.value()}};
      if (onramp) {
        j["cloud_provider"] = site->provider;
        j["cloud_region"] = site->region;
      }
      if (ctx.isOperator() || mine) {
        j["tenant"] = owner ? json(*owner) : json(nullptr);
        j["used_mbps"] = static_cast<std::uint64_t>(
            deps.ledger->utilization({ResourceKind::PortBandwidth, i}, now) * p.speed.value() *
                1000.0 +
            0.5);
      }
      items.push_back(dumpJson(j));
    }
    ++total;
  }
  return jsonReply(200, pageJson(items, total, page->first, page->second));
}

HttpResponse Api::Impl::patchPort(Context& ctx) {
  if (!ctx.isOperator())
    return problem(404, "not-found", fmt::format("no port '{}'", ctx.params[0].substr(0, 80)));
  const std::string& id = ctx.params[0];
  if (!ports_by_id.contains(id))
    return problem(404, "not-found", fmt::format("no port '{}'", id.substr(0, 80)));
  ctx.subject = id;
  auto body = parseObject(ctx.request.body);
  if (!body) return problemOf(body.error());
  if (Status s = onlyFields(*body, {"tenant"}); !s.isOk()) return problemOf(s);
  if (!body->contains("tenant"))
    return problem(400, "invalid-argument", "tenant: required (a tenant id, or null to release)",
                   "tenant");
  const json& t = body->at("tenant");
  if (!t.is_null() && !t.is_string())
    return problem(400, "invalid-argument", "tenant: a tenant id or null", "tenant");
  const std::string tenant = t.is_null() ? "" : t.get<std::string>();
  if (!tenant.empty()) {
    auto known = readDocument(*deps.store, "tenant", tenant);
    if (!known) return problemOf(known.error());
    if (!*known)
      return problem(400, "invalid-argument",
                     fmt::format("tenant: no tenant '{}'", tenant.substr(0, 40)), "tenant");
  }
  ctx.owner = tenant;
  const json doc{
      {"port", id}, {"tenant", t}, {"at", formatTime(deps.clock->now())}, {"by", ctx.who.key_id}};
  HttpResponse reply = jsonReply(200, json{{"id", id}, {"tenant", t}});
  Status saved = commit(ctx, reply, [&](StoreTransaction& tx) {
    return tx.putDocument({"port_assignment", id, tenant, dumpJson(doc)});
  });
  if (!saved.isOk()) return problemOf(saved);
  std::unique_lock lock(ports_mutex);
  port_owner[id] = tenant;
  return reply;
}

HttpResponse Api::Impl::listEvents(Context& ctx) {
  std::uint64_t after = 0;
  std::size_t limit = 100;
  for (const auto& [key, value] : ctx.request.query) {
    const bool digits = !value.empty() && value.size() <= 19 &&
                        value.find_first_not_of("0123456789") == std::string::npos;
    if (key == "after") {
      if (!digits)
        return problem(400, "invalid-argument", "after: an event cursor (a whole number)", "after");
      after = std::stoull(value);
    } else if (key == "limit") {
      if (!digits || std::stoull(value) == 0 || std::stoull(value) > 1000) {
        return problem(400, "invalid-argument", "limit: 1-1000", "limit");
      }
      limit = std::stoull(value);
    } else {
      return problem(400, "invalid-argument",
                     fmt::format("{}: unknown parameter (known: after, limit)", key.substr(0, 40)),
                     key.substr(0, 40));
    }
  }
  json items = json::array();
  std::uint64_t cursor = after;
  Status read = deps.store->read([&](StoreTransaction& tx) -> Status {
    // Another tenant's events are skipped; at most 10 pages are read per request, and the
    // cursor returned lets the caller go on from where this one stopped.
    for (int pages = 0; pages < 10 && items.size() < limit; ++pages) {
      auto events = tx.eventsAfter(cursor, 1000);
      if (!events) return events.error();
      for (const EventRecord& e : *events) {
        if (items.size() >= limit) break;
        cursor = e.cursor;
        if (!ctx.isOperator() && e.tenant != ctx.who.tenant) continue;
        items.push_back(eventJson(e, ctx.isOperator()));
      }
      if (events->size() < 1000) break;
    }
    return Status::ok();
  });
  if (!read.isOk()) return problemOf(read);
  return jsonReply(200, json{{"items", std::move(items)}, {"next_cursor", cursor}});
}

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

// Without a streaming transport (tests, the fuzz target) the stream is the backlog: the events
// after the cursor as one text/event-stream body. The HTTP server streams instead.
HttpResponse Api::Impl::streamEvents(Context& ctx) {
  std::uint64_t after = 0;
  if (const std::string* last = ctx.request.header("last-event-id")) {
    if (last->empty() || last->size() > 19 ||
        last->find_first_not_of("0123456789") != std::string::npos) {
      return problem(400, "invalid-argument", "Last-Event-ID: an event cursor (a whole number)",
                     "Last-Event-ID");
    }
    after = std::stoull(*last);
  } else if (auto it = ctx.request.query.find("after"); it != ctx.request.query.end()) {
    const std::string& v = it->second;
    if (v.empty() || v.size() > 19 || v.find_first_not_of("0123456789") != std::string::npos) {
      return problem(400, "invalid-argument", "after: an event cursor (a whole number)", "after");
    }
    after = std::stoull(v);
  }
  const bool from_now =
      !ctx.request.header("last-event-id") && !ctx.request.query.contains("after");
  std::string body;
  Status read = deps.store->read([&](StoreTransaction& tx) -> Status {
    if (from_now) return Status::ok();  // no cursor: what happens from now on, no backlog
    auto events = tx.eventsAfter(after, 1000);
    if (!events) return events.error();
    for (const EventRecord& e : *events) {
      if (!ctx.isOperator() && e.tenant != ctx.who.tenant) continue;
      body += fmt::format("id: {}\nevent: {}\ndata: {}\n\n", e.cursor, e.type,
                          dumpJson(eventJson(e, ctx.isOperator())));
    }
    return Status::ok();
  });
  if (!read.isOk()) return problemOf(read);
  HttpResponse r;
  r.headers.emplace_back("Content-Type", "text/event-stream");
  r.headers.emplace_back("Cache-Control", "no-cache");
  r.body = std::move(body);
  return r;
}

HttpResponse Api::Impl::createTenant(Context& ctx) {
  if (!ctx.isOperator()) return operatorsOnly();
  auto body = parseObject(ctx.request.body);
  if (!body) return problemOf(body.error());
  if (Status s = onlyFields(*body, {"id", "name"}); !s.isOk()) return problemOf(s);
  if (!body->contains("id") || !body->at("id").is_string() ||
      !isTenantId(body->at("id").get<std::string>())) {
    return problem(400, "invalid-argument", "id: 1-40 of a-z, 0-9 and '-', starting with a letter",
                   "id");
  }
  const std::string id = body->at("id").get<std::string>();
  std::string name = id;
  if (body->contains("name")) {
    if (!body->at("name").is_string() || body->at("name").get<std::string>().size() > 200) {
      return problem(400, "invalid-argument", "name: a string of at most 200 characters", "name");
    }
    name = body->at("name").get<std::string>();
  }
  ctx.subject = id;
  ctx.owner = id;
  const json doc{{"id", id}, {"name", name}, {"created_at", formatTime(deps.clock->now())}};
  HttpResponse reply = jsonReply(201, doc);
  reply.headers.emplace_back("Location", "/v1/tenants/" + id);
  Status saved = commit(ctx, reply, [&](StoreTransaction& tx) -> Status {
    auto existing = tx.document("tenant", id);
    if (!existing) return existing.error();
    if (*existing) return alreadyExists(fmt::format("id: tenant '{}' exists", id));
    return tx.putDocument({"tenant", id, id, dumpJson(doc)});
  });
  if (!saved.isOk()) return problemOf(saved);
  return reply;
}

HttpResponse Api::Impl::listTenants(Context& ctx) {
  DocumentQuery query{.kind = "tenant"};
  if (!ctx.isOperator()) query.tenant = ctx.who.tenant;
  return documentPage(*deps.store, ctx.request, query,
                      [](DocumentRecord& d) { return std::move(d.body); });
}

HttpResponse Api::Impl::getTenant(Context& ctx) {
  const std::string& id = ctx.params[0];
  if (!ctx.isOperator() && id != ctx.who.tenant)
    return problem(404, "not-found", fmt::format("no tenant '{}'", id.substr(0, 80)));
  auto doc = readDocument(*deps.store, "tenant", id);
  if (!doc) return problemOf(doc.error());
  if (!*doc) return problem(404, "not-found", fmt::format("no tenant '{}'", id.substr(0, 80)));
  return jsonReply(200, std::move((*doc)->body));
}

HttpResponse Api::Impl::createKey(Context& ctx) {
  if (ctx.who.role == Role::Viewer)
    return problem(403, "forbidden", "this key may only read (role viewer)");
  auto body = parseObject(ctx.request.body);
  if (!body) return problemOf(body.error());
  if (Status s = onlyFields(*body, {"tenant", "role", "name"}); !s.isOk()) return problemOf(s);
  Role role = Role::Viewer;
  if (body->contains("role")) {
    if (!body->at("role").is_string())
      return problem(400, "invalid-argument", "role: operator, admin or viewer", "role");
    auto r = parseRole(body->at("role").get<std::string>());
    if (!r) return problemOf(r.error());
    role = *r;
  }
  std::string tenant = ctx.who.tenant;
  if (body->contains("tenant")) {
    if (!body->at("tenant").is_string())
      return problem(400, "invalid-argument", "tenant: a tenant id", "tenant");
    tenant = body->at("tenant").get<std::string>();
  }
  std::string name;
  if (body->contains("name")) {
    if (!body->at("name").is_string() || body->at("name").get<std::string>().size() > 200) {
      return problem(400, "invalid-argument", "name: a string of at most 200 characters", "name");
    }
    name = body->at("name").get<std::string>();
  }
  if (!ctx.isOperator()) {
    if (role == Role::Operator)
      return problem(403, "forbidden", "only operators make operator keys");
    if (tenant != ctx.who.tenant)
      return problem(400, "invalid-argument",
                     fmt::format("tenant: no tenant '{}'", tenant.substr(0, 40)), "tenant");
  }
  if (role == Role::Operator && !tenant.empty()) {
    return problem(400, "invalid-argument", "tenant: operator keys belong to no tenant", "tenant");
  }
  if (role != Role::Operator) {
    if (tenant.empty())
      return problem(400, "invalid-argument", "tenant: required for admin and viewer keys",
                     "tenant");
    auto known = readDocument(*deps.store, "tenant", tenant);
    if (!known) return problemOf(known.error());
    if (!*known)
      return problem(400, "invalid-argument",
                     fmt::format("tenant: no tenant '{}'", tenant.substr(0, 40)), "tenant");
  }
  ctx.owner = tenant;
  HttpResponse reply;
  std::string secret;
  json shown;
  Status saved = commit(ctx, reply, [&](StoreTransaction& tx) -> Status {
    auto made = makeKey(tenant, role, name, ctx.who.key_id, &tx);
    if (!made) return made.error();
    secret = made->second;
    ctx.subject = made->first;
    auto doc = tx.document("api_key", made->first);
    if (!doc || !*doc) return internalError("the new key was not stored");
    shown = keyJson(**doc);
    reply = jsonReply(201, shown);
    reply.headers.emplace_back("Location", "/v1/api-keys/" + made->first);
    return Status::ok();
  });
  if (!saved.isOk()) return problemOf(saved);
  // The secret is in this reply only; the idempotency record kept the reply without it.
  shown["secret"] = secret;
  reply.body = dumpJson(shown);
  std::unique_lock lock(keys_mutex);
  keys_by_hash[sha256Hex(secret)] = Principal{ctx.subject, tenant, role};
  return reply;
}

HttpResponse Api::Impl::listKeys(Context& ctx) {
  if (ctx.who.role == Role::Viewer)
    return problem(403, "forbidden", "this key may only read its tenant's services");
  DocumentQuery query{.kind = "api_key"};
  if (!ctx.isOperator()) query.tenant = ctx.who.tenant;
  return documentPage(*deps.store, ctx.request, query,
                      [](DocumentRecord& d) { return dumpJson(keyJson(d)); });
}

HttpResponse Api::Impl::deleteKey(Context& ctx) {
  if (ctx.who.role == Role::Viewer)
    return problem(403, "forbidden", "this key may only read (role viewer)");
  const std::string& id = ctx.params[0];
  auto doc = readDocument(*deps.store, "api_key", id);
  if (!doc) return problemOf(doc.error());
  if (!*doc || (!ctx.isOperator() && (*doc)->tenant != ctx.who.tenant)) {
    return problem(404, "not-found", fmt::format("no api key '{}'", id.substr(0, 80)));
  }
  const json body = json::parse((*doc)->body, nullptr, false);
  const std::string hash = body.is_discarded() ? "" : body.value("hash", "");
  if (body.value("role", "") == "operator") {
    std::shared_lock lock(keys_mutex);
    const auto operators =
        std::count_if(keys_by_hash.begin(), keys_by_hash.end(),
                      [](const auto& entry) { return entry.second.role == Role::Operator; });
    if (operators <= 1)
      return problem(422, "failed-precondition",
                     "this is the last operator key: make another first");
  }
  ctx.subject = id;
  ctx.owner = (*doc)->tenant;
  HttpResponse reply;
  reply.status = 204;
  Status saved =
      commit(ctx, reply, [&](StoreTransaction& tx) { return tx.deleteDocument("api_key", id); });
  if (!saved.isOk()) return problemOf(saved);
  std::unique_lock lock(keys_mutex);
  keys_by_hash.erase(hash);
  return reply;
}

// Everyone sees the network (the map); only operators see how full each fiber is.
HttpResponse Api::Impl::getTopology(Context& ctx) {
  const Topology& t = *deps.topology;
  const TimePoint now = deps.clock->now();
  json sites = json::array();
  for (const Site& s : t.sites()) sites.push_back(siteJson(s));
  json nodes = json::array();
  for (const Node& n : t.nodes()) {
    nodes.push_back({{"id", n.id}, {"name", n.name}, {"site", n.site}, {"kind", toString(n.kind)}});
  }
  json fibers = json::array();
  for (std::uint32_t f = 0; f < t.fibers().size(); ++f) {
    const Fiber& fiber = t.fiber(f);
    json j{{"id", fiber.id},
           {"a", fiber.a},
           {"b", fiber.b},
           {"km", fiber.length.value()},
           {"latency_ms", fiberLatency(fiber.length).value() / 1000.0},
           {"srlgs", fiber.srlgs}};
    if (ctx.isOperator()) {
      j["spectrum_utilization"] = deps.ledger->utilization({ResourceKind::SpectrumSlots, f}, now);
      j["packet_utilization"] = deps.ledger->utilization({ResourceKind::LinkBandwidth, f}, now);
    }
    fibers.push_back(std::move(j));
  }
  return jsonReply(
      200, json{{"name", t.name()}, {"sites", sites}, {"nodes", nodes}, {"fibers", fibers}});
}

// The slots of one fiber and who holds them now: operators see every connection and tenant,
// a tenant sees its own and only "in use" for the rest.
HttpResponse Api::Impl::getFiberSpectrum(Context& ctx) {
  const Topology& t = *deps.topology;
  const auto fiber = t.findFiber(ctx.params[0]);
  if (!fiber)
    return problem(404, "not-found", fmt::format("no fiber '{}'", ctx.params[0].substr(0, 80)));
  const ResourceId resource{ResourceKind::SpectrumSlots, static_cast<std::uint32_t>(*fiber)};
  const auto uses = deps.ledger->usesAt(resource, deps.clock->now());
  std::map<std::string, std::string> tenant_of;
  Status read = deps.store->read([&](StoreTransaction& tx) -> Status {
    for (const Ledger::Use& u : uses) {
      if (tenant_of.contains(u.owner)) continue;
      auto c = tx.connection(u.owner);
      if (!c) return c.error();
      tenant_of[u.owner] = *c ? (*c)->tenant : "";
    }
    return Status::ok();
  });
  if (!read.isOk()) return problemOf(read);
  json blocks = json::array();
  for (const Ledger::Use& u : uses) {
    json b{{"first_slot", u.first}, {"slots", u.count}};
    const std::string& tenant = tenant_of[u.owner];
    if (ctx.isOperator() || tenant == ctx.who.tenant) {
      b["connection"] = u.owner;
      if (ctx.isOperator()) b["tenant"] = tenant;
    }
    blocks.push_back(std::move(b));
  }
  const Fiber& f = t.fiber(*fiber);
  return jsonReply(200, json{{"fiber", f.id},
                             {"slots", deps.ledger->capacity(resource)},
                             {"start_thz", f.band.start_thz},
                             {"end_thz", f.band.end_thz},
                             {"blocks", std::move(blocks)}});
}

HttpResponse Api::Impl::listAudit(Context& ctx) {
  if (!ctx.isOperator()) return operatorsOnly();
  DocumentQuery query{.kind = "audit", .newest_first = true};
  if (auto it = ctx.request.query.find("tenant"); it != ctx.request.query.end())
    query.tenant = it->second;
  return documentPage(*deps.store, ctx.request, query,
                      [](DocumentRecord& d) { return std::move(d.body); });
}

}  // namespace lightpath

namespace lightpath {
namespace {

json webhookJson(const DocumentRecord& d) {
  json body = json::parse(d.body, nullptr, false);
  if (body.is_discarded()) body = json::object();
  body.erase("secret");  // shown once, when made
  body["tenant"] = d.tenant;
  return body;
}

}  // namespace

HttpResponse Api::Impl::createWebhook(Context& ctx) {
  if (ctx.who.role == Role::Viewer)
    return problem(403, "forbidden", "this key may only read (role viewer)");
  auto body = parseObject(ctx.request.body);
  if (!body) return problemOf(body.error());
  if (Status s = onlyFields(*body, {"url", "events", "secret"}); !s.isOk()) return problemOf(s);
  if (!body->contains("url") || !body->at("url").is_string())
    return problem(400, "invalid-argument", "url: required", "url");
  const std::string url = body->at("url").get<std::string>();
  auto parsed = parseWebhookUrl(url);
  if (!parsed) return problemOf(parsed.error());
  if (deps.webhooks && !deps.webhooks->allowsPrivateAddresses() && isPrivateAddress(parsed->host)) {
    return problem(
        400, "invalid-argument",
        fmt::format("url: {} is a private address: receivers must be public", parsed->host), "url");
  }
  json events = json::array();
  if (body->contains("events")) {
    const json& e = body->at("events");
    if (!e.is_array() || e.size() > 50)
      return problem(400, "invalid-argument", "events: an array of event types", "events");
    for (const json& type : e) {
      if (!type.is_string() || type.get<std::string>().empty() ||
          type.get<std::string>().size() > 100) {
        return problem(400, "invalid-argument",
                       "events: event types are strings like connection.stateChanged", "events");
      }
      events.push_back(type);
    }
  }
  std::string secret = "whsec_" + randomHex(24);
  if (body->contains("secret")) {
    const json& s = body->at("secret");
    if (!s.is_string() || s.get<std::string>().size() < 16 || s.get<std::string>().size() > 200) {
      return problem(400, "invalid-argument",
                     "secret: 16-200 characters (or leave it out to get one)", "secret");
    }
    secret = s.get<std::string>();
  }
  std::string id;
  {
    std::lock_guard lock(random_mutex);
    id = newId("whk", random);
  }
  ctx.subject = id;
  HttpResponse reply;
  json shown;
  Status saved = commit(ctx, reply, [&](StoreTransaction& tx) -> Status {
    auto last = tx.lastEventCursor();  // only what happens from now on
    if (!last) return last.error();
    const json doc{{"id", id},
                   {"url", url},
                   {"events", events},
                   {"secret", secret},
                   {"created_at", formatTime(deps.clock->now())},
                   {"delivered_cursor", *last},
                   {"failures", 0}};
    const DocumentRecord record_doc{"webhook", id, ctx.who.tenant, dumpJson(doc)};
    LP_RETURN_IF_ERROR(tx.putDocument(record_doc));
    shown = webhookJson(record_doc);
    reply = jsonReply(201, shown);
    reply.headers.emplace_back("Location", "/v1/webhooks/" + id);
    return Status::ok();
  });
  if (!saved.isOk()) return problemOf(saved);
  // The secret is in this reply only; the idempotency record kept the reply without it.
  shown["secret"] = secret;
  reply.body = dumpJson(shown);
  if (deps.webhooks) deps.webhooks->wake();
  return reply;
}

HttpResponse Api::Impl::listWebhooks(Context& ctx) {
  DocumentQuery query{.kind = "webhook"};
  if (!ctx.isOperator()) query.tenant = ctx.who.tenant;
  return documentPage(*deps.store, ctx.request, query,
                      [](DocumentRecord& d) { return dumpJson(webhookJson(d)); });
}

HttpResponse Api::Impl::getWebhook(Context& ctx) {
  auto doc = readDocument(*deps.store, "webhook", ctx.params[0]);
  if (!doc) return problemOf(doc.error());
  if (!*doc || (!ctx.isOperator() && (*doc)->tenant != ctx.who.tenant)) {
    return problem(404, "not-found", fmt::format("no webhook '{}'", ctx.params[0].substr(0, 80)));
  }
  return jsonReply(200, webhookJson(**doc));
}

HttpResponse Api::Impl::deleteWebhook(Context& ctx) {
  if (ctx.who.role == Role::Viewer)
    return problem(403, "forbidden", "this key may only read (role viewer)");
  const std::string& id = ctx.params[0];
  auto doc = readDocument(*deps.store, "webhook", id);
  if (!doc) return problemOf(doc.error());
  if (!*doc || (!ctx.isOperator() && (*doc)->tenant != ctx.who.tenant)) {
    return problem(404, "not-found", fmt::format("no webhook '{}'", id.substr(0, 80)));
  }
  ctx.subject = id;
  ctx.owner = (*doc)->tenant;
  HttpResponse reply;
  reply.status = 204;
  Status saved =
      commit(ctx, reply, [&](StoreTransaction& tx) { return tx.deleteDocument("webhook", id); });
  if (!saved.isOk()) return problemOf(saved);
  return reply;
}

}  // namespace lightpath
