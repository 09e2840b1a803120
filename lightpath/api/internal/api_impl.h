// The API's insides, shared by its route files: the request context, the route table, the key
// cache, and helpers every route uses (JSON replies, paging, the audit entry).
#pragma once

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
  bool isOperator() const { return who.role == Role::Operator; }
};

struct Api::Impl {
  using Handler = HttpResponse (Impl::*)(Context&);
  struct Route {
    std::string method;
    std::vector<std::string> segments;  // "{id}" matches any one segment
    Handler handler;
    bool authenticated = true;
    std::string name;  // "GET /v1/connections/{id}", for metrics
  };
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point at;
  };

  Impl(ApiDeps deps, ApiLimits limits);
  Status loadKeys();
  HttpResponse handle(const HttpRequest& request);
  std::optional<Principal> authenticate(const HttpRequest& request) const;
  // Seconds to wait before the key may call again; 0 when it may now.
  double throttle(const std::string& key_id);

  // Routes (connection_routes.cc).
  HttpResponse createConnection(Context& ctx);
  HttpResponse listConnections(Context& ctx);
  HttpResponse getConnection(Context& ctx);
  HttpResponse patchConnection(Context& ctx);
  HttpResponse deleteConnection(Context& ctx);
  HttpResponse createQuote(Context& ctx);
  HttpResponse listOrders(Context& ctx);
  HttpResponse getOrder(Context& ctx);
  // Routes (admin_routes.cc).
  HttpResponse listLocations(Context& ctx);
  HttpResponse getLocation(Context& ctx);
  HttpResponse listPorts(Context& ctx);
  HttpResponse patchPort(Context& ctx);
  HttpResponse listEvents(Context& ctx);
  HttpResponse streamEvents(Context& ctx);
  HttpResponse createTenant(Context& ctx);
  HttpResponse listTenants(Context& ctx);
  HttpResponse getTenant(Context& ctx);
  HttpResponse createKey(Context& ctx);
  HttpResponse listKeys(Context& ctx);
  HttpResponse deleteKey(Context& ctx);
  HttpResponse getTopology(Context& ctx);
  HttpResponse getFiberSpectrum(Context& ctx);
  HttpResponse listAudit(Context& ctx);
  HttpResponse createWebhook(Context& ctx);
  HttpResponse listWebhooks(Context& ctx);
  HttpResponse getWebhook(Context& ctx);
  HttpResponse deleteWebhook(Context& ctx);
  // Routes (api.cc).
  HttpResponse health(Context& ctx);
  HttpResponse ready(Context& ctx);
  HttpResponse metricsText(Context& ctx);
  HttpResponse openapi(Context& ctx);

  // Helpers.
  // A key for `tenant` with `role`: stored as a hash, cached; returns {id, secret}.
  Result<std::pair<std::string, std::string>> makeKey(const std::string& tenant, Role role,
                                                      const std::string& name,
                                                      const std::string& actor,
                                                      StoreTransaction* tx);
  // The tenant a port belongs to (assignment by an operator, else the topology's), or none.
  std::optional<std::string> portOwner(const std::string& port_id) const;
  // The audit entry of this request, and the order entry when it changed a connection.
  DocumentRecord auditEntry(const Context& ctx, int status) const;
  // Runs `work` and the records of this mutation (record()) in one transaction; ctx.recorded
  // says whether they landed. `work` may fill `reply` first.
  Status commit(Context& ctx, HttpResponse& reply,
                const std::function<Status(StoreTransaction&)>& work);
  // Writes what a mutation leaves behind (audit, order, idempotency record) in `tx`.
  Status record(StoreTransaction& tx, const Context& ctx, const HttpResponse& response) const;
  std::string gauges() const;

  ApiDeps deps;
  ApiLimits limits;
  std::vector<Route> routes;
  Metrics metrics;
  std::atomic<bool> ready_flag{false};
  std::atomic<std::uint64_t> request_counter{0};
  std::atomic<std::int64_t> open_streams{0};  // told by the HTTP server

  mutable std::shared_mutex keys_mutex;
  std::unordered_map<std::string, Principal> keys_by_hash;  // sha-256 of the secret -> who
  mutable std::shared_mutex ports_mutex;
  std::map<std::string, std::string> port_owner;  // operator assignments
  std::map<std::string, const Port*> ports_by_id;
  std::mutex buckets_mutex;
  std::unordered_map<std::string, Bucket> buckets;
  std::array<std::mutex, 64> idempotency_locks;  // one POST per key at a time
  std::mutex random_mutex;
  Random random;
};

// The body of an order or quote, strictly: unknown fields, wrong types and bad values are
// InvalidArgument naming the field.
Result<ConnectionSpec> specFromApiJson(const json& body);

// An event as the API shows it (operators also see the tenant).
json eventJson(const EventRecord& e, bool with_tenant);

// Helpers for route files.
HttpResponse jsonReply(int status, std::string body);
HttpResponse jsonReply(int status, const json& body);
std::string dumpJson(const json& j);
// Offset and limit from the query (limit 1..1000, default 100); InvalidArgument names the one.
Result<std::pair<std::size_t, std::size_t>> paging(const HttpRequest& request);
// {"items": [...raw documents...], "total": n, "offset": o, "limit": l}
std::string pageJson(const std::vector<std::string>& items, std::size_t total, std::size_t offset,
                     std::size_t limit);
// One document the caller reads (none when it does not exist).
Result<std::optional<DocumentRecord>> readDocument(Store& store, const std::string& kind,
                                                   const std::string& id);
// A page (offset/limit from the request) of documents matching `query`, each shown by `show`.
HttpResponse documentPage(Store& store, const HttpRequest& request, DocumentQuery query,
                          const std::function<std::string(DocumentRecord&)>& show);
// Parses a JSON object body; InvalidArgument with the parser's position when it is not one.
Result<json> parseObject(std::string_view body);
// InvalidArgument naming the first field of `object` not in `allowed`.
Status onlyFields(const json& object, std::initializer_list<std::string_view> allowed,
                  std::string_view where = "");
std::string_view toString(Role role);
Result<Role> parseRole(std::string_view text);
// Whether `id` may name a tenant: 1-40 of a-z, 0-9 and '-', starting with a letter.
bool isTenantId(std::string_view id);

}  // namespace lightpath
