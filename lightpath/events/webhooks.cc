// One thread; each subscription's events in cursor order. A failing receiver only delays its
// own subscription (its next attempt waits out the backoff).
#include "lightpath/events/webhooks.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <httplib.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <nlohmann/json.hpp>
#include <set>

#include "lightpath/base/crypto.h"
#include "lightpath/base/log.h"
#include "lightpath/events/event_json.h"
#include "lightpath/service/connection_json.h"

namespace lightpath {

using nlohmann::json;

Result<WebhookUrl> parseWebhookUrl(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos ||
      (url.substr(0, scheme_end) != "http" && url.substr(0, scheme_end) != "https")) {
    return fail(invalidArgument("url: an http:// or https:// URL"));
  }
  if (url.size() > 2000) return fail(invalidArgument("url: at most 2000 characters"));
  const auto host_start = scheme_end + 3;
  const auto path_start = url.find('/', host_start);
  const std::string_view host =
      url.substr(host_start, path_start == std::string_view::npos ? std::string_view::npos
                                                                  : path_start - host_start);
  if (host.empty() || host.find_first_of(" @\t\r\n") != std::string_view::npos) {
    return fail(invalidArgument("url: no host (or one with spaces or credentials)"));
  }
  std::string bare(host);  // without the port, and without the brackets of an IPv6 literal
  if (bare.front() == '[') {
    const auto close = bare.find(']');
    if (close == std::string::npos)
      return fail(invalidArgument("url: an IPv6 address without its ']'"));
    bare = bare.substr(1, close - 1);
  } else if (const auto colon = bare.rfind(':'); colon != std::string::npos) {
    bare = bare.substr(0, colon);
  }
  if (bare.empty()) return fail(invalidArgument("url: no host"));
  WebhookUrl out{std::string(url.substr(0, host_start)) + std::string(host), bare,
                 path_start == std::string_view::npos ? "/" : std::string(url.substr(path_start))};
  if (out.path.find_first_of(" \t\r\n") != std::string::npos)
    return fail(invalidArgument("url: spaces in the path"));
  return out;
}

namespace {

// Not a public unicast IPv4 address: "this network", private, shared (CGNAT), loopback,
// link-local, IETF protocol assignments, documentation, 6to4 relay, benchmarking, multicast,
// reserved and broadcast (IANA special-purpose registry, RFC 6890).
bool isPrivateV4(std::uint32_t a) {
  auto in = [&](std::uint32_t net, int bits) { return (a >> (32 - bits)) == (net >> (32 - bits)); };
  return in(0x00000000, 8) || in(0x0A000000, 8) || in(0x64400000, 10) || in(0x7F000000, 8) ||
         in(0xA9FE0000, 16) || in(0xAC100000, 12) || in(0xC0000000, 24) || in(0xC0000200, 24) ||
         in(0xC0586300, 24) || in(0xC0A80000, 16) || in(0xC6120000, 15) || in(0xC6336400, 24) ||
         in(0xCB007100, 24) || in(0xE0000000, 4) || in(0xF0000000, 4);
}

std::uint32_t v4At(const unsigned char* b) {
  return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) |
         b[3];
}

// IPv6 that is not public unicast, or that carries an IPv4 address that is not (mapped,
// translated, compatible, NAT64, 6to4, Teredo): a receiver must not be reachable that way.
bool isPrivateV6(const unsigned char* b) {
  static const unsigned char kZero[16] = {};
  if (std::memcmp(b, kZero, 10) == 0 && b[10] == 0xff && b[11] == 0xff) {
    return isPrivateV4(v4At(b + 12));  // ::ffff:a.b.c.d, mapped
  }
  if (std::memcmp(b, kZero, 8) == 0 && b[8] == 0xff && b[9] == 0xff && b[10] == 0 && b[11] == 0) {
    return isPrivateV4(v4At(b + 12));  // ::ffff:0:a.b.c.d, translated
  }
  if (std::memcmp(b, kZero, 12) == 0) return true;  // ::, ::1 and the deprecated ::a.b.c.d
  const bool nat64 = b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b;
  if (nat64 && std::memcmp(b + 4, kZero, 8) == 0) return isPrivateV4(v4At(b + 12));
  if (nat64 && b[4] == 0x00 && b[5] == 0x01) return true;             // 64:ff9b:1::/48, local NAT64
  if (b[0] == 0x20 && b[1] == 0x02) return isPrivateV4(v4At(b + 2));  // 6to4
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00) {  // Teredo
    const unsigned char client[4] = {
        static_cast<unsigned char>(~b[12]), static_cast<unsigned char>(~b[13]),
        static_cast<unsigned char>(~b[14]), static_cast<unsigned char>(~b[15])};
    return isPrivateV4(v4At(b + 4)) || isPrivateV4(v4At(client));
  }
  const bool discard = b[0] == 0x01 && std::memcmp(b + 1, kZero, 7) == 0;  // 100::/64
  const bool documentation = b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8;
  return discard || documentation || (b[0] & 0xfe) == 0xfc /* fc00::/7 */ ||
         (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) /* fe80::/10 */ ||
         (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) /* fec0::/10 */ || b[0] == 0xff /* multicast */;
}

}  // namespace

bool isPrivateAddress(std::string_view ip) {
  const std::string text(ip);
  in_addr v4{};
  if (::inet_pton(AF_INET, text.c_str(), &v4) == 1) return isPrivateV4(ntohl(v4.s_addr));
  in6_addr v6{};
  if (::inet_pton(AF_INET6, text.c_str(), &v6) == 1) return isPrivateV6(v6.s6_addr);
  // The older IPv4 spellings resolvers still accept: 127.1, 2130706433, 0x7f000001, 0177.0.0.1.
  const bool numeric =
      !text.empty() && text.find_first_not_of("0123456789abcdefABCDEFxX.") == std::string::npos;
  if (numeric && ::inet_aton(text.c_str(), &v4) != 0) return isPrivateV4(ntohl(v4.s_addr));
  return false;
}

bool isPrivateHost(std::string_view host) {
  std::string name(host);
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!name.empty() && name.back() == '.') name.pop_back();
  // RFC 6761: localhost and every name under it are loopback, whatever a resolver says.
  if (name == "localhost" || name.ends_with(".localhost")) return true;
  return isPrivateAddress(name);
}

Result<std::string> resolveReceiver(const std::string& host, bool allow_private) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (const int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &found); rc != 0) {
    return fail(unavailable(fmt::format("cannot resolve {}: {}", host, ::gai_strerror(rc))));
  }
  std::string address;
  char text[INET6_ADDRSTRLEN] = {};
  for (addrinfo* a = found; a && address.empty(); a = a->ai_next) {
    const void* raw =
        a->ai_family == AF_INET
            ? static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(a->ai_addr)->sin_addr)
            : static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(a->ai_addr)->sin6_addr);
    if (::inet_ntop(a->ai_family, raw, text, sizeof(text))) address = text;
  }
  ::freeaddrinfo(found);
  if (address.empty()) return fail(unavailable(fmt::format("cannot resolve {}", host)));
  if (!allow_private && isPrivateAddress(address)) {
    return fail(failedPrecondition(
        fmt::format("{} is at {}, a private address: receivers must be public", host, address)));
  }
  return address;
}

std::string webhookSignature(const std::string& secret, std::int64_t unix_seconds,
                             const std::string& body) {
  return fmt::format("t={},v1={}", unix_seconds,
                     hmacSha256Hex(secret, fmt::format("{}.{}", unix_seconds, body)));
}

std::string standardWebhookSignature(const std::string& secret, const std::string& message_id,
                                     std::int64_t unix_seconds, const std::string& body) {
  const std::string_view encoded = std::string_view(secret).starts_with("whsec_")
                                       ? std::string_view(secret).substr(6)
                                       : std::string_view(secret);
  const std::string key = base64Decode(encoded).value_or(secret);
  return "v1," +
         base64Encode(hmacSha256(key, fmt::format("{}.{}.{}", message_id, unix_seconds, body)));
}

std::string sealWebhookSecret(const Sealer* sealer, const std::string& secret,
                              const std::string& webhook_id) {
  return sealer ? sealer->seal(secret, "webhook/" + webhook_id) : secret;
}

Result<std::string> openWebhookSecret(const Sealer* sealer, const std::string& stored,
                                      const std::string& webhook_id) {
  if (!Sealer::isSealed(stored)) return stored;
  if (!sealer) return fail(failedPrecondition("the secret is sealed and no master key is loaded"));
  return sealer->open(stored, "webhook/" + webhook_id);
}

Result<std::size_t> sealWebhookSecrets(Store& store, const Sealer& sealer) {
  std::size_t sealed = 0;
  LP_RETURN_IF_ERROR(store.transact([&](StoreTransaction& tx) -> Status {
    sealed = 0;
    LP_ASSIGN_OR_RETURN(auto docs, tx.documents({.kind = "webhook"}, nullptr));
    for (DocumentRecord& doc : docs) {
      json body = json::parse(doc.body, nullptr, false);
      if (body.is_discarded() || !body.contains("secret") || !body.at("secret").is_string())
        continue;
      const std::string secret = body.at("secret").get<std::string>();
      if (Sealer::isSealed(secret)) continue;
      body["secret"] = sealWebhookSecret(&sealer, secret, doc.id);
      doc.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
      LP_RETURN_IF_ERROR(tx.putDocument(doc));
      ++sealed;
    }
    return Status::ok();
  }));
  return sealed;
}

WebhookDispatcher::WebhookDispatcher(Store& store, const Clock& clock, WebhookOptions options,
                                     const Sealer* sealer)
    : store_(store),
      clock_(clock),
      options_(options),
      sealer_(sealer),
      cursors_(eventCursorsOf(sealer)) {}

WebhookDispatcher::~WebhookDispatcher() { stop(); }

void WebhookDispatcher::start() {
  if (!threads_.empty()) return;
  for (std::size_t shard = 0; shard < std::max<std::size_t>(1, options_.threads); ++shard) {
    threads_.emplace_back([this, shard] { run(shard); });
  }
}

void WebhookDispatcher::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& t : threads_) t.join();
  threads_.clear();
}

void WebhookDispatcher::wake() {
  {
    std::lock_guard lock(mutex_);
    ++wakes_;
  }
  wake_.notify_all();
}

bool WebhookDispatcher::retryDue(const std::map<std::string, Backoff>& state) {
  const auto now = std::chrono::steady_clock::now();
  return std::any_of(state.begin(), state.end(), [&](const auto& entry) {
    return entry.second.failures > 0 && now >= entry.second.next;
  });
}

void WebhookDispatcher::run(std::size_t shard) {
  std::map<std::string, Backoff> state;  // this thread's subscriptions
  std::unique_lock lock(mutex_);
  std::uint64_t seen_wakes = wakes_ - 1;  // a first pass at start
  std::uint64_t seen_cursor = 0;          // the event log's end at the last pass
  auto last_pass = std::chrono::steady_clock::now();
  while (!stopping_) {
    wake_.wait_for(lock, options_.poll, [&] { return stopping_ || wakes_ != seen_wakes; });
    if (stopping_) return;
    // A pass only when there is something to do: a subscription came, the event log grew (one
    // indexed read tells), a retry is due, or the periodic sweep. Idle, nothing is parsed or
    // resolved.
    bool due = wakes_ != seen_wakes;
    seen_wakes = wakes_;
    lock.unlock();
    std::uint64_t end = seen_cursor;
    (void)store_.read([&](StoreTransaction& tx) -> Status {
      LP_ASSIGN_OR_RETURN(end, tx.lastEventCursor());
      return Status::ok();
    });
    const auto now = std::chrono::steady_clock::now();
    due = due || end != seen_cursor || retryDue(state) || now - last_pass >= options_.sweep;
    lock.lock();
    if (!due) continue;
    seen_cursor = end;
    last_pass = now;
    lock.unlock();
    passes_.fetch_add(1);
    deliverSome(shard, state);
    lock.lock();
  }
}

void WebhookDispatcher::deliverSome(std::size_t shard, std::map<std::string, Backoff>& state) {
  // Instances sharing a store: one delivers, so each event goes out once (again only if the
  // deliverer stops between sending and recording it).
  if (!store_.leads()) return;
  std::vector<DocumentRecord> subscriptions;
  Status read = store_.read([&](StoreTransaction& tx) -> Status {
    // Page through them all: none is ever left out, however many there are.
    constexpr std::size_t kPage = 10'000;
    for (std::size_t offset = 0;; offset += kPage) {
      LP_ASSIGN_OR_RETURN(
          auto docs, tx.documents({.kind = "webhook", .offset = offset, .limit = kPage}, nullptr));
      const std::size_t got = docs.size();
      for (DocumentRecord& d : docs) {
        if (shardOf(d.id) == shard) subscriptions.push_back(std::move(d));
      }
      if (got < kPage) return Status::ok();
    }
  });
  if (!read.isOk()) {
    log().warn("webhooks: {}", read.toString());
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  std::map<std::string, Backoff> still;
  for (const DocumentRecord& doc : subscriptions) {
    Backoff& backoff = still[doc.id] = state[doc.id];
    if (now < backoff.next) continue;
    json sub = json::parse(doc.body, nullptr, false);
    if (sub.is_discarded()) continue;
    const std::uint64_t delivered = sub.value("delivered_cursor", std::uint64_t{0});
    const std::set<std::string> types = sub.value("events", std::set<std::string>{});
    auto url = parseWebhookUrl(sub.value("url", ""));
    if (!url) continue;
    std::vector<EventRecord> events;
    (void)store_.read([&](StoreTransaction& tx) -> Status {
      auto e = tx.eventsAfter(std::max(delivered, backoff.scanned), 200);
      if (e) events = std::move(*e);
      return Status::ok();
    });
    // Nothing of theirs: no lookup, no connection.
    const bool any = std::any_of(events.begin(), events.end(), [&](const EventRecord& e) {
      return (doc.tenant.empty() || e.tenant == doc.tenant) &&
             (types.empty() || types.contains(e.type));
    });
    if (!any) {
      if (!events.empty()) backoff.scanned = events.back().cursor;
      continue;
    }
    httplib::Client client(url->scheme_host_port);
    // Resolved once and pinned: the address checked is the address connected to.
    auto address = resolveReceiver(url->host, options_.allow_private_addresses);
    if (address) client.set_hostname_addr_map({{url->host, *address}});
    const Result<std::string> secret = openWebhookSecret(sealer_, sub.value("secret", ""), doc.id);
    client.set_connection_timeout(options_.timeout);
    client.set_read_timeout(options_.timeout);
    client.set_write_timeout(options_.timeout);
    for (const EventRecord& e : events) {
      {
        std::lock_guard lock(mutex_);
        if (stopping_) break;
      }
      const bool theirs = doc.tenant.empty() || e.tenant == doc.tenant;
      if (!theirs || (!types.empty() && !types.contains(e.type))) {
        backoff.scanned = e.cursor;
        continue;
      }
      const std::string viewer = doc.tenant.empty() ? std::string(kOperatorViewer) : doc.tenant;
      const json shown = eventJson(e, cursors_, viewer);
      const std::string body = shown.dump(-1, ' ', false, json::error_handler_t::replace);
      const std::string event_id = shown.at("cursor").get<std::string>();
      const std::int64_t at =
          std::chrono::duration_cast<std::chrono::seconds>(clock_.now().time_since_epoch()).count();
      // The same message id on every attempt: receivers drop repeats by it.
      const std::string message_id = fmt::format("msg_{}_{}", event_id, doc.id);
      const std::string key = secret.value_or("");
      httplib::Headers headers{
          {"webhook-id", message_id},
          {"webhook-timestamp", std::to_string(at)},
          {"webhook-signature", standardWebhookSignature(key, message_id, at, body)},
          {"Lightpath-Event-Id", event_id},
          {"Lightpath-Event-Type", e.type},
          {"Lightpath-Webhook-Id", doc.id},
          {"Lightpath-Signature", webhookSignature(key, at, body)},
          {"User-Agent", "lightpath-webhooks"}};
      // Never sent unsigned: a secret that does not open is the delivery's failure.
      auto response = address && secret ? client.Post(url->path, headers, body, "application/json")
                                        : httplib::Result(nullptr, httplib::Error::Connection);
      const bool ok = response && response->status >= 200 && response->status < 300;
      const std::string error = ok         ? ""
                                : !secret  ? "the signing secret: " + secret.error().message()
                                : !address ? address.error().message()
                                : response
                                    ? fmt::format("the receiver answered {}", response->status)
                                    : "cannot deliver: " + httplib::to_string(response.error());
      // Keep what happened with the subscription (if it still exists).
      Status saved = store_.transact([&](StoreTransaction& tx) -> Status {
        LP_ASSIGN_OR_RETURN(auto current, tx.document("webhook", doc.id));
        if (!current) return Status::ok();
        json now_body = json::parse((current)->body, nullptr, false);
        if (now_body.is_discarded()) return Status::ok();
        const std::string at_text = formatTime(clock_.now());
        now_body["last_attempt_at"] = at_text;
        if (ok) {
          now_body["delivered_cursor"] = e.cursor;
          now_body["last_success_at"] = at_text;
          now_body["failures"] = 0;
          now_body.erase("last_error");
        } else {
          now_body["failures"] = now_body.value("failures", 0) + 1;
          now_body["last_error"] = error;
        }
        DocumentRecord updated = *current;
        updated.body = now_body.dump(-1, ' ', false, json::error_handler_t::replace);
        return tx.putDocument(updated);
      });
      if (!saved.isOk()) log().warn("webhook {}: {}", doc.id, saved.toString());
      (ok ? delivered_ : failed_).fetch_add(1);
      if (!ok || !saved.isOk()) {
        backoff.failures += 1;
        auto wait = options_.first_retry * (1LL << std::min(backoff.failures - 1, 20));
        backoff.next = std::chrono::steady_clock::now() +
                       std::min<std::chrono::milliseconds>(wait, options_.max_retry);
        log().info("webhook {}: event {}: {}; next try in {} ms", doc.id, e.cursor, error,
                   std::chrono::duration_cast<std::chrono::milliseconds>(
                       backoff.next - std::chrono::steady_clock::now())
                       .count());
        break;
      }
      backoff.failures = 0;
      backoff.scanned = e.cursor;
    }
  }
  state = std::move(still);  // deleted subscriptions drop out
}

}  // namespace lightpath
