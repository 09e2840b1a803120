// `lightpath serve`: the stack, the workflow runner, the API and its HTTP server, started and
// stopped in the right order. The executable blocks on signals around it; tests start one on
// port 0 in-process.
//
//   auto server = Server::start(config, std::cout);   // prints the first operator key, URLs
//   (*server)->port();
//   (*server)->stop();                                // drains requests, then workflows
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <ostream>
#include <thread>

#include "lightpath/api/api.h"
#include "lightpath/api/http_server.h"
#include "lightpath/orchestrator/workflow_runner.h"
#include "lightpath/server/stack.h"
#include "lightpath/tenancy/retention.h"

namespace lightpath {

struct ServeConfig {
  StackConfig stack;
  HttpServerOptions http;
  ApiLimits limits;
  std::size_t workflow_threads = 4;
  std::chrono::milliseconds schedule_tick{1000};
  std::string log_level = "info";
  std::string log_format = "text";  // or "json"
  WebhookOptions webhooks;
  // The built portal (web/dist). Empty: found beside the executable's source tree or in
  // ./web/dist; none found: the API alone.
  std::string web_dir;
  // Listening beyond loopback without a certificate: plain HTTP instead of a self-signed
  // certificate (behind a proxy that terminates TLS).
  bool insecure_http = false;
  // The master key that seals secrets at rest (loadMasterKey: LIGHTPATH_MASTER_KEY, else this
  // file, else the user's ~/.config/lightpath/master.key, made when missing).
  std::string master_key_file;
  // How long events, orders and audit entries are kept (pruned hourly).
  Retention retention;
  // How long an Idempotency-Key is remembered (Stripe-like: a day).
  std::chrono::hours idempotency_ttl{24};
};

// Reads a YAML configuration file over `config`. Keys: listen ("host:port"), data, topology,
// transceivers, driver, price_book, log_level, log_format, workflow_threads, rate_limit (requests
// per second per key), tls: {certificate, key}. Unknown keys and bad values are errors naming the
// key.
Status readServeConfig(const std::string& path, ServeConfig& config);
// The master key `config` names (LIGHTPATH_MASTER_KEY, master_key_file, else the user's default,
// made when missing); InvalidArgument for a key file inside the data directory.
Result<MasterKey> loadServeMasterKey(const ServeConfig& config);
// "127.0.0.1:8080", "[::1]:8080", ":8080" -> host and port.
Status parseListen(std::string_view text, HttpServerOptions& http);

class Server {
 public:
  static Result<std::unique_ptr<Server>> start(const ServeConfig& config, std::ostream& out);
  ~Server();
  std::uint16_t port() const { return http_->port(); }
  Api& api() { return *api_; }
  Stack& stack() { return *stack_; }
  WebhookDispatcher& webhooks() { return *webhooks_; }
  // Not ready, stop accepting and answer what came in, finish running workflows (queued ones
  // resume at the next start). Idempotent.
  void stop();

 private:
  Server() = default;
  std::unique_ptr<Stack> stack_;
  std::optional<Sealer> sealer_;
  std::unique_ptr<WorkflowRunner> workflows_;
  std::unique_ptr<WebhookDispatcher> webhooks_;
  std::optional<StaticFiles> portal_;
  std::unique_ptr<Api> api_;
  std::unique_ptr<HttpServer> http_;
  // Housekeeping: every hour, expires idempotency records and prunes what is past retention.
  std::thread housekeeper_;
  std::mutex housekeeping_mutex_;
  std::condition_variable housekeeping_wake_;
  bool stopping_ = false;
};

}  // namespace lightpath
