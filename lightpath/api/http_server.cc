// RESTinio glue: converts its requests to HttpRequest and the handler's HttpResponse back. The
// handler runs on the server's threads (requests never wait on devices: workflows do that).
#include "lightpath/api/http_server.h"

#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <future>
#include <list>
#include <mutex>
#include <restinio/all.hpp>
#include <restinio/tls.hpp>
#include <thread>

#include "lightpath/api/problem.h"
#include "lightpath/base/log.h"

namespace lightpath {
namespace {

// RESTinio's own messages, which its default logger dropped: one connection's trouble (a
// request it could not parse, a socket error: what a client did, so debug, or anyone could fill
// the log) and the server's own (the acceptor's: warn); its tracing at trace level.
class HttpLog {
 public:
  template <typename Builder>
  void trace(Builder&& message) const noexcept {
    if (log().should_log(spdlog::level::trace)) write(false, message);
  }
  template <typename Builder>
  void info(Builder&& /*message*/) const noexcept {}
  template <typename Builder>
  void warn(Builder&& message) const noexcept {
    write(true, message);
  }
  template <typename Builder>
  void error(Builder&& message) const noexcept {
    write(true, message);
  }

 private:
  template <typename Builder>
  static void write(bool trouble, Builder& message) noexcept {
    try {
      const std::string text = message();
      const auto level = !trouble                            ? spdlog::level::trace
                         : text.rfind("[connection", 0) == 0 ? spdlog::level::debug
                                                             : spdlog::level::warn;
      if (log().should_log(level)) log().log(level, "http: {}", printable(text));
    } catch (const std::exception&) {  // a message that cannot be built is not worth a crash
    }
  }
};

// RESTinio reads these names; they are its, not ours.
struct PlainTraits : restinio::traits_t<restinio::asio_timer_manager_t, HttpLog> {
  // NOLINTNEXTLINE(readability-identifier-naming)
  static constexpr bool use_connection_count_limiter = true;
};
struct TlsTraits : restinio::tls_traits_t<restinio::asio_timer_manager_t, HttpLog> {
  // NOLINTNEXTLINE(readability-identifier-naming)
  static constexpr bool use_connection_count_limiter = true;
};

bool isSingleHeader(std::string_view lower_case_name) {
  return lower_case_name == "authorization" || lower_case_name == "idempotency-key" ||
         lower_case_name == "if-match" || lower_case_name == "content-length" ||
         lower_case_name == "last-event-id";
}

HttpRequest toRequest(const restinio::request_handle_t& req, std::string& error) {
  HttpRequest r;
  const auto& head = req->header();
  r.method = head.method().c_str();
  auto path =
      restinio::utils::try_unescape_percent_encoding<restinio::utils::relaxed_unescape_traits>(
          head.path());
  if (!path) {
    error = "the path is not validly percent-encoded";
    return r;
  }
  r.path = std::move(*path);
  // Query values may hold what RFC 3986 allows there unencoded (":", "/", ",", "@", ...); "&"
  // separates parameters.
  auto query = restinio::try_parse_query<restinio::parse_query_traits::relaxed>(head.query());
  if (!query) {
    error = "the query string cannot be parsed";
    return r;
  }
  for (const auto& [key, value] : *query) r.query.emplace(std::string(key), std::string(value));
  // A lone word ("?debug") is a parameter without a value too, not nothing.
  if (const auto tag = query->tag()) r.query.emplace(std::string(*tag), std::string());
  head.for_each_field([&](const restinio::http_header_field_t& f) {
    std::string name = f.name();
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    // Headers that decide who calls and what happens are taken once: with two, which one a
    // proxy, a cache and this server each believe would differ.
    if (isSingleHeader(name) && r.headers.contains(name) && error.empty()) {
      error = fmt::format("{}: given more than once; send it once", f.name());
    }
    r.headers[std::move(name)] = f.value();
  });
  r.body = req->body();
  r.remote = fmt::format("{}:{}", req->remote_endpoint().address().to_string(),
                         req->remote_endpoint().port());
  return r;
}

template <typename Traits>
class RestinioServer final : public HttpServer {
 public:
  RestinioServer(Api& api, HttpServerOptions options) : api_(api), options_(std::move(options)) {}
  ~RestinioServer() override { stop(); }

  Status open() {
    std::promise<std::uint16_t> bound;
    auto bound_port = bound.get_future();
    auto settings =
        restinio::server_settings_t<Traits>{}
            .address(options_.host)
            .port(options_.port)
            .max_parallel_connections(options_.max_connections)
            // One request in handling and the next one read beside it. With RESTinio 0.6's
            // default of 1, a reply given inside the handler (all of ours but streams) restarts
            // the reading of the next request twice -- on return and when the reply is
            // written -- and the second restart threw away a request whose head had already
            // arrived: the client saw its keep-alive connection closed without an answer (a
            // "parser error" once the body was read as a new request). With 2 it restarts once.
            .max_pipelined_requests(2)
            .read_next_http_message_timelimit(options_.read_timeout)
            .handle_request_timeout(options_.handle_timeout)
            .incoming_http_msg_limits(restinio::incoming_http_msg_limits_t{}
                                          .max_url_size(options_.max_header_bytes)
                                          .max_field_name_size(1024)
                                          .max_field_value_size(options_.max_header_bytes)
                                          .max_field_count(100)
                                          .max_body_size(options_.max_body_bytes))
            .acceptor_post_bind_hook([&bound](restinio::asio_ns::ip::tcp::acceptor& a) {
              bound.set_value(a.local_endpoint().port());
            })
            .request_handler([this](restinio::request_handle_t req) { return serve(req); });
    if constexpr (std::is_same_v<Traits, TlsTraits>) {
      restinio::asio_ns::ssl::context tls{restinio::asio_ns::ssl::context::tls_server};
      tls.set_options(
          restinio::asio_ns::ssl::context::default_workarounds |
          restinio::asio_ns::ssl::context::no_sslv2 | restinio::asio_ns::ssl::context::no_sslv3 |
          restinio::asio_ns::ssl::context::no_tlsv1 | restinio::asio_ns::ssl::context::no_tlsv1_1 |
          restinio::asio_ns::ssl::context::single_dh_use);
      restinio::asio_ns::error_code ec;
      tls.use_certificate_chain_file(options_.tls_certificate_file, ec);
      if (ec)
        return invalidArgument(fmt::format("{}: cannot use as TLS certificate: {}",
                                           options_.tls_certificate_file, ec.message()));
      tls.use_private_key_file(options_.tls_key_file, restinio::asio_ns::ssl::context::pem, ec);
      if (ec)
        return invalidArgument(
            fmt::format("{}: cannot use as TLS key: {}", options_.tls_key_file, ec.message()));
      settings.tls_context(std::move(tls));
    }
    server_ = std::make_unique<restinio::http_server_t<Traits>>(restinio::external_io_context(io_),
                                                                std::move(settings));
    try {
      server_->open_sync();
    } catch (const std::exception& e) {
      server_.reset();
      return unavailable(
          fmt::format("cannot listen on {}:{}: {}", options_.host, options_.port, e.what()));
    }
    port_ = bound_port.get();
    streamer_ = std::thread([this] { feedStreams(); });
    for (std::size_t i = 0; i < std::max<std::size_t>(1, options_.threads); ++i) {
      threads_.emplace_back([this] {
        for (;;) {
          try {
            io_.run();
            return;
          } catch (const std::exception& e) {
            log().error("http: {}", e.what());  // one connection's trouble; keep serving
          }
        }
      });
    }
    return Status::ok();
  }

  std::uint16_t port() const override { return port_; }

  void stop() override {
    if (!server_) return;
    {
      std::lock_guard lock(streams_mutex_);
      stopping_ = true;
      for (Stream& s : streams_) {
        try {
          s.out.done();
        } catch (const std::exception&) {
        }
      }
      api_.streamsChanged(-static_cast<int>(streams_.size()));
      streams_.clear();
    }
    streams_wake_.notify_all();
    if (streamer_.joinable()) streamer_.join();
    // Stop accepting, give answers being written a moment, then stop the threads.
    std::promise<void> closed;
    restinio::asio_ns::post(io_, [&] {
      try {
        server_->close_sync();
      } catch (const std::exception& e) {
        log().warn("http: closing: {}", e.what());
      }
      closed.set_value();
    });
    closed.get_future().wait();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    io_.stop();
    for (std::thread& t : threads_) t.join();
    threads_.clear();
    server_.reset();
  }

 private:
  // An open text/event-stream: fed by feedStreams() until the client goes or the server stops.
  struct Stream {
    Principal who;
    std::uint64_t cursor = 0;
    restinio::response_builder_t<restinio::chunked_output_t> out;
    std::shared_ptr<std::atomic<bool>> broken = std::make_shared<std::atomic<bool>>(false);
    std::chrono::steady_clock::time_point last_write = std::chrono::steady_clock::now();
  };

  restinio::request_handling_status_t startStream(const restinio::request_handle_t& req,
                                                  const HttpRequest& request) {
    auto start = api_.startEventStream(request);
    if (auto* refused = std::get_if<HttpResponse>(&start)) return reply(req, std::move(*refused));
    auto& s = std::get<Api::StreamStart>(start);
    if (auto refused = overStreamLimits(s.who)) return reply(req, std::move(*refused));
    auto out = req->create_response<restinio::chunked_output_t>();
    out.append_header(restinio::http_field::content_type, "text/event-stream");
    out.append_header(restinio::http_field::cache_control, "no-cache");
    out.append_header(restinio::http_field::server, "lightpath");
    out.append_chunk(": connected\n\n");
    out.flush();
    std::lock_guard lock(streams_mutex_);
    if (stopping_) return out.done();
    streams_.push_back(Stream{std::move(s.who), s.after, std::move(out)});
    api_.streamsChanged(+1);
    streams_wake_.notify_all();
    return restinio::request_accepted();
  }

  // Streams are long-lived connections: a key, and a tenant, may hold only so many.
  std::optional<HttpResponse> overStreamLimits(const Principal& who) {
    std::lock_guard lock(streams_mutex_);
    std::size_t by_key = 0, by_tenant = 0;
    for (const Stream& s : streams_) {
      if (s.broken->load()) continue;
      by_key += s.who.key_id == who.key_id;
      by_tenant += !who.isOperator() && s.who.tenant == who.tenant;
    }
    if (by_key >= options_.max_streams_per_key) {
      return problem(429, "too-many-streams",
                     fmt::format("this key has {} event streams open; at most {}", by_key,
                                 options_.max_streams_per_key));
    }
    if (by_tenant >= options_.max_streams_per_tenant) {
      return problem(429, "too-many-streams",
                     fmt::format("this tenant has {} event streams open; at most {}", by_tenant,
                                 options_.max_streams_per_tenant));
    }
    return std::nullopt;
  }

  // One reader of the event log for every open stream: each gets the frames of its tenant,
  // and a comment now and then so proxies and clients know it is alive.
  void feedStreams() {
    std::unique_lock lock(streams_mutex_);
    while (!stopping_) {
      streams_wake_.wait_for(lock, std::chrono::milliseconds(200));
      if (stopping_) return;
      if (const auto revocations = api_.keyRevocations(); revocations != revocations_seen_) {
        revocations_seen_ = revocations;
        for (Stream& s : streams_) {
          if (s.broken->load() || api_.mayStillFollow(s.who)) continue;
          // A revoked key follows no more: say so and end the response.
          s.out.append_chunk("event: revoked\ndata: the API key was revoked\n\n");
          s.out.done();
          s.broken->store(true);
        }
      }
      const auto closed = streams_.remove_if([](const Stream& s) { return s.broken->load(); });
      if (closed > 0) api_.streamsChanged(-static_cast<int>(closed));
      if (streams_.empty()) continue;
      std::uint64_t from = streams_.front().cursor;
      for (const Stream& s : streams_) from = std::min(from, s.cursor);
      lock.unlock();
      auto frames = api_.eventFrames(from, 1000);
      lock.lock();
      if (!frames) {
        log().warn("event stream: {}", frames.error().toString());
        continue;
      }
      const auto now = std::chrono::steady_clock::now();
      for (Stream& s : streams_) {
        bool wrote = false;
        for (const Api::EventFrame& f : *frames) {
          if (f.cursor <= s.cursor) continue;
          const bool operator_view = s.who.role == Role::Operator;
          if (operator_view || f.tenant == s.who.tenant) {
            s.out.append_chunk(operator_view ? f.operator_text : f.text);
            wrote = true;
          }
        }
        if (!frames->empty()) s.cursor = std::max(s.cursor, frames->back().cursor);
        // The server closes a response that sends nothing for handle_timeout: speak before.
        const auto quiet = std::min<std::chrono::steady_clock::duration>(
            std::chrono::seconds(15), options_.handle_timeout / 2);
        if (!wrote && now - s.last_write > quiet) {
          s.out.append_chunk(": keep-alive\n\n");
          wrote = true;
        }
        if (!wrote) continue;
        s.last_write = now;
        s.out.flush([broken = s.broken](const restinio::asio_ns::error_code& ec) {
          if (ec) broken->store(true);
        });
      }
    }
  }

  restinio::request_handling_status_t reply(const restinio::request_handle_t& req,
                                            HttpResponse response) {
    auto out = req->create_response(restinio::http_status_line_t{
        restinio::http_status_code_t{static_cast<std::uint16_t>(response.status)},
        std::string(reasonPhrase(response.status))});
    for (auto& [name, value] : response.headers) out.append_header(name, std::move(value));
    out.append_header(restinio::http_field::server, "lightpath");
    out.set_body(std::move(response.body));
    return out.done();
  }

  restinio::request_handling_status_t serve(const restinio::request_handle_t& req) {
    std::string error;
    HttpRequest request = toRequest(req, error);
    if (error.empty() && request.method == "GET" && request.path == "/v1/events/stream") {
      try {
        return startStream(req, request);
      } catch (const std::exception& e) {
        log().error("event stream: {}", e.what());
        return reply(req, problem(500, "internal", "an internal error; it has been logged"));
      }
    }
    HttpResponse response;
    try {
      const auto mount =
          std::find_if(options_.mounts.begin(), options_.mounts.end(),
                       [&](const auto& m) { return request.path.rfind(m.first, 0) == 0; });
      response = !error.empty()                   ? problem(400, "invalid-argument", error)
                 : mount != options_.mounts.end() ? mount->second(request)
                                                  : api_.handle(request);
    } catch (const std::exception& e) {
      // Our code does not throw; a library that did must not take the connection down.
      log().error("{} {}: {}", request.method, request.path.substr(0, 200), e.what());
      response = problem(500, "internal", "an internal error; it has been logged");
    }
    return reply(req, std::move(response));
  }

  Api& api_;
  HttpServerOptions options_;
  restinio::asio_ns::io_context io_;
  std::unique_ptr<restinio::http_server_t<Traits>> server_;
  std::vector<std::thread> threads_;
  std::uint16_t port_ = 0;
  std::mutex streams_mutex_;
  std::condition_variable streams_wake_;
  std::list<Stream> streams_;  // a list: response builders cannot be assigned
  bool stopping_ = false;
  std::uint64_t revocations_seen_ = 0;  // Api::keyRevocations() when streams were last checked
  std::thread streamer_;
};

template <typename Traits>
Result<std::unique_ptr<HttpServer>> startWith(Api& api, HttpServerOptions options) {
  auto server = std::make_unique<RestinioServer<Traits>>(api, std::move(options));
  LP_RETURN_IF_ERROR(server->open());
  return std::unique_ptr<HttpServer>(std::move(server));
}

}  // namespace

Result<std::unique_ptr<HttpServer>> HttpServer::start(Api& api, HttpServerOptions options) {
  if (options.tls_certificate_file.empty() != options.tls_key_file.empty()) {
    return fail(invalidArgument("tls: give both a certificate and a key, or neither"));
  }
  if (!options.tls_certificate_file.empty()) return startWith<TlsTraits>(api, std::move(options));
  return startWith<PlainTraits>(api, std::move(options));
}

}  // namespace lightpath
