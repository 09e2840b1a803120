// API keys: stored as SHA-256 hashes only (the secret is shown once, when made), cached in memory
// so a request is authenticated without touching the store.
//
//   ApiKeys keys(store, clock);
//   (void)keys.load();                                   // at start
//   auto made = keys.make(tx, "acme", Role::Admin, "ci", "key_op");   // inside a transaction
//   keys.remember(made->secret, {made->id, "acme", Role::Admin});     // once it is durable
//   std::optional<Principal> who = keys.authenticate("lp_...");
//
// Thread-safe: authenticate() runs concurrently with remember() / forget().
#pragma once

#include <atomic>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "lightpath/base/clock.h"
#include "lightpath/store/store.h"
#include "lightpath/tenancy/roles.h"

namespace lightpath {

// What the credentials are: API keys, or OAuth clients (whose secret only buys access tokens).
struct CredentialKind {
  std::string document = "api_key";  // the store's document kind
  std::string secret_prefix = "lp_";
  std::string id_prefix = "key";
};
inline const CredentialKind kOAuthClients{"oauth_client", "lpc_", "cli"};

class ApiKeys {
 public:
  ApiKeys(Store& store, const Clock& clock, CredentialKind kind = {});
  const CredentialKind& kind() const { return kind_; }

  // Reads every stored key into the cache; Internal for a record that cannot be read.
  Status load();
  // The caller of a secret (the kind's prefix + 64 hex), or none.
  std::optional<Principal> authenticate(std::string_view secret) const;

  struct Made {
    std::string id;
    std::string secret;  // shown once
  };
  // Stores a new key in `tx` (not cached: remember() once the transaction is durable).
  Result<Made> make(StoreTransaction& tx, const std::string& tenant, Role role,
                    const std::string& name, const std::string& actor);
  void remember(std::string_view secret, Principal who);
  void forget(const std::string& hash);
  std::size_t operatorKeys() const;
  // Whether the key of this id still authenticates (open event streams re-check on revocation).
  bool isLive(const std::string& key_id) const;
  // Counts revocations: a cheap way to learn that isLive() may have changed.
  std::uint64_t revocations() const { return revocations_.load(); }

  // The stored document as the API shows it: no hash.
  static nlohmann::json shown(const DocumentRecord& key);

 private:
  Store& store_;
  const Clock& clock_;
  CredentialKind kind_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, Principal> by_hash_;  // sha-256 of the secret -> who
  std::atomic<std::uint64_t> revocations_{0};
};

}  // namespace lightpath
