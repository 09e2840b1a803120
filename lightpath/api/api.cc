// The API's composition: the route table (who may call each route, whether it is audited and
// idempotent), the system routes, and the public face of Api. The chain that applies the table
// is pipeline.cc; routes live in *_routes.cc by resource.
#include "lightpath/api/api.h"

#include <fmt/format.h>

#include "lightpath/api/internal/api_impl.h"
#include "lightpath/base/crypto.h"
#include "lightpath/events/event_json.h"
#include "lightpath/tenancy/idempotency.h"

namespace lightpath {

extern const char* const kOpenApiDocument;  // openapi.json, compiled in by CMake

namespace {

using Impl = Api::Impl;
constexpr Access kPublic = Access::Public, kAny = Access::AnyRole, kAdmin = Access::TenantAdmin,
                 kOperator = Access::Operator;
constexpr bool kAudited = true, kIdempotent = true, kNo = false;

// The query parameters each route's operation declares in the API document (its own and its
// path's, references resolved): one list, kept with the document, of what a route takes, so
// whatever else it is given is refused the same way on every route.
void declareQueries(std::vector<Impl::Route>& routes) {
  const json doc = json::parse(kOpenApiDocument);
  const json& paths = doc.at("paths");
  auto resolve = [&](const json& p) -> const json& {
    if (!p.contains("$ref")) return p;
    const std::string ref = p.at("$ref").get<std::string>();
    return doc.at("components").at("parameters").at(ref.substr(ref.rfind('/') + 1));
  };
  for (Impl::Route& r : routes) {
    const auto item = paths.find(r.pattern);
    if (item == paths.end()) continue;
    const auto operation = item->find(asciiLower(r.method));
    if (operation == item->end()) continue;
    std::vector<std::string> names;
    for (const json* list : {&*item, &*operation}) {
      for (const json& p : list->value("parameters", json::array())) {
        const json& parameter = resolve(p);
        if (parameter.value("in", "") == "query") names.push_back(parameter.at("name"));
      }
    }
    r.query = std::move(names);
  }
}

// Every route, with who may call it and what the chain does around it.
std::vector<Impl::Route> routeTable() {
  std::vector<Impl::Route> routes{
      // method, path, handler, access, audited, idempotent
      {"GET", "/healthz", &Impl::health, kPublic, kNo, kNo},
      {"GET", "/readyz", &Impl::ready, kPublic, kNo, kNo},
      // Every tenant's counts and traffic: operators only (Prometheus sends a Bearer key).
      {"GET", "/metrics", &Impl::metricsText, kOperator, kNo, kNo},
      {"GET", "/v1/openapi.json", &Impl::openapi, kPublic, kNo, kNo},
      {"GET", "/v1/me", &Impl::getMe, kAny, kNo, kNo},
      {"POST", "/v1/connections", &Impl::createConnection, kAdmin, kAudited, kIdempotent},
      {"POST", "/v1/connection-pairs", &Impl::createConnectionPair, kAdmin, kAudited, kIdempotent},
      {"POST", "/v1/transfers", &Impl::createTransfer, kAdmin, kAudited, kIdempotent},
      {"GET", "/v1/transfers", &Impl::listTransfers, kAny, kNo, kNo},
      {"GET", "/v1/transfers/{id}", &Impl::getTransfer, kAny, kNo, kNo},
      {"DELETE", "/v1/transfers/{id}", &Impl::deleteTransfer, kAdmin, kAudited, kNo},
      {"GET", "/v1/connections", &Impl::listConnections, kAny, kNo, kNo},
      {"GET", "/v1/connections/{id}", &Impl::getConnection, kAny, kNo, kNo},
      {"PATCH", "/v1/connections/{id}", &Impl::patchConnection, kAdmin, kAudited, kNo},
      {"DELETE", "/v1/connections/{id}", &Impl::deleteConnection, kAdmin, kAudited, kNo},
      {"GET", "/v1/connections/{id}/sla", &Impl::getConnectionSla, kAny, kNo, kNo},
      {"POST", "/v1/connections/{id}/rotate-key", &Impl::rotateConnectionKey, kAdmin, kAudited,
       kIdempotent},
      {"GET", "/v1/sla", &Impl::getSlaReport, kAny, kNo, kNo},
      // A quote changes nothing: any role, not audited, not remembered (a retry quotes again).
      {"POST", "/v1/quotes", &Impl::createQuote, kAny, kNo, kNo},
      {"GET", "/v1/orders", &Impl::listOrders, kAny, kNo, kNo},
      {"GET", "/v1/orders/{id}", &Impl::getOrder, kAny, kNo, kNo},
      {"GET", "/v1/locations", &Impl::listLocations, kAny, kNo, kNo},
      {"GET", "/v1/locations/{id}", &Impl::getLocation, kAny, kNo, kNo},
      {"GET", "/v1/ports", &Impl::listPorts, kAny, kNo, kNo},
      {"PATCH", "/v1/ports/{id}", &Impl::patchPort, kOperator, kAudited, kNo},
      {"GET", "/v1/events", &Impl::listEvents, kAny, kNo, kNo},
      {"GET", "/v1/events/stream", &Impl::streamEvents, kAny, kNo, kNo},
      {"POST", "/v1/tenants", &Impl::createTenant, kOperator, kAudited, kIdempotent},
      {"GET", "/v1/tenants", &Impl::listTenants, kAny, kNo, kNo},
      {"GET", "/v1/tenants/{id}", &Impl::getTenant, kAny, kNo, kNo},
      {"POST", "/v1/api-keys", &Impl::createKey, kAdmin, kAudited, kIdempotent},
      {"GET", "/v1/api-keys", &Impl::listKeys, kAdmin, kNo, kNo},
      {"DELETE", "/v1/api-keys/{id}", &Impl::deleteKey, kAdmin, kAudited, kNo},
      // OAuth2 client credentials: clients made like keys; their secret buys access tokens.
      {"POST", "/v1/oauth-clients", &Impl::createOAuthClient, kAdmin, kAudited, kIdempotent},
      {"GET", "/v1/oauth-clients", &Impl::listOAuthClients, kAdmin, kNo, kNo},
      {"DELETE", "/v1/oauth-clients/{id}", &Impl::deleteOAuthClient, kAdmin, kAudited, kNo},
      {"POST", "/oauth/token", &Impl::issueToken, kPublic, kNo, kNo},
      {"GET", "/.well-known/jwks.json", &Impl::getJwks, kPublic, kNo, kNo},
      {"GET", "/v1/topology", &Impl::getTopology, kAny, kNo, kNo},
      {"GET", "/v1/fibers/{id}/spectrum", &Impl::getFiberSpectrum, kAny, kNo, kNo},
      {"GET", "/v1/audit", &Impl::listAudit, kOperator, kNo, kNo},
      {"POST", "/v1/webhooks", &Impl::createWebhook, kAdmin, kAudited, kIdempotent},
      {"GET", "/v1/webhooks", &Impl::listWebhooks, kAny, kNo, kNo},
      {"GET", "/v1/webhooks/{id}", &Impl::getWebhook, kAny, kNo, kNo},
      {"DELETE", "/v1/webhooks/{id}", &Impl::deleteWebhook, kAdmin, kAudited, kNo},
      // Failures of the network: recorded by operators (or, later, raised by devices). A second
      // POST for what is down already answers 409, so retries need no Idempotency-Key.
      {"POST", "/v1/failures", &Impl::createFailure, kOperator, kAudited, kNo},
      {"GET", "/v1/failures", &Impl::listFailures, kOperator, kNo, kNo},
      {"GET", "/v1/failures/{id}", &Impl::getFailure, kOperator, kNo, kNo},
      {"DELETE", "/v1/failures/{id}", &Impl::repairFailure, kOperator, kAudited, kNo},
      {"POST", "/v1/analysis/failure", &Impl::analyzeFailure, kOperator, kNo, kNo},
  };
  for (Impl::Route& r : routes) {
    for (std::string_view segment : pathSegments(r.pattern)) r.segments.emplace_back(segment);
  }
  declareQueries(routes);
  return routes;
}

// The metrics' name of each route ("GET /v1/connections/{id}"), then "unmatched".
std::vector<std::string> routeNames(const std::vector<Impl::Route>& routes) {
  std::vector<std::string> names;
  for (const Impl::Route& r : routes) names.push_back(r.method + " " + r.pattern);
  names.push_back("unmatched");
  return names;
}

}  // namespace

Api::Impl::Impl(ApiDeps d, ApiLimits l)
    : deps(std::move(d)),
      limits(l),
      routes(routeTable()),
      metrics(routeNames(routes)),
      keys(*deps.store, *deps.clock),
      clients(*deps.store, *deps.clock, kOAuthClients),
      tokens(*deps.store, *deps.clock, deps.sealer, {.lifetime = l.access_token_lifetime}),
      quote_key(deps.sealer ? deps.sealer->derive("lightpath quote ids") : randomBytes(32)),
      cursors(eventCursorsOf(deps.sealer)) {
  for (const Port& p : deps.topology->ports()) ports_by_id[p.id] = &p;
  metrics.setGauges([this] { return gauges(); });
}

Status Api::Impl::load() {
  LP_RETURN_IF_ERROR(keys.load());
  LP_RETURN_IF_ERROR(clients.load());
  LP_RETURN_IF_ERROR(tokens.load());
  return deps.store->read([&](StoreTransaction& tx) -> Status {
    for (std::size_t offset = 0;; offset += 1000) {
      LP_ASSIGN_OR_RETURN(
          auto page,
          tx.documents({.kind = "port_assignment", .offset = offset, .limit = 1000}, nullptr));
      for (const DocumentRecord& d : page) port_owner[d.id] = d.tenant;
      if (page.size() < 1000) return Status::ok();
    }
  });
}

std::string Api::Impl::newId(std::string_view prefix) { return secureId(prefix); }

Result<HttpResponse> Api::Impl::health(Context&) {
  return jsonReply(200, std::string(R"({"status":"ok"})"));
}

Result<HttpResponse> Api::Impl::ready(Context&) {
  if (!ready_flag.load()) return fail(unavailable("starting or draining"));
  // Ready only while the store answers (a database server restarting or failing over).
  Status store =
      deps.store->read([](StoreTransaction& tx) { return statusOf(tx.lastEventCursor()); });
  if (!store.isOk()) return fail(unavailable("the store does not answer: " + store.message()));
  return jsonReply(200, std::string(R"({"status":"ready"})"));
}

Result<HttpResponse> Api::Impl::metricsText(Context&) {
  HttpResponse r;
  r.headers.emplace_back("Content-Type", "text/plain; version=0.0.4");
  r.body = metrics.render();
  return r;
}

Result<HttpResponse> Api::Impl::openapi(Context&) {
  return jsonReply(200, std::string(kOpenApiDocument));
}

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
    out +=
        "# HELP lightpath_webhook_passes_total Passes of the webhook dispatcher over its "
        "subscriptions (none while idle).\n# TYPE lightpath_webhook_passes_total counter\n";
    out += fmt::format("lightpath_webhook_passes_total {}\n", deps.webhooks->passes());
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
  LP_RETURN_IF_ERROR(impl->load());
  return std::unique_ptr<Api>(new Api(std::move(impl)));
}

HttpResponse Api::handle(const HttpRequest& request) { return impl_->handle(request); }

Result<std::string> Api::ensureOperatorKey() {
  if (impl_->keys.operatorKeys() > 0) return std::string();
  std::optional<ApiKeys::Made> made;
  LP_RETURN_IF_ERROR(impl_->deps.store->transact([&](StoreTransaction& tx) -> Status {
    LP_ASSIGN_OR_RETURN(
        made, impl_->keys.make(tx, "", Role::Operator, "first operator key", "lightpath serve"));
    return Status::ok();
  }));
  impl_->keys.remember(made->secret, Principal{made->id, "", Role::Operator});
  return made->secret;
}

std::variant<Api::StreamStart, HttpResponse> Api::startEventStream(const HttpRequest& request) {
  // The usual checks (key, rate, parameters) by handling it; a 200 means the stream may start.
  HttpResponse checked = impl_->handle(request);
  if (checked.status != 200) return checked;
  auto who = impl_->authenticate(request);
  if (!who) return problemOf(unauthenticated("give a valid API key: Authorization: Bearer lp_..."));
  StreamStart start{*who, 0};
  const std::string viewer = Impl::viewerOf(*who);
  if (const std::string* last = request.header("last-event-id")) {
    start.after = impl_->cursors.decode(*last, viewer).value_or(0);  // checked by the handler
  } else if (auto it = request.query.find("after"); it != request.query.end()) {
    start.after = impl_->cursors.decode(it->second, viewer).value_or(0);
  } else {
    // No cursor: from now on.
    Status read = impl_->deps.store->read([&](StoreTransaction& tx) -> Status {
      LP_ASSIGN_OR_RETURN(start.after, tx.lastEventCursor());
      return Status::ok();
    });
    if (!read.isOk()) return problemOf(read);
  }
  return start;
}

Result<std::vector<Api::EventFrame>> Api::eventFrames(std::uint64_t after, std::size_t limit) {
  std::vector<EventFrame> frames;
  LP_RETURN_IF_ERROR(impl_->deps.store->read([&](StoreTransaction& tx) -> Status {
    LP_ASSIGN_OR_RETURN(auto events, tx.eventsAfter(after, limit));
    // The tenant's frame goes to that tenant only, so its cursor is that tenant's own.
    for (const EventRecord& e : events) {
      frames.push_back({e.cursor, e.tenant, sseFrame(e, impl_->cursors, e.tenant),
                        sseFrame(e, impl_->cursors, kOperatorViewer)});
    }
    return Status::ok();
  }));
  return frames;
}

Result<std::size_t> Api::expireIdempotencyRecords(TimePoint before) {
  return lightpath::expireIdempotencyRecords(*impl_->deps.store, before);
}

void Api::streamsChanged(int by) { impl_->open_streams += by; }
std::uint64_t Api::keyRevocations() const {
  return impl_->keys.revocations() + impl_->clients.revocations();
}
bool Api::mayStillFollow(const Principal& who) const {
  return impl_->keys.isLive(who.key_id) || impl_->clients.isLive(who.key_id);
}
Status Api::rotateSigningKeys() { return impl_->tokens.load(); }

void Api::setReady(bool ready) { impl_->ready_flag = ready; }
Metrics& Api::metrics() { return impl_->metrics; }

}  // namespace lightpath
