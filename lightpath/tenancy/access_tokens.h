// OAuth2 access tokens (client credentials, RFC 6749 4.4): JWTs (RFC 7519, profile RFC 9068)
// signed ES256. The signing keys live in the store, so every instance issues and checks the
// same tokens; their private halves are sealed under the master key. A new key is made when
// the newest is older than `rotate_after`; public halves stay published (JWKS) while a token
// they signed may still be valid.
//
//   AccessTokens tokens(store, clock, &sealer, {});
//   (void)tokens.load();                                  // at start, then hourly (rotation)
//   auto issued = tokens.issue({"cli_1", "acme", Role::Admin});
//   auto who = tokens.verify(issued->token);              // cli_1, acme, admin
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "lightpath/base/clock.h"
#include "lightpath/base/seal.h"
#include "lightpath/store/store.h"
#include "lightpath/tenancy/roles.h"

namespace lightpath {

struct AccessTokenOptions {
  std::chrono::seconds lifetime{3600};
  std::chrono::hours rotate_after{24 * 30};
  std::string issuer = "lightpath";
};

class AccessTokens {
 public:
  AccessTokens(Store& store, const Clock& clock, const Sealer* sealer, AccessTokenOptions options);
  ~AccessTokens();

  // Reads the signing keys, making one when there is none or the newest is due for rotation.
  Status load();

  struct Issued {
    std::string token;
    std::chrono::seconds expires_in{0};
  };
  // A token for `who` (key_id: the client's id) with the scope of its role.
  Result<Issued> issue(const Principal& who) const;
  // Who a token speaks for (key_id: the client's id): Unauthenticated with the reason when it is
  // malformed, signed by no key of ours, expired, or for another issuer or audience.
  Result<Principal> verify(std::string_view token) const;
  // The public keys, as /.well-known/jwks.json serves them (RFC 7517).
  nlohmann::json jwks() const;
  const AccessTokenOptions& options() const { return options_; }

 private:
  struct Key;
  struct Verified {
    Principal who;
    std::int64_t expires = 0;  // unix seconds
  };
  Result<std::shared_ptr<const Key>> makeKey(TimePoint now);
  // The signature and claims of a token, expiry aside.
  Result<Verified> check(std::string_view token) const;

  Store& store_;
  const Clock& clock_;
  const Sealer* sealer_;
  AccessTokenOptions options_;
  mutable std::shared_mutex mutex_;
  std::map<std::string, std::shared_ptr<const Key>> keys_;  // by kid
  std::shared_ptr<const Key> newest_;
  mutable std::mutex verified_mutex_;
  mutable std::unordered_map<std::string, Verified> verified_;  // tokens whose signature held
};

}  // namespace lightpath
