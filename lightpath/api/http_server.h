// The API on the network: RESTinio on its own threads, with limits on header and body size,
// connection count and slow clients, and TLS when a certificate is given.
//
//   auto server = HttpServer::start(api, {.host = "127.0.0.1", .port = 0});
//   (*server)->port();      // the port bound (0 asks the OS for a free one)
//   (*server)->stop();      // stops accepting, lets in-flight requests finish
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "lightpath/api/api.h"

namespace lightpath {

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  std::size_t threads = 2;
  std::size_t max_connections = 4096;
  std::size_t max_header_bytes = std::size_t{16} * 1024;  // per header value and for the URL
  std::size_t max_body_bytes = 4 << 20;   // the connection is closed beyond this; the API
                                          // answers 413 between its own limit and this one
  std::chrono::seconds read_timeout{15};  // to receive a whole request (slow clients)
  std::chrono::seconds handle_timeout{30};
  // Open event streams (GET /v1/events/stream) a key, and a tenant's keys together, may hold.
  std::size_t max_streams_per_key = 5;
  std::size_t max_streams_per_tenant = 25;
  std::string tls_certificate_file;  // PEM; both set: HTTPS only
  std::string tls_key_file;
  // Requests whose path starts with a prefix go to its handler instead of the API (serve's
  // simulated cloud providers under "/cloudsim/").
  std::vector<std::pair<std::string, std::function<HttpResponse(const HttpRequest&)>>> mounts;
};

class HttpServer {
 public:
  static Result<std::unique_ptr<HttpServer>> start(Api& api, HttpServerOptions options);
  virtual ~HttpServer() = default;
  virtual std::uint16_t port() const = 0;
  virtual void stop() = 0;
};

}  // namespace lightpath
