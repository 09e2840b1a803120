// The REST API as one handler: an HttpRequest in, an HttpResponse out. Authenticates the bearer
// key, scopes everything to the key's tenant (another tenant's things answer 404, as if they did
// not exist), limits the request rate per key, replays POSTs that carry a used Idempotency-Key,
// and records every mutation in the audit log. Routes and documents: docs/api.md and the
// OpenAPI description served at /v1/openapi.json.
//
//   auto api = Api::create({.provisioner = p, .workflows = &runner, .store = s, ...});
//   HttpResponse r = (*api)->handle(request);        // from any thread
//
// Thread-safe: handle() runs concurrently on the server's threads.
#pragma once

#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <variant>

#include "lightpath/api/http.h"
#include "lightpath/api/metrics.h"
#include "lightpath/api/static_files.h"
#include "lightpath/events/webhooks.h"
#include "lightpath/model/topology.h"
#include "lightpath/orchestrator/provisioner.h"
#include "lightpath/orchestrator/workflow_runner.h"
#include "lightpath/tenancy/roles.h"

namespace lightpath {

struct ApiDeps {
  Provisioner* provisioner = nullptr;
  WorkflowRunner* workflows = nullptr;  // takes the device work of orders and terminations
  Store* store = nullptr;
  std::shared_ptr<const Topology> topology;
  const Ledger* ledger = nullptr;  // utilization for operators
  const Clock* clock = nullptr;
  WebhookDispatcher* webhooks = nullptr;  // woken when a subscription is made (optional)
  const StaticFiles* portal = nullptr;    // the web portal's files, served outside /v1 (optional)
  const PriceBook* price_book = nullptr;  // SLA classes and credits (optional: 99.9%, no credit)
  const Sealer* sealer = nullptr;         // seals webhook secrets at rest (optional: kept in clear)
};

struct ApiLimits {
  std::size_t max_body_bytes = 1 << 20;  // larger bodies: 413
  double requests_per_second = 1000;     // per API key, sustained; above: 429 with Retry-After
  double burst = 2000;
  // Per tenant, all its keys together (minting keys does not multiply the limit).
  double tenant_requests_per_second = 2000;
  // Requests without a valid key, per source address: guessing keys is slow.
  double unauthenticated_per_second = 20;
  std::size_t max_keys_per_tenant = 50;
  std::size_t max_webhooks_per_tenant = 100;
  std::size_t max_oauth_clients_per_tenant = 50;
  std::chrono::seconds access_token_lifetime{3600};
  // How long a quote's price holds for an order that names it (quote_id).
  std::chrono::seconds quote_validity{900};
};

class Api {
 public:
  static Result<std::unique_ptr<Api>> create(ApiDeps deps, ApiLimits limits = {});
  ~Api();

  HttpResponse handle(const HttpRequest& request);

  // On first start: makes an operator key when none exists and returns its secret (shown
  // once); empty when there is one already.
  Result<std::string> ensureOperatorKey();
  // Server-Sent Events (GET /v1/events/stream): who may follow and from which cursor (the
  // Last-Event-ID header or ?after=; neither: from now on), or the error reply. The HTTP server
  // keeps the connection open and feeds it eventFrames() as they come.
  struct StreamStart {
    Principal who;
    std::uint64_t after = 0;
  };
  std::variant<StreamStart, HttpResponse> startEventStream(const HttpRequest& request);
  struct EventFrame {
    std::uint64_t cursor = 0;
    std::string tenant;
    std::string text;           // "id: 7\nevent: connection.stateChanged\ndata: {...}\n\n"
    std::string operator_text;  // the same with the tenant in the data
  };
  // The HTTP server counts its open streams here (for /metrics): +1 on open, -1 on close.
  void streamsChanged(int by);
  // Revoking a key ends its open streams: when keyRevocations() moves, the server closes the
  // streams whose caller mayStillFollow() no more.
  std::uint64_t keyRevocations() const;
  bool mayStillFollow(const Principal& who) const;
  // Makes a new signing key for access tokens when the newest is due (hourly, by the server).
  Status rotateSigningKeys();
  // Every tenant's events after `after`, oldest first; the caller shows each only to its tenant.
  Result<std::vector<EventFrame>> eventFrames(std::uint64_t after, std::size_t limit);

  // Forgets Idempotency-Key records made before `before` (a retry that late is a new request);
  // returns how many. The server calls it now and then.
  Result<std::size_t> expireIdempotencyRecords(TimePoint before);

  // Ready for traffic (readyz); false while starting and draining.
  void setReady(bool ready);
  Metrics& metrics();

  struct Impl;

 private:
  explicit Api(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace lightpath
