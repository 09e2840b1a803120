// Webhook deliveries: every event of a subscription's tenant (and types) is POSTed to its URL,
// signed with HMAC-SHA256, in order, at least once. A delivery counts once the receiver answers
// 2xx; until then it is retried with backoff. The last delivered cursor is kept with the
// subscription in the store, so a restart goes on from there (an event may come twice, never
// not at all).
//
//   WebhookDispatcher dispatcher(store, clock, {});
//   dispatcher.start();  ...  dispatcher.stop();
//
// Receivers check `Lightpath-Signature: t=<unix seconds>,v1=<hex>` where hex is
// HMAC-SHA256(secret, "<t>.<body>"), and use `Lightpath-Event-Id` (the event cursor) to drop a
// repeat. Thread-safe: start/stop from one thread; deliveries run on the dispatcher's own
// threads, each subscription always on the same one (so its events stay in order).
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "lightpath/base/clock.h"
#include "lightpath/base/seal.h"
#include "lightpath/events/event_cursors.h"
#include "lightpath/store/store.h"

namespace lightpath {

struct WebhookOptions {
  // How often the end of the event log is read; a pass over the subscriptions runs only when
  // it moved, a subscription came, a retry is due, or every `sweep`: idle costs next to nothing.
  std::chrono::milliseconds poll{200};
  std::chrono::seconds sweep{10};
  std::chrono::milliseconds first_retry{1000};   // backoff after a failure, doubling ...
  std::chrono::milliseconds max_retry{300'000};  // ... up to this
  std::chrono::seconds timeout{5};               // per delivery
  std::size_t threads = 4;                       // subscriptions are spread over these, so a
                                                 // slow receiver holds up only its own share
  // Receivers at loopback, private, link-local (cloud metadata) or multicast addresses are
  // refused unless allowed: tenants must not reach the carrier's own network through webhooks.
  bool allow_private_addresses = false;
};

// "http://host:port/path" -> its parts; InvalidArgument names what is wrong.
struct WebhookUrl {
  std::string scheme_host_port;  // "https://example.com:8443"
  std::string host;              // "example.com" ("::1" for "[::1]")
  std::string path;              // "/hooks/lightpath"
};
Result<WebhookUrl> parseWebhookUrl(std::string_view url);

// Whether a numeric IPv4 / IPv6 address is anything but public unicast: loopback, private,
// link-local, shared (CGNAT), unspecified, documentation, reserved, multicast, or an IPv6 form
// carrying such an IPv4 address (mapped, NAT64, 6to4, Teredo). Older IPv4 spellings count
// (127.1, 2130706433, 0x7f000001). Not an address: false.
bool isPrivateAddress(std::string_view ip);
// isPrivateAddress, and `localhost` or any name under it (RFC 6761), in any case, with or
// without the final dot. Other names are checked when a delivery resolves them.
bool isPrivateHost(std::string_view host);
// The address `host` resolves to (the first), refused with the reason when it is private and
// `allow_private` is false. Deliveries connect to exactly this address (no second lookup).
Result<std::string> resolveReceiver(const std::string& host, bool allow_private);

// The signature header value for `body` sent at `unix_seconds`.
std::string webhookSignature(const std::string& secret, std::int64_t unix_seconds,
                             const std::string& body);
// The Standard Webhooks signature (standardwebhooks.com), which its verifier libraries accept:
// "v1," + base64 of HMAC-SHA256("<id>.<t>.<body>") keyed with the secret's key — the base64
// after "whsec_" decoded, or the secret's own bytes when that is not base64 (a secret the
// subscriber chose).
std::string standardWebhookSignature(const std::string& secret, const std::string& message_id,
                                     std::int64_t unix_seconds, const std::string& body);

// A subscription's signing secret as stored: sealed under the master key for that subscription
// alone (kept in clear only without a sealer, in tests of one library).
std::string sealWebhookSecret(const Sealer* sealer, const std::string& secret,
                              const std::string& webhook_id);
// The secret back; one stored in clear (by an older version) is returned as it is.
Result<std::string> openWebhookSecret(const Sealer* sealer, const std::string& stored,
                                      const std::string& webhook_id);
// Seals the secrets an older version kept in clear; how many it sealed.
Result<std::size_t> sealWebhookSecrets(Store& store, const Sealer& sealer);

class WebhookDispatcher {
 public:
  // `sealer` opens the subscriptions' secrets (nullptr: they are kept in clear).
  WebhookDispatcher(Store& store, const Clock& clock, WebhookOptions options,
                    const Sealer* sealer = nullptr);
  ~WebhookDispatcher();
  void start();
  // Finishes the delivery in flight, then stops.
  void stop();
  // Look now (a subscription or an event came); tests and the API call it.
  void wake();
  // Deliveries so far, for /metrics.
  std::uint64_t delivered() const { return delivered_.load(); }
  std::uint64_t failedAttempts() const { return failed_.load(); }
  // Passes over the subscriptions so far (each thread counts its own), for /metrics.
  std::uint64_t passes() const { return passes_.load(); }
  bool allowsPrivateAddresses() const { return options_.allow_private_addresses; }
  // Which of the threads delivers for subscription `id`.
  std::size_t shardOf(const std::string& id) const {
    return std::hash<std::string>{}(id) % std::max<std::size_t>(1, options_.threads);
  }

 private:
  struct Backoff {
    std::uint64_t scanned = 0;  // events up to here hold nothing for it (not persisted)
    int failures = 0;
    std::chrono::steady_clock::time_point next{};
  };
  // Whether a subscription of this thread waits for a retry that is due.
  static bool retryDue(const std::map<std::string, Backoff>& state);
  void run(std::size_t shard);
  // Delivers what is due for the subscriptions of `shard` (hash of the id modulo the threads).
  void deliverSome(std::size_t shard, std::map<std::string, Backoff>& state);

  Store& store_;
  const Clock& clock_;
  WebhookOptions options_;
  const Sealer* sealer_;
  const EventCursors cursors_;  // each subscription's tenant sees cursors of its own
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::uint64_t wakes_ = 0;  // every thread looks once per wake
  std::atomic<std::uint64_t> passes_{0};
  std::atomic<std::uint64_t> delivered_{0}, failed_{0};
  std::vector<std::thread> threads_;
};

}  // namespace lightpath
