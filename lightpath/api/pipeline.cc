// The chain every request goes through, in order: request id -> route match -> admission (key
// and role, as the route declares) -> rate limit -> body checks -> Idempotency-Key replay ->
// the handler -> the audit record -> metrics and the log line. Handlers return Result; one
// mapping (problemOf) turns a Status into a problem document.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "lightpath/api/internal/api_impl.h"
#include "lightpath/base/crypto.h"
#include "lightpath/base/log.h"
#include "lightpath/tenancy/audit.h"
#include "lightpath/tenancy/idempotency.h"

namespace lightpath {

std::vector<std::string_view> pathSegments(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t at = 0;
  while (at < path.size()) {
    if (path[at] == '/') {
      ++at;
      continue;
    }
    const std::size_t end = std::min(path.find('/', at), path.size());
    out.push_back(path.substr(at, end - at));
    at = end;
  }
  return out;
}

namespace {

bool isMutation(const std::string& method) {
  return method == "POST" || method == "PATCH" || method == "PUT" || method == "DELETE";
}

HttpResponse unauthenticatedReply() {
  HttpResponse denied =
      problemOf(unauthenticated("give a valid API key (Authorization: Bearer lp_...) or OAuth "
                                "access token (POST /oauth/token)"));
  denied.headers.emplace_back("WWW-Authenticate", "Bearer");
  return denied;
}

}  // namespace

std::optional<Principal> Api::Impl::authenticate(const HttpRequest& request) const {
  const std::string* header = request.header("authorization");
  // The scheme's name is case-insensitive (RFC 9110 11.1).
  if (!header || header->size() < 7 || asciiLower(header->substr(0, 7)) != "bearer ") {
    return std::nullopt;
  }
  const std::string_view token = std::string_view(*header).substr(7);
  if (token.starts_with(keys.kind().secret_prefix)) return keys.authenticate(token);
  // An OAuth access token, good while its client is: revoking the client ends its tokens.
  auto who = tokens.verify(token);
  if (!who || !clients.isLive(who->key_id)) return std::nullopt;
  return *who;
}

const Api::Impl::Route* Api::Impl::match(const HttpRequest& request, Context& ctx,
                                         std::size_t& index,
                                         std::optional<HttpResponse>& answer) const {
  const std::vector<std::string_view> segments = pathSegments(request.path);
  bool path_known = false;
  std::string allowed;  // the methods this path takes, for a 405's Allow header (RFC 9110)
  for (std::size_t i = 0; i < routes.size(); ++i) {
    const Route& r = routes[i];
    if (r.segments.size() != segments.size()) continue;
    std::vector<std::string> params;
    bool same = true;
    for (std::size_t s = 0; s < segments.size() && same; ++s) {
      if (r.segments[s] == "{id}") {
        params.emplace_back(segments[s]);
      } else {
        same = r.segments[s] == segments[s];
      }
    }
    if (!same) continue;
    path_known = true;
    if (r.method != request.method) {
      if (allowed.find(r.method) == std::string::npos)
        allowed += (allowed.empty() ? "" : ", ") + r.method;
      continue;
    }
    index = i;
    ctx.params = std::move(params);
    return &r;
  }
  if (path_known) {
    answer = problem(405, "method-not-allowed",
                     fmt::format("{} is not allowed here; {} is",
                                 printable(request.method.substr(0, 10)), allowed));
    answer->headers.emplace_back("Allow", allowed);
  } else if (deps.portal && request.method == "GET" && !request.path.starts_with("/v1/")) {
    if (auto file = deps.portal->get(request.path)) answer = std::move(*file);
  }
  if (!answer) answer = problemOf(notFound("no such resource"));
  return nullptr;
}

std::string addressOf(const std::string& remote) {
  if (remote.starts_with('[')) return remote.substr(1, remote.find(']') - 1);
  if (std::count(remote.begin(), remote.end(), ':') == 1) return remote.substr(0, remote.find(':'));
  return remote;
}

HttpResponse slowDown(double wait, const std::string& what) {
  HttpResponse slow = problem(429, "rate-limited", what);
  slow.headers.emplace_back("Retry-After",
                            std::to_string(std::max(1, static_cast<int>(std::ceil(wait)))));
  return slow;
}

void Api::Impl::noteFailedAuthentication(const Context& ctx) {
  const auto now = std::chrono::steady_clock::now();
  int count = 0;
  {
    std::lock_guard lock(failed_auths_mutex);
    if (failed_auths.size() > 100'000) failed_auths.clear();  // bounded, whoever is calling
    FailedAuths& seen = failed_auths[addressOf(ctx.request.remote)];
    if (now - seen.minute > std::chrono::minutes(1)) seen = {now, 0};
    count = ++seen.count;
  }
  if (count > kFailedAuthsPerMinute) return;
  const char* why =
      ctx.request.header("authorization") ? "unknown, revoked or malformed key" : "no key";
  log().warn(
      "authentication failed: {} {} from {} ({}): {}{}",
      printable(ctx.request.method.substr(0, 16)), printable(ctx.request.path.substr(0, 200)),
      printable(ctx.request.remote), ctx.request_id, why,
      count == kFailedAuthsPerMinute ? "; more from this address this minute go unrecorded" : "");
  const AuditFacts facts{.who = Principal{.key_id = "unauthenticated"},
                         .method = ctx.request.method,
                         .path = ctx.request.path,
                         .remote = ctx.request.remote,
                         .request_id = ctx.request_id,
                         .status = 401,
                         .subject = why,
                         .at = deps.clock->now()};
  const std::string id = newId("aud");
  Status saved = deps.store->transact(
      [&](StoreTransaction& tx) { return tx.putDocument(auditDocument(id, facts)); });
  if (!saved.isOk()) log().error("request {}: audit: {}", ctx.request_id, saved.toString());
}

std::optional<HttpResponse> Api::Impl::admit(const Route& route, Context& ctx) {
  if (route.access == Access::Public) return std::nullopt;
  auto who = authenticate(ctx.request);
  if (!who) {
    // Without a valid key a caller is known by its address alone: guessing keys is throttled.
    if (double wait =
            takeToken(BucketKind::Address, addressOf(ctx.request.remote),
                      limits.unauthenticated_per_second, 2 * limits.unauthenticated_per_second)) {
      return slowDown(wait, fmt::format("more than {:.0f} requests a second without a valid key "
                                        "from this address",
                                        limits.unauthenticated_per_second));
    }
    noteFailedAuthentication(ctx);
    return unauthenticatedReply();
  }
  ctx.who = std::move(*who);
  switch (route.access) {
    case Access::Public:
    case Access::AnyRole:
      return std::nullopt;
    case Access::TenantAdmin:
      if (ctx.who.role == Role::Viewer)
        return problemOf(permissionDenied("this key may only read (role viewer)"));
      return std::nullopt;
    case Access::Operator:
      if (ctx.isOperator()) return std::nullopt;
      if (!ctx.params.empty()) return problemOf(notFound("no such resource"));
      return problemOf(permissionDenied("operators only"));
  }
  return std::nullopt;
}

// Takes a token from the bucket `name` of `kind` (refilled at `rate` a second, up to `burst`);
// seconds to wait when it is empty, else 0.
double Api::Impl::takeToken(BucketKind kind, const std::string& name, double rate, double burst) {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(buckets_mutex);
  auto& of_kind = buckets[static_cast<std::size_t>(kind)];
  if (of_kind.size() > 100'000) of_kind.clear();  // bounded, whoever is calling
  auto [it, fresh] = of_kind.try_emplace(name, Bucket{burst, now});
  Bucket& b = it->second;
  if (!fresh) {
    const double elapsed = std::chrono::duration<double>(now - b.at).count();
    b.tokens = std::min(burst, b.tokens + elapsed * rate);
    b.at = now;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return 0;
  }
  return (1.0 - b.tokens) / rate;
}

std::optional<HttpResponse> Api::Impl::throttle(Context& ctx) {
  if (ctx.who.key_id.empty()) return std::nullopt;
  if (double wait =
          takeToken(BucketKind::Key, ctx.who.key_id, limits.requests_per_second, limits.burst)) {
    return slowDown(wait, fmt::format("more than {:.0f} requests per second with this key",
                                      limits.requests_per_second));
  }
  if (ctx.isOperator()) return std::nullopt;
  if (double wait = takeToken(BucketKind::Tenant, ctx.who.tenant, limits.tenant_requests_per_second,
                              2 * limits.tenant_requests_per_second)) {
    return slowDown(wait, fmt::format("more than {:.0f} requests per second from this tenant's "
                                      "keys together",
                                      limits.tenant_requests_per_second));
  }
  return std::nullopt;
}

std::optional<HttpResponse> Api::Impl::checkBody(const HttpRequest& request) const {
  if (!isMutation(request.method)) return std::nullopt;
  if (request.body.size() > limits.max_body_bytes) {
    return problem(413, "body-too-large",
                   fmt::format("the body is {} bytes; at most {}", request.body.size(),
                               limits.max_body_bytes));
  }
  const std::string* type = request.header("content-type");
  const std::string media = type ? mediaType(*type) : "";
  if (request.path == "/oauth/token") return std::nullopt;  // form-encoded (RFC 6749): its own
  if (!request.body.empty() && type && media != "application/json" &&
      media != "application/merge-patch+json") {
    return problem(415, "unsupported-media-type",
                   fmt::format("send application/json, not '{}'", type->substr(0, 60)));
  }
  return std::nullopt;
}

std::optional<HttpResponse> Api::Impl::checkQuery(const Route& route, const HttpRequest& request) {
  if (!route.query) return std::nullopt;
  for (const auto& [key, value] : request.query) {
    if (std::find(route.query->begin(), route.query->end(), key) != route.query->end()) continue;
    const std::string name = printable(key.substr(0, 40));
    return problem(
        400, "invalid-argument",
        route.query->empty()
            ? fmt::format("{}: unknown parameter (this takes none)", name)
            : fmt::format("{}: unknown parameter (known: {})", name, fmt::join(*route.query, ", ")),
        name);
  }
  return std::nullopt;
}

std::optional<HttpResponse> Api::Impl::replay(const Route& route, Context& ctx) {
  const std::string* key = route.idempotent ? ctx.request.header("idempotency-key") : nullptr;
  if (!key) return std::nullopt;
  if (key->empty() || key->size() > 255) {
    return problem(400, "invalid-argument", "Idempotency-Key: 1-255 characters", "Idempotency-Key");
  }
  ctx.idempotency_doc = idempotencyId(ctx.who.key_id, *key);
  ctx.request_hash =
      sha256Hex(ctx.request.method + " " + ctx.request.path + "\n" + ctx.request.body);
  std::optional<IdempotencyRecord> first;
  Status read = deps.store->read([&](StoreTransaction& tx) -> Status {
    LP_ASSIGN_OR_RETURN(first, findIdempotencyRecord(tx, ctx.idempotency_doc));
    return Status::ok();
  });
  if (!read.isOk()) return problemOf(read);
  if (!first) return std::nullopt;
  if (first->request_hash != ctx.request_hash) {
    return problem(409, "idempotency-key-reused",
                   "this Idempotency-Key was used with another request", "Idempotency-Key");
  }
  HttpResponse again;
  again.status = first->status;
  again.body = first->body;
  again.headers.emplace_back("Content-Type",
                             again.status >= 400 ? "application/problem+json" : "application/json");
  if (!first->location.empty()) again.headers.emplace_back("Location", first->location);
  again.headers.emplace_back("Idempotent-Replayed", "true");
  return again;
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

Status Api::Impl::record(StoreTransaction& tx, const Context& ctx, const HttpResponse& response) {
  const AuditFacts facts{.who = ctx.who,
                         .method = ctx.request.method,
                         .path = ctx.request.path,
                         .remote = ctx.request.remote,
                         .request_id = ctx.request_id,
                         .status = response.status,
                         .subject = ctx.subject,
                         .at = deps.clock->now()};
  const std::string audit_id = newId("aud");
  LP_RETURN_IF_ERROR(tx.putDocument(auditDocument(audit_id, facts)));
  // A connection's orders: what a tenant sees of the audit log.
  // (Created, accepted for termination, or changed; not a repeated delete of a terminated one.)
  const bool changed = response.status == 201 || response.status == 202 ||
                       (response.status == 200 && ctx.request.method == "PATCH");
  if (ctx.request.path.starts_with("/v1/connections") && !ctx.subject.empty() && changed) {
    const std::string_view type = ctx.request.method == "POST"    ? "create"
                                  : ctx.request.method == "PATCH" ? "modify"
                                                                  : "terminate";
    LP_RETURN_IF_ERROR(tx.putDocument(
        orderDocument(audit_id, facts, type, ctx.owner.empty() ? ctx.who.tenant : ctx.owner)));
  }
  if (!ctx.idempotency_doc.empty()) {
    const std::string* location = response.header("Location");
    LP_RETURN_IF_ERROR(tx.putDocument(idempotencyDocument(
        ctx.idempotency_doc, ctx.who.tenant,
        {ctx.request_hash, response.status, location ? *location : "", response.body},
        deps.clock->now())));
  }
  return Status::ok();
}

void Api::Impl::audit(const Route& route, Context& ctx, const HttpResponse& response) {
  if (!route.audited || ctx.recorded) return;  // a route that committed records them itself
  // Refusals the same request would get again are remembered; others (conflicts, outages) may
  // succeed on a retry.
  const bool remember = response.status < 300 || response.status == 400 || response.status == 404 ||
                        response.status == 422;
  if (!remember) ctx.idempotency_doc.clear();
  Status saved =
      deps.store->transact([&](StoreTransaction& tx) { return record(tx, ctx, response); });
  if (!saved.isOk()) log().error("request {}: audit: {}", ctx.request_id, saved.toString());
}

void Api::Impl::observe(std::size_t route_index, const Context& ctx, HttpResponse& response,
                        double seconds) {
  const HttpRequest& request = ctx.request;
  response.headers.emplace_back("X-Request-Id", ctx.request_id);
  metrics.recordRequest(route_index, response.status, seconds);
  if (response.status >= 500) {
    log().error("{} {} -> {} ({}): {}", printable(request.method.substr(0, 16)),
                printable(request.path.substr(0, 200)), response.status, ctx.request_id,
                response.body.substr(0, 300));
  } else if (isMutation(request.method) && !ctx.who.key_id.empty()) {
    // Changes are few and matter: one line each, with who and the request id.
    log().info("{} {} -> {} ({}, {}, {}, {:.3f} ms)", printable(request.method.substr(0, 16)),
               printable(request.path.substr(0, 200)), response.status, ctx.request_id,
               ctx.who.key_id, printable(request.remote), seconds * 1e3);
  } else if (log().should_log(spdlog::level::debug)) {  // reads are many: no work unless shown
    log().debug("{} {} -> {} ({}, {:.3f} ms)", printable(request.method.substr(0, 16)),
                printable(request.path.substr(0, 200)), response.status, ctx.request_id,
                seconds * 1e3);
  }
}

HttpResponse Api::Impl::handle(const HttpRequest& request) {
  const auto start = std::chrono::steady_clock::now();
  Context ctx{request, {}, {}, {}};
  // A caller's own request id is kept when it is a plain token (it goes into headers and logs).
  if (const std::string* given = request.header("x-request-id");
      given && !given->empty() && given->size() <= 64 &&
      given->find_first_not_of(
          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-") ==
          std::string::npos) {
    ctx.request_id = *given;
  } else {
    ctx.request_id =
        fmt::format("req_{:x}", request_counter.fetch_add(1, std::memory_order_relaxed) + 1);
  }
  std::size_t route_index = routes.size();  // "unmatched"
  HttpResponse response = [&]() -> HttpResponse {
    std::optional<HttpResponse> answer;
    const Route* route = match(request, ctx, route_index, answer);
    if (!route) return std::move(*answer);
    if ((answer = admit(*route, ctx))) return std::move(*answer);
    if ((answer = throttle(ctx))) return std::move(*answer);
    if ((answer = checkBody(request))) return std::move(*answer);
    if ((answer = checkQuery(*route, request))) return std::move(*answer);
    // The same Idempotency-Key is handled once at a time, so a retry waits for the first answer.
    std::unique_lock<std::mutex> one_at_a_time;
    if (const std::string* key = request.header("idempotency-key"); route->idempotent && key) {
      const std::string doc = idempotencyId(ctx.who.key_id, *key);
      one_at_a_time = std::unique_lock(
          idempotency_locks[std::hash<std::string>{}(doc) % idempotency_locks.size()]);
    }
    if ((answer = replay(*route, ctx))) return std::move(*answer);
    Result<HttpResponse> handled = (this->*(route->handler))(ctx);
    HttpResponse out = handled ? std::move(*handled) : problemOf(handled.error());
    audit(*route, ctx, out);
    return out;
  }();
  observe(route_index, ctx, response,
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return response;
}

}  // namespace lightpath
