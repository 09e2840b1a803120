// The API's insides, shared by its route files: the request context, the route table with each
// route's access and bookkeeping, the middleware chain, and helpers every route uses.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "lightpath/api/api.h"
#include "lightpath/api/problem.h"
#include "lightpath/events/event_json.h"
#include "lightpath/tenancy/access_tokens.h"
#include "lightpath/tenancy/api_keys.h"

namespace lightpath {

using nlohmann::json;

// One request as a route sees it.
struct Context {
  const HttpRequest& request;
  Principal who;
  std::string request_id;
  std::vector<std::string> params;  // the {…} segments of the route, in order
  std::string idempotency_doc;      // set: the POST carries a new Idempotency-Key
  std::string request_hash;         // of method, path and body, to spot a reused key
  bool recorded = false;            // the route wrote the audit entry (and idempotency record)
  std::string subject;              // what the mutation touched, for the audit entry
  std::string owner;                // the tenant it belongs to (operators act for tenants)
  bool isOperator() const { return who.isOperator(); }
};

// Who may call a route. The chain applies it before the handler runs.
enum class Access {
  Public,       // no key: health, readiness, metrics, the API document
  AnyRole,      // any valid key; the handler shows only the caller's tenant's things
  TenantAdmin,  // operators and tenant admins; a viewer is refused (403) before any id is read
  Operator,     // the carrier only: others get 403 on a collection, 404 on an item (an id is
                // never confirmed to someone who may not see it)
};

struct Api::Impl {
  using Handler = Result<HttpResponse> (Impl::*)(Context&);
  struct Route {
    std::string method;
    std::string pattern;  // "/v1/connections/{id}"; "{id}" matches any one segment
    Handler handler;
    Access access = Access::AnyRole;
    bool audited = false;     // leaves an audit entry (and an order for connections)
    bool idempotent = false;  // honours Idempotency-Key
    std::vector<std::string> segments{};
    // The query parameters its operation declares in the API document; none: not documented.
    std::optional<std::vector<std::string>> query{};
  };
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point at;
  };

  Impl(ApiDeps deps, ApiLimits limits);
  Status load();
  HttpResponse handle(const HttpRequest& request);
  std::optional<Principal> authenticate(const HttpRequest& request) const;
  // Records a refused credential: a warning and an audit entry, at most kFailedAuthsPerMinute
  // per source address a minute.
  void noteFailedAuthentication(const Context& ctx);
  static constexpr int kFailedAuthsPerMinute = 10;

  // The chain (pipeline.cc), in order; each step either lets the request on or answers it.
  const Route* match(const HttpRequest& request, Context& ctx, std::size_t& index,
                     std::optional<HttpResponse>& answer) const;
  std::optional<HttpResponse> admit(const Route& route, Context& ctx);      // key, role
  std::optional<HttpResponse> throttle(Context& ctx);                       // rate per key
  std::optional<HttpResponse> checkBody(const HttpRequest& request) const;  // size, media type
  // A query parameter the route's operation does not declare: 400 naming it.
  static std::optional<HttpResponse> checkQuery(const Route& route, const HttpRequest& request);
  std::optional<HttpResponse> replay(const Route& route, Context& ctx);  // Idempotency-Key
  void audit(const Route& route, Context& ctx, const HttpResponse& response);
  void observe(std::size_t route_index, const Context& ctx, HttpResponse& response, double seconds);

  // Routes. connection_routes.cc:
  Result<HttpResponse> createConnection(Context& ctx);
  Result<HttpResponse> createConnectionPair(Context& ctx);
  // Bulk transfers (transfer_routes.cc).
  Result<HttpResponse> createTransfer(Context& ctx);
  Result<HttpResponse> listTransfers(Context& ctx);
  Result<HttpResponse> getTransfer(Context& ctx);
  Result<HttpResponse> deleteTransfer(Context& ctx);
  // A transfer as the API shows it: its legs with their states, its state, price and progress.
  json transferJson(const TransferRecord& t, const std::vector<LegStatus>& legs) const;
  std::vector<LegStatus> legStatuses(const TransferRecord& t) const;
  // Whose an order is: the caller's tenant, or (operators) the existing tenant the body names.
  Result<std::string> orderingTenant(const Context& ctx, const json& body) const;
  Result<HttpResponse> listConnections(Context& ctx);
  Result<HttpResponse> getConnection(Context& ctx);
  Result<HttpResponse> patchConnection(Context& ctx);
  Result<HttpResponse> deleteConnection(Context& ctx);
  Result<HttpResponse> createQuote(Context& ctx);
  Result<HttpResponse> listOrders(Context& ctx);
  Result<HttpResponse> getOrder(Context& ctx);
  // network_routes.cc:
  Result<HttpResponse> listLocations(Context& ctx);
  Result<HttpResponse> getLocation(Context& ctx);
  Result<HttpResponse> listPorts(Context& ctx);
  Result<HttpResponse> patchPort(Context& ctx);
  Result<HttpResponse> getTopology(Context& ctx);
  Result<HttpResponse> getFiberSpectrum(Context& ctx);
  // event_routes.cc:
  Result<HttpResponse> listEvents(Context& ctx);
  Result<HttpResponse> streamEvents(Context& ctx);
  // tenant_routes.cc:
  Result<HttpResponse> getMe(Context& ctx);
  Result<HttpResponse> createTenant(Context& ctx);
  Result<HttpResponse> listTenants(Context& ctx);
  Result<HttpResponse> getTenant(Context& ctx);
  Result<HttpResponse> createKey(Context& ctx);
  Result<HttpResponse> listKeys(Context& ctx);
  Result<HttpResponse> deleteKey(Context& ctx);
  Result<HttpResponse> listAudit(Context& ctx);
  // API keys and OAuth clients are made alike: the caller's own tenant (operators: any), a role
  // no higher than the caller's, the secret shown once.
  Result<HttpResponse> createCredential(Context& ctx, ApiKeys& set, std::string_view path,
                                        std::string_view secret_field, std::size_t most);
  Result<HttpResponse> createOAuthClient(Context& ctx);
  Result<HttpResponse> listOAuthClients(Context& ctx);
  Result<HttpResponse> deleteOAuthClient(Context& ctx);
  Result<HttpResponse> issueToken(Context& ctx);
  Result<HttpResponse> getJwks(Context& ctx);
  // webhook_routes.cc:
  Result<HttpResponse> createWebhook(Context& ctx);
  Result<HttpResponse> listWebhooks(Context& ctx);
  Result<HttpResponse> getWebhook(Context& ctx);
  Result<HttpResponse> deleteWebhook(Context& ctx);
  // api.cc:
  Result<HttpResponse> getConnectionSla(Context& ctx);
  Result<HttpResponse> rotateConnectionKey(Context& ctx);
  // The durable first half of a change, answered 202: `begin` stores it, and in the same
  // transaction what this request leaves (audit entry, order, idempotency record); the devices
  // follow on the workflow runner. A change that needs no storing (under way already) answers
  // the connection as it is.
  Result<HttpResponse> acknowledge(
      Context& ctx, const std::function<Result<Connection>(const AlsoInTransaction&)>& begin);
  Result<HttpResponse> getSlaReport(Context& ctx);
  Result<HttpResponse> createFailure(Context& ctx);
  Result<HttpResponse> listFailures(Context& ctx);
  Result<HttpResponse> getFailure(Context& ctx);
  Result<HttpResponse> repairFailure(Context& ctx);
  Result<HttpResponse> analyzeFailure(Context& ctx);

  Result<HttpResponse> health(Context& ctx);
  Result<HttpResponse> ready(Context& ctx);
  Result<HttpResponse> metricsText(Context& ctx);
  Result<HttpResponse> openapi(Context& ctx);

  // Helpers.
  // The tenant a port belongs to (assignment by an operator, else the topology's), or none.
  std::optional<std::string> portOwner(const std::string& port_id) const;
  // The document `kind`/`id` if the caller may see it; NotFound "no <what> '<id>'" otherwise,
  // the same for a foreign id as for a missing one.
  Result<DocumentRecord> visibleDocument(const Context& ctx, const std::string& kind,
                                         const std::string& id, std::string_view what) const;
  // The stored connection `id` if the caller may see it; NotFound otherwise.
  Result<ConnectionRecord> visibleConnection(const Context& ctx, const std::string& id) const;
  // Runs `work` and the records of this mutation (record()) in one transaction; ctx.recorded
  // says whether they landed. `work` may fill `reply` first.
  Status commit(Context& ctx, HttpResponse& reply,
                const std::function<Status(StoreTransaction&)>& work);
  // Writes what a mutation leaves behind (audit, order, idempotency record) in `tx`.
  Status record(StoreTransaction& tx, const Context& ctx, const HttpResponse& response);
  std::string newId(std::string_view prefix);
  std::string gauges() const;

  ApiDeps deps;
  ApiLimits limits;
  std::vector<Route> routes;
  Metrics metrics;
  ApiKeys keys;
  ApiKeys clients;      // OAuth clients: their secrets buy access tokens, never a request
  AccessTokens tokens;  // the access tokens those clients get
  std::string
      quote_key;         // signs quote ids (derived from the master key: any instance honours them)
  EventCursors cursors;  // event cursors as each caller sees them: opaque, its own
  // Who the caller is to the event log: its tenant, or every tenant for operators.
  static std::string viewerOf(const Principal& who) {
    return who.role == Role::Operator ? std::string(kOperatorViewer) : who.tenant;
  }
  std::atomic<bool> ready_flag{false};
  std::atomic<std::uint64_t> request_counter{0};
  std::atomic<std::int64_t> open_streams{0};  // told by the HTTP server

  mutable std::shared_mutex ports_mutex;
  std::map<std::string, std::string> port_owner;  // operator assignments
  std::map<std::string, const Port*> ports_by_id;
  // Token buckets by API key id, by tenant, and by source address (requests without a key).
  enum class BucketKind { Key, Tenant, Address };
  double takeToken(BucketKind kind, const std::string& name, double rate, double burst);
  std::mutex buckets_mutex;
  std::array<std::unordered_map<std::string, Bucket>, 3> buckets;
  // Failed authentications recorded per source address in the current minute (audit and log
  // are rate-limited, so a key-guessing client cannot flood either).
  struct FailedAuths {
    std::chrono::steady_clock::time_point minute;
    int count = 0;
  };
  std::mutex failed_auths_mutex;
  std::unordered_map<std::string, FailedAuths> failed_auths;
  std::array<std::mutex, 64> idempotency_locks;  // one POST per key at a time
  std::mutex operator_keys_mutex;                // deletions of operator keys, one at a time
};

// "/v1/connections/x" -> {"v1", "connections", "x"} (empty segments dropped).
std::vector<std::string_view> pathSegments(std::string_view path);

// Helpers for route files.
// "203.0.113.7:51234" -> "203.0.113.7", "[2001:db8::1]:443" -> "2001:db8::1": the caller's
// address without the port it happened to use.
std::string addressOf(const std::string& remote);
// 429 with Retry-After.
HttpResponse slowDown(double wait, const std::string& what);
HttpResponse jsonReply(int status, std::string body);
HttpResponse jsonReply(int status, const json& body);
std::string dumpJson(const json& j);
// Offset and limit from the query (limit 1..1000, default 100); InvalidArgument names the one.
Result<std::pair<std::size_t, std::size_t>> paging(const HttpRequest& request);
// {"items": [...raw documents...], "total": n, "offset": o, "limit": l, "next_cursor": c}, the
// cursor when there may be more; no total when there is none (a filter it would cost a count).
std::string pageJson(const std::vector<std::string>& items, std::optional<std::size_t> total,
                     std::size_t offset, std::size_t limit,
                     const std::optional<std::string>& next_cursor = {});
// One document (none when it does not exist).
Result<std::optional<DocumentRecord>> readDocument(Store& store, const std::string& kind,
                                                   const std::string& id);
// FailedPrecondition, naming `what`, when `tenant` already holds `most` documents of `kind`
// (operators, tenant "", hold any number). Inside the transaction that adds one.
Status checkHolding(StoreTransaction& tx, const std::string& kind, const std::string& tenant,
                    std::size_t most, std::string_view what);
// A page of documents matching `query`, each shown by `show`: offset and limit from the request,
// or the cursor `after` (`next_cursor` of the page before: opaque, the viewer's and the list's
// own).
Result<HttpResponse> documentPage(Store& store, const HttpRequest& request,
                                  const EventCursors& cursors, const std::string& viewer,
                                  DocumentQuery query,
                                  const std::function<std::string(DocumentRecord&)>& show);
// Parses a JSON object body; InvalidArgument with the parser's position when it is not one.
Result<json> parseObject(std::string_view body);
// The connection as the API shows it (connection_view.cc): the stored document without ledger
// hold ids, and with "encryption" (the key in use, when it turns) in place of the sealed keys.
// storedConnectionView() does the same to a stored document's text.
std::string connectionView(const Connection& c);
std::string storedConnectionView(std::string stored);

}  // namespace lightpath
