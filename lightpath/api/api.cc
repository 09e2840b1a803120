// The handler: route, authenticate, throttle, idempotency, run the route, record the mutation,
// count it. Routes live in connection_routes.cc and admin_routes.cc.
#include "lightpath/api/api.h"

#include <fmt/format.h>

#include <cmath>
#include <random>

#include "lightpath/api/crypto.h"
#include "lightpath/api/internal/api_impl.h"
#include "lightpath/base/ids.h"
#include "lightpath/base/log.h"
#include "lightpath/service/connection_json.h"

namespace lightpath {

extern const char* const kOpenApiDocument;  // openapi.json, compiled in by CMake

namespace {

constexpr std::string_view kKeyPrefix = "lp_";

std::vector<std::string> split(std::string_view path) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < path.size()) {
    if (path[at] == '/') {
      ++at;
      continue;
    }
    const std::size_t end = std::min(path.find('/', at), path.size());
    out.emplace_back(path.substr(at, end - at));
    at = end;
  }
  return out;
}

bool isMutation(const std::string& method) {
  return method == "POST" || method == "PATCH" || method == "PUT" || method == "DELETE";
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Helpers shared by the route files.

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
  auto offset = number("offset", 0, 100'000'000);
  if (!offset) return fail(offset.error());
  auto limit = number("limit", 100, 1000);
  if (!limit) return fail(limit.error());
  if (*limit == 0) return fail(invalidArgument("limit: at least 1"));
  return std::pair{*offset, *limit};
}

std::string pageJson(const std::vector<std::string>& items, std::size_t total, std::size_t offset,
                     std::size_t limit) {
  std::string out = "{\"items\":[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    out += items[i];
  }
  out += fmt::format("],\"total\":{},\"offset\":{},\"limit\":{}}}", total, offset, limit);
  return out;
}

Result<std::optional<DocumentRecord>> readDocument(Store& store, const std::string& kind,
                                                   const std::string& id) {
  std::optional<DocumentRecord> doc;
  LP_RETURN_IF_ERROR(store.read([&](StoreTransaction& tx) -> Status {
    auto d = tx.document(kind, id);
    if (!d) return d.error();
    doc = std::move(*d);
    return Status::ok();
  }));
  return doc;
}

HttpResponse documentPage(Store& store, const HttpRequest& request, DocumentQuery query,
                          const std::function<std::string(DocumentRecord&)>& show) {
  auto page = paging(request);
  if (!page) return problemOf(page.error());
  query.offset = page->first;
  query.limit = page->second;
  std::vector<std::string> items;
  std::size_t total = 0;
  Status read = store.read([&](StoreTransaction& tx) -> Status {
    auto docs = tx.documents(query, &total);
    if (!docs) return docs.error();
    for (DocumentRecord& d : *docs) items.push_back(show(d));
    return Status::ok();
  });
  if (!read.isOk()) return problemOf(read);
  return jsonReply(200, pageJson(items, total, query.offset, query.limit));
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

Status onlyFields(const json& object, std::initializer_list<std::string_view> allowed,
                  std::string_view where) {
  for (const auto& [key, value] : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string known;
      for (std::string_view a : allowed) known += (known.empty() ? "" : ", ") + std::string(a);
      return invalidArgument(
          fmt::format("{}{}: unknown field (known: {})", where, key.substr(0, 64), known));
    }
  }
  return Status::ok();
}

std::string_view toString(Role role) {
  switch (role) {
    case Role::Operator:
      return "operator";
    case Role::Admin:
      return "admin";
    case Role::Viewer:
      return "viewer";
  }
  return "viewer";
}

Result<Role> parseRole(std::string_view text) {
  if (text == "operator") return Role::Operator;
  if (text == "admin") return Role::Admin;
  if (text == "viewer") return Role::Viewer;
  return fail(invalidArgument(
      fmt::format("role: operator, admin or viewer, got '{}'", text.substr(0, 40))));
}

bool isTenantId(std::string_view id) {
  if (id.empty() || id.size() > 40 || !(id[0] >= 'a' && id[0] <= 'z')) return false;
  return id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") == std::string_view::npos;
}

// ---------------------------------------------------------------------------------------------

Api::Impl::Impl(ApiDeps d, ApiLimits l)
    : deps(std::move(d)),
      limits(l),
      routes({
          {"GET", split("/healthz"), &Impl::health, false, ""},
          {"GET", split("/readyz"), &Impl::ready, false, ""},
          {"GET", split("/metrics"), &Impl::metricsText, false, ""},
          {"GET", split("/v1/openapi.json"), &Impl::openapi, false, ""},
          {"POST", split("/v1/connections"), &Impl::createConnection, true, ""},
          {"GET", split("/v1/connections"), &Impl::listConnections, true, ""},
          {"GET", split("/v1/connections/{id}"), &Impl::getConnection, true, ""},
          {"PATCH", split("/v1/connections/{id}"), &Impl::patchConnection, true, ""},
          {"DELETE", split("/v1/connections/{id}"), &Impl::deleteConnection, true, ""},
          {"POST", split("/v1/quotes"), &Impl::createQuote, true, ""},
          {"GET", split("/v1/orders"), &Impl::listOrders, true, ""},
          {"GET", split("/v1/orders/{id}"), &Impl::getOrder, true, ""},
          {"GET", split("/v1/locations"), &Impl::listLocations, true, ""},
          {"GET", split("/v1/locations/{id}"), &Impl::getLocation, true, ""},
          {"GET", split("/v1/ports"), &Impl::listPorts, true, ""},
          {"PATCH", split("/v1/ports/{id}"), &Impl::patchPort, true, ""},
          {"GET", split("/v1/events"), &Impl::listEvents, true, ""},
          {"GET", split("/v1/events/stream"), &Impl::streamEvents, true, ""},
          {"POST", split("/v1/tenants"), &Impl::createTenant, true, ""},
          {"GET", split("/v1/tenants"), &Impl::listTenants, true, ""},
          {"GET", split("/v1/tenants/{id}"), &Impl::getTenant, true, ""},
          {"POST", split("/v1/api-keys"), &Impl::createKey, true, ""},
          {"GET", split("/v1/api-keys"), &Impl::listKeys, true, ""},
          {"DELETE", split("/v1/api-keys/{id}"), &Impl::deleteKey, true, ""},
          {"GET", split("/v1/topology"), &Impl::getTopology, true, ""},
          {"GET", split("/v1/fibers/{id}/spectrum"), &Impl::getFiberSpectrum, true, ""},
          {"GET", split("/v1/audit"), &Impl::listAudit, true, ""},
          {"POST", split("/v1/webhooks"), &Impl::createWebhook, true, ""},
          {"GET", split("/v1/webhooks"), &Impl::listWebhooks, true, ""},
          {"GET", split("/v1/webhooks/{id}"), &Impl::getWebhook, true, ""},
          {"DELETE", split("/v1/webhooks/{id}"), &Impl::deleteWebhook, true, ""},
      }),
      metrics([&] {
        std::vector<std::string> names;
        for (Route& r : routes) {
          r.name = r.method + " /";
          for (std::size_t i = 0; i < r.segments.size(); ++i)
            r.name += (i ? "/" : "") + r.segments[i];
          names.push_back(r.name);
        }
        names.push_back("unmatched");
        return names;
      }()),
      random(std::random_device{}() ^ (std::uint64_t{std::random_device{}()} << 32)) {
  for (const Port& p : deps.topology->ports()) ports_by_id[p.id] = &p;
  metrics.setGauges([this] { return gauges(); });
}

Status Api::Impl::loadKeys() {
  return deps.store->read([&](StoreTransaction& tx) -> Status {
    for (std::size_t offset = 0;; offset += 1000) {
      auto page = tx.documents({.kind = "api_key", .offset = offset, .limit = 1000}, nullptr);
      if (!page) return page.error();
      for (const DocumentRecord& d : *page) {
        const json body = json::parse(d.body, nullptr, false);
        if (body.is_discarded() || !body.contains("hash") || !body.contains("role")) {
          return internalError(fmt::format("api key {}: unreadable record", d.id));
        }
        auto role = parseRole(body.value("role", ""));
        if (!role) return role.error().withContext("api key " + d.id);
        keys_by_hash[body.value("hash", "")] = Principal{d.id, d.tenant, *role};
      }
      if (page->size() < 1000) break;
    }
    for (std::size_t offset = 0;; offset += 1000) {
      auto page =
          tx.documents({.kind = "port_assignment", .offset = offset, .limit = 1000}, nullptr);
      if (!page) return page.error();
      for (const DocumentRecord& d : *page) port_owner[d.id] = d.tenant;
      if (page->size() < 1000) break;
    }
    return Status::ok();
  });
}

std::optional<Principal> Api::Impl::authenticate(const HttpRequest& request) const {
  const std::string* header = request.header("authorization");
  if (!header || header->size() < 7 || header->compare(0, 7, "Bearer ") != 0) return std::nullopt;
  const std::string_view secret = std::string_view(*header).substr(7);
  if (secret.size() != kKeyPrefix.size() + 64 || secret.substr(0, kKeyPrefix.size()) != kKeyPrefix)
    return std::nullopt;
  const std::string hash = sha256Hex(secret);
  std::shared_lock lock(keys_mutex);
  auto it = keys_by_hash.find(hash);
  if (it == keys_by_hash.end()) return std::nullopt;
  return it->second;
}

double Api::Impl::throttle(const std::string& key_id) {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(buckets_mutex);
  auto [it, fresh] = buckets.try_emplace(key_id, Bucket{limits.burst, now});
  Bucket& b = it->second;
  if (!fresh) {
    const double elapsed = std::chrono::duration<double>(now - b.at).count();
    b.tokens = std::min(limits.burst, b.tokens + elapsed * limits.requests_per_second);
    b.at = now;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return 0;
  }
  return (1.0 - b.tokens) / limits.requests_per_second;
}

Result<std::pair<std::string, std::string>> Api::Impl::makeKey(const std::string& tenant, Role role,
                                                               const std::string& name,
                                                               const std::string& actor,
                                                               StoreTransaction* tx) {
  std::string id;
  {
    std::lock_guard lock(random_mutex);
    id = newId("key", random);
  }
  const std::string secret = std::string(kKeyPrefix) + randomHex(32);  // 256 bits
  const std::string hash = sha256Hex(secret);
  const json body{{"hash", hash},
                  {"role", toString(role)},
                  {"name", name},
                  {"created_at", formatTime(deps.clock->now())},
                  {"created_by", actor}};
  const DocumentRecord doc{"api_key", id, tenant, dumpJson(body)};
  if (tx) {
    LP_RETURN_IF_ERROR(tx->putDocument(doc));
  } else {
    LP_RETURN_IF_ERROR(
        deps.store->transact([&](StoreTransaction& t) { return t.putDocument(doc); }));
  }
  // Cached only once durable: a caller whose transaction fails has no key to use.
  return std::pair{id, secret};
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

DocumentRecord Api::Impl::auditEntry(const Context& ctx, int status) const {
  std::string id;
  {
    std::lock_guard lock(const_cast<std::mutex&>(random_mutex));
    id = newId("aud", const_cast<Random&>(random));
  }
  const json body{{"id", id},
                  {"at", formatTime(deps.clock->now())},
                  {"actor", ctx.who.key_id},
                  {"role", toString(ctx.who.role)},
                  {"tenant", ctx.who.tenant},
                  {"method", ctx.request.method},
                  {"path", ctx.request.path},
                  {"status", status},
                  {"subject", ctx.subject},
                  {"remote", ctx.request.remote},
                  {"request_id", ctx.request_id}};
  return {"audit", id, ctx.who.tenant, dumpJson(body)};
}

Status Api::Impl::commit(Context& ctx, HttpResponse& reply,
                         const std::function<Status(StoreTransaction&)>& work) {
  Status saved = deps.store->transact([&](StoreTransaction& tx) -> Status {
    LP_RETURN_IF_ERROR(work(tx));
    return record(tx, ctx, reply);
  });
  ctx.recorded = saved.isOk();
  return saved;
}

Status Api::Impl::record(StoreTransaction& tx, const Context& ctx,
                         const HttpResponse& response) const {
  const DocumentRecord audit = auditEntry(ctx, response.status);
  LP_RETURN_IF_ERROR(tx.putDocument(audit));
  // A connection's orders: what a tenant sees of the audit log.
  // (Created, accepted for termination, or changed; not a repeated delete of a terminated one.)
  const bool changed = response.status == 201 || response.status == 202 ||
                       (response.status == 200 && ctx.request.method == "PATCH");
  if (ctx.request.path.starts_with("/v1/connections") && !ctx.subject.empty() && changed) {
    const std::string type = ctx.request.method == "POST"    ? "create"
                             : ctx.request.method == "PATCH" ? "modify"
                                                             : "terminate";
    json order = json::parse(audit.body);
    order["id"] = "ord_" + audit.id.substr(4);
    order["type"] = type;
    order["connection"] = ctx.subject;
    order.erase("remote");
    order.erase("role");
    LP_RETURN_IF_ERROR(
        tx.putDocument({"order", order["id"].get<std::string>(),
                        ctx.owner.empty() ? ctx.who.tenant : ctx.owner, dumpJson(order)}));
  }
  if (!ctx.idempotency_doc.empty()) {
    const json saved{{"hash", ctx.request_hash},
                     {"status", response.status},
                     {"location", response.header("Location") ? *response.header("Location") : ""},
                     {"body", response.body},
                     {"at", formatTime(deps.clock->now())}};
    LP_RETURN_IF_ERROR(
        tx.putDocument({"idempotency", ctx.idempotency_doc, ctx.who.tenant, dumpJson(saved)}));
  }
  return Status::ok();
}

HttpResponse Api::Impl::handle(const HttpRequest& request) {
  const auto start = std::chrono::steady_clock::now();
  Context ctx{request, {}, {}, {}};
  if (const std::string* given = request.header("x-request-id");
      given && !given->empty() && given->size() <= 64) {
    ctx.request_id = *given;
  } else {
    ctx.request_id =
        fmt::format("req_{:x}", request_counter.fetch_add(1, std::memory_order_relaxed) + 1);
  }
  std::size_t route_index = routes.size();  // "unmatched"
  HttpResponse response = [&]() -> HttpResponse {
    const std::vector<std::string> segments = split(request.path);
    bool path_known = false;
    const Route* route = nullptr;
    for (std::size_t i = 0; i < routes.size() && !route; ++i) {
      const Route& r = routes[i];
      if (r.segments.size() != segments.size()) continue;
      std::vector<std::string> params;
      bool match = true;
      for (std::size_t s = 0; s < segments.size() && match; ++s) {
        if (r.segments[s] == "{id}") {
          params.push_back(segments[s]);
        } else {
          match = r.segments[s] == segments[s];
        }
      }
      if (!match) continue;
      path_known = true;
      if (r.method != request.method) continue;
      route = &r;
      route_index = i;
      ctx.params = std::move(params);
    }
    if (!route) {
      if (path_known)
        return problem(405, "method-not-allowed",
                       fmt::format("{} is not allowed here", request.method.substr(0, 10)));
      if (deps.portal && request.method == "GET" && !request.path.starts_with("/v1/")) {
        if (auto file = deps.portal->get(request.path)) return std::move(*file);
      }
      return problem(404, "not-found", "no such resource");
    }
    if (route->authenticated) {
      auto who = authenticate(request);
      if (!who) {
        HttpResponse denied =
            problem(401, "unauthenticated", "give a valid API key: Authorization: Bearer lp_...");
        denied.headers.emplace_back("WWW-Authenticate", "Bearer");
        return denied;
      }
      ctx.who = std::move(*who);
      if (const double wait = throttle(ctx.who.key_id); wait > 0) {
        HttpResponse slow =
            problem(429, "rate-limited",
                    fmt::format("more than {:.0f} requests per second with this key",
                                limits.requests_per_second));
        slow.headers.emplace_back("Retry-After", std::to_string(static_cast<int>(std::ceil(wait))));
        return slow;
      }
    }
    const bool mutation = isMutation(request.method);
    if (mutation) {
      if (request.body.size() > limits.max_body_bytes) {
        return problem(413, "body-too-large",
                       fmt::format("the body is {} bytes; at most {}", request.body.size(),
                                   limits.max_body_bytes));
      }
      const std::string* type = request.header("content-type");
      if (!request.body.empty() && type && !type->starts_with("application/json") &&
          !type->starts_with("application/merge-patch+json")) {
        return problem(415, "unsupported-media-type",
                       fmt::format("send application/json, not '{}'", type->substr(0, 60)));
      }
    }
    std::unique_lock<std::mutex> idempotency_lock;
    if (request.method == "POST" && route->authenticated && route->handler != &Impl::createQuote) {
      if (const std::string* key = request.header("idempotency-key")) {
        if (key->empty() || key->size() > 255) {
          return problem(400, "invalid-argument", "Idempotency-Key: 1-255 characters",
                         "Idempotency-Key");
        }
        ctx.idempotency_doc = ctx.who.key_id + ":" + *key;
        ctx.request_hash = sha256Hex(request.method + " " + request.path + "\n" + request.body);
        idempotency_lock =
            std::unique_lock(idempotency_locks[std::hash<std::string>{}(ctx.idempotency_doc) %
                                               idempotency_locks.size()]);
        std::optional<DocumentRecord> saved;
        Status read = deps.store->read([&](StoreTransaction& tx) -> Status {
          auto doc = tx.document("idempotency", ctx.idempotency_doc);
          if (!doc) return doc.error();
          saved = std::move(*doc);
          return Status::ok();
        });
        if (!read.isOk()) return problemOf(read);
        if (saved) {
          const json first = json::parse(saved->body, nullptr, false);
          if (first.is_discarded())
            return problem(500, "internal", "an unreadable idempotency record");
          if (first.value("hash", "") != ctx.request_hash) {
            return problem(409, "idempotency-key-reused",
                           "this Idempotency-Key was used with another request", "Idempotency-Key");
          }
          HttpResponse replay;
          replay.status = first.value("status", 200);
          replay.body = first.value("body", "");
          replay.headers.emplace_back("Content-Type", replay.status >= 400
                                                          ? "application/problem+json"
                                                          : "application/json");
          if (const std::string location = first.value("location", ""); !location.empty()) {
            replay.headers.emplace_back("Location", location);
          }
          replay.headers.emplace_back("Idempotent-Replayed", "true");
          return replay;
        }
      }
    }
    HttpResponse out = (this->*(route->handler))(ctx);
    // Quotes change nothing: neither audited nor remembered (a retry simply quotes again).
    const bool audited = mutation && route->authenticated && route->handler != &Impl::createQuote;
    if (audited && !ctx.recorded) {
      const bool remember =
          out.status < 300 || out.status == 400 || out.status == 404 || out.status == 422;
      if (!remember) ctx.idempotency_doc.clear();
      Status saved =
          deps.store->transact([&](StoreTransaction& tx) { return record(tx, ctx, out); });
      if (!saved.isOk()) log().error("request {}: audit: {}", ctx.request_id, saved.toString());
    }
    return out;
  }();
  response.headers.emplace_back("X-Request-Id", ctx.request_id);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  metrics.recordRequest(route_index, response.status, seconds);
  if (response.status >= 500) {
    log().error("{} {} -> {} ({}): {}", request.method, request.path.substr(0, 200),
                response.status, ctx.request_id, response.body.substr(0, 300));
  } else if (isMutation(request.method) && !ctx.who.key_id.empty()) {
    // Changes are few and matter: one line each, with who and the request id.
    log().info("{} {} -> {} ({}, {}, {}, {:.3f} ms)", request.method, request.path.substr(0, 200),
               response.status, ctx.request_id, ctx.who.key_id, request.remote, seconds * 1e3);
  } else {
    log().debug("{} {} -> {} ({}, {:.3f} ms)", request.method, request.path.substr(0, 200),
                response.status, ctx.request_id, seconds * 1e3);
  }
  return response;
}

HttpResponse Api::Impl::health(Context&) {
  return jsonReply(200, std::string(R"({"status":"ok"})"));
}

HttpResponse Api::Impl::ready(Context&) {
  if (!ready_flag.load()) return problem(503, "unavailable", "starting or draining");
  return jsonReply(200, std::string(R"({"status":"ready"})"));
}

HttpResponse Api::Impl::metricsText(Context&) {
  HttpResponse r;
  r.headers.emplace_back("Content-Type", "text/plain; version=0.0.4");
  r.body = metrics.render();
  return r;
}

HttpResponse Api::Impl::openapi(Context&) { return jsonReply(200, std::string(kOpenApiDocument)); }

std::string Api::Impl::gauges() const {
  const Topology& t = *deps.topology;
  const TimePoint now = deps.clock->now();
  double spectrum = 0, packet = 0;
  for (std::uint32_t f = 0; f < t.fibers().size(); ++f) {
    spectrum += deps.ledger->utilization({ResourceKind::SpectrumSlots, f}, now);
    packet += deps.ledger->utilization({ResourceKind::LinkBandwidth, f}, now);
  }
  const double n = std::max<double>(1, static_cast<double>(t.fibers().size()));
  std::string out =
      "# HELP lightpath_ledger_utilization Mean utilization over all fibers (0-1), by resource.\n"
      "# TYPE lightpath_ledger_utilization gauge\n";
  out +=
      fmt::format("lightpath_ledger_utilization{{resource=\"spectrum\"}} {:.6f}\n", spectrum / n);
  out += fmt::format("lightpath_ledger_utilization{{resource=\"packet\"}} {:.6f}\n", packet / n);
  out +=
      "# HELP lightpath_ledger_holds Capacity holds in the ledger.\n# TYPE lightpath_ledger_holds "
      "gauge\n";
  out += fmt::format("lightpath_ledger_holds {}\n", deps.ledger->holdCount());
  if (deps.workflows) {
    out +=
        "# HELP lightpath_workflows_pending Workflows queued or running.\n# TYPE "
        "lightpath_workflows_pending gauge\n";
    out += fmt::format("lightpath_workflows_pending {}\n", deps.workflows->pending());
  }
  if (deps.webhooks) {
    out +=
        "# HELP lightpath_webhook_deliveries_total Webhook delivery attempts, by result.\n"
        "# TYPE lightpath_webhook_deliveries_total counter\n";
    out += fmt::format("lightpath_webhook_deliveries_total{{result=\"ok\"}} {}\n",
                       deps.webhooks->delivered());
    out += fmt::format("lightpath_webhook_deliveries_total{{result=\"failed\"}} {}\n",
                       deps.webhooks->failedAttempts());
  }
  out +=
      "# HELP lightpath_event_streams Open Server-Sent Events streams.\n# TYPE "
      "lightpath_event_streams gauge\n";
  out += fmt::format("lightpath_event_streams {}\n", open_streams.load());
  return out;
}

// ---------------------------------------------------------------------------------------------

Api::Api(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Api::~Api() = default;

Result<std::unique_ptr<Api>> Api::create(ApiDeps deps, ApiLimits limits) {
  if (!deps.provisioner || !deps.store || !deps.topology || !deps.ledger || !deps.clock) {
    return fail(invalidArgument("the API needs a provisioner, store, topology, ledger and clock"));
  }
  auto impl = std::make_unique<Impl>(std::move(deps), limits);
  LP_RETURN_IF_ERROR(impl->loadKeys());
  return std::unique_ptr<Api>(new Api(std::move(impl)));
}

HttpResponse Api::handle(const HttpRequest& request) { return impl_->handle(request); }

Result<std::string> Api::ensureOperatorKey() {
  {
    std::shared_lock lock(impl_->keys_mutex);
    for (const auto& [hash, who] : impl_->keys_by_hash) {
      if (who.role == Role::Operator) return std::string();
    }
  }
  auto made = impl_->makeKey("", Role::Operator, "first operator key", "lightpath serve", nullptr);
  if (!made) return fail(made.error());
  std::unique_lock lock(impl_->keys_mutex);
  impl_->keys_by_hash[sha256Hex(made->second)] = Principal{made->first, "", Role::Operator};
  return made->second;
}

std::variant<Api::StreamStart, HttpResponse> Api::startEventStream(const HttpRequest& request) {
  // The usual checks (key, rate, parameters) by handling it; a 200 means the stream may start.
  HttpResponse checked = impl_->handle(request);
  if (checked.status != 200) return checked;
  auto who = impl_->authenticate(request);
  if (!who)
    return problem(401, "unauthenticated", "give a valid API key: Authorization: Bearer lp_...");
  StreamStart start{*who, 0};
  if (const std::string* last = request.header("last-event-id")) {
    start.after = std::stoull(*last);  // checked by the handler
  } else if (auto it = request.query.find("after"); it != request.query.end()) {
    start.after = std::stoull(it->second);
  } else {
    // No cursor: from now on.
    Status read = impl_->deps.store->read([&](StoreTransaction& tx) -> Status {
      auto last_cursor = tx.lastEventCursor();
      if (!last_cursor) return last_cursor.error();
      start.after = *last_cursor;
      return Status::ok();
    });
    if (!read.isOk()) return problemOf(read);
  }
  return start;
}

Result<std::vector<Api::EventFrame>> Api::eventFrames(std::uint64_t after, std::size_t limit) {
  std::vector<EventFrame> frames;
  LP_RETURN_IF_ERROR(impl_->deps.store->read([&](StoreTransaction& tx) -> Status {
    auto events = tx.eventsAfter(after, limit);
    if (!events) return events.error();
    for (const EventRecord& e : *events) {
      auto frame = [&](bool with_tenant) {
        return fmt::format("id: {}\nevent: {}\ndata: {}\n\n", e.cursor, e.type,
                           dumpJson(eventJson(e, with_tenant)));
      };
      frames.push_back({e.cursor, e.tenant, frame(false), frame(true)});
    }
    return Status::ok();
  }));
  return frames;
}

Result<std::size_t> Api::expireIdempotencyRecords(TimePoint before) {
  // Oldest first (documents keep their insertion order), in batches, until one is recent.
  std::size_t expired = 0;
  for (bool more = true; more;) {
    more = false;
    LP_RETURN_IF_ERROR(impl_->deps.store->transact([&](StoreTransaction& tx) -> Status {
      auto oldest = tx.documents({.kind = "idempotency", .limit = 500}, nullptr);
      if (!oldest) return oldest.error();
      for (const DocumentRecord& d : *oldest) {
        const json body = json::parse(d.body, nullptr, false);
        auto at = parseTime(body.is_discarded() ? "" : body.value("at", ""));
        if (at && *at >= before) return Status::ok();
        LP_RETURN_IF_ERROR(tx.deleteDocument("idempotency", d.id));
        ++expired;
      }
      more = oldest->size() == 500;
      return Status::ok();
    }));
  }
  return expired;
}

void Api::streamsChanged(int by) { impl_->open_streams += by; }

void Api::setReady(bool ready) { impl_->ready_flag = ready; }
Metrics& Api::metrics() { return impl_->metrics; }

}  // namespace lightpath
