// ES256 with OpenSSL 3: EVP_EC_gen keys, DER signatures turned into JOSE's 64-byte r||s.
#include "lightpath/tenancy/access_tokens.h"

#include <fmt/format.h>
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <algorithm>
#include <vector>

#include "lightpath/base/crypto.h"
#include "lightpath/base/log.h"
#include "lightpath/service/connection_json.h"

namespace lightpath {

using nlohmann::json;

struct AccessTokens::Key {
  std::string kid;
  TimePoint created_at;
  std::string x, y;  // the public point, base64url
  std::shared_ptr<EVP_PKEY> pkey;
};

namespace {

constexpr std::string_view kAudience = "lightpath-api";
constexpr std::size_t kCoordinate = 32;  // P-256

std::shared_ptr<EVP_PKEY> owned(EVP_PKEY* k) { return {k, EVP_PKEY_free}; }

std::string privatePem(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<std::size_t>(n));
  BIO_free(bio);
  return pem;
}

std::shared_ptr<EVP_PKEY> fromPem(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  return key ? owned(key) : nullptr;
}

std::string coordinate(EVP_PKEY* key, const char* name) {
  BIGNUM* bn = nullptr;
  std::string out(kCoordinate, '\0');
  if (EVP_PKEY_get_bn_param(key, name, &bn) != 1) return "";
  BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), kCoordinate);
  BN_free(bn);
  return base64UrlEncode(out);
}

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// ECDSA P-256 over SHA-256, as JOSE wants it: r and s, 32 bytes each.
std::string sign(EVP_PKEY* key, std::string_view data) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  std::size_t length = 0;
  std::string der;
  if (EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
      EVP_DigestSign(ctx, nullptr, &length, bytes(data), data.size()) == 1) {
    der.resize(length);
    if (EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(der.data()), &length, bytes(data),
                       data.size()) != 1)
      length = 0;
    der.resize(length);
  }
  EVP_MD_CTX_free(ctx);
  const unsigned char* p = bytes(der);
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
  if (!sig) return "";
  std::string raw(2 * kCoordinate, '\0');
  auto* out = reinterpret_cast<unsigned char*>(raw.data());
  BN_bn2binpad(ECDSA_SIG_get0_r(sig), out, kCoordinate);
  BN_bn2binpad(ECDSA_SIG_get0_s(sig), out + kCoordinate, kCoordinate);
  ECDSA_SIG_free(sig);
  return raw;
}

bool verifySignature(EVP_PKEY* key, std::string_view data, std::string_view raw) {
  if (raw.size() != 2 * kCoordinate) return false;
  ECDSA_SIG* sig = ECDSA_SIG_new();
  ECDSA_SIG_set0(sig, BN_bin2bn(bytes(raw), kCoordinate, nullptr),
                 BN_bin2bn(bytes(raw) + kCoordinate, kCoordinate, nullptr));
  unsigned char* der = nullptr;
  const int length = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok =
      length > 0 && EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
      EVP_DigestVerify(ctx, der, static_cast<std::size_t>(length), bytes(data), data.size()) == 1;
  EVP_MD_CTX_free(ctx);
  OPENSSL_free(der);
  return ok;
}

std::int64_t unixSeconds(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

AccessTokens::AccessTokens(Store& store, const Clock& clock, const Sealer* sealer,
                           AccessTokenOptions options)
    : store_(store), clock_(clock), sealer_(sealer), options_(std::move(options)) {}

AccessTokens::~AccessTokens() = default;

Result<std::shared_ptr<const AccessTokens::Key>> AccessTokens::makeKey(TimePoint now) {
  auto pkey = owned(EVP_EC_gen("P-256"));
  if (!pkey) return fail(internalError("cannot make a signing key"));
  auto key = std::make_shared<Key>(Key{secureId("sk"), now,
                                       coordinate(pkey.get(), OSSL_PKEY_PARAM_EC_PUB_X),
                                       coordinate(pkey.get(), OSSL_PKEY_PARAM_EC_PUB_Y), pkey});
  const std::string pem = privatePem(pkey.get());
  const json body{{"created_at", formatTime(now)},
                  {"private", sealer_ ? sealer_->seal(pem, "signing_key/" + key->kid) : pem}};
  LP_RETURN_IF_ERROR(store_.transact([&](StoreTransaction& tx) {
    return tx.putDocument({"signing_key", key->kid, "", body.dump()});
  }));
  return std::shared_ptr<const Key>(key);
}

Status AccessTokens::load() {
  const TimePoint now = clock_.now();
  std::vector<DocumentRecord> docs;
  LP_RETURN_IF_ERROR(store_.read([&](StoreTransaction& tx) -> Status {
    LP_ASSIGN_OR_RETURN(docs, tx.documents({.kind = "signing_key", .limit = 1000}, nullptr));
    return Status::ok();
  }));
  std::map<std::string, std::shared_ptr<const Key>> keys;
  std::shared_ptr<const Key> newest;
  // Published while a token it signed may still be valid.
  const TimePoint oldest_useful = now - options_.rotate_after - options_.lifetime;
  for (const DocumentRecord& d : docs) {
    const json body = json::parse(d.body, nullptr, false);
    auto created = parseTime(body.is_object() ? body.value("created_at", "") : "");
    if (!created) return internalError(fmt::format("signing key {}: unreadable record", d.id));
    if (*created < oldest_useful) continue;
    std::string pem = body.value("private", "");
    if (Sealer::isSealed(pem)) {
      // Sealed under another master key: its tokens cannot be checked here; a new key signs.
      auto opened = sealer_ ? sealer_->open(pem, "signing_key/" + d.id)
                            : Result<std::string>(fail(failedPrecondition("no master key")));
      if (!opened) {
        log().warn("signing key {}: {}; not used", d.id, opened.error().message());
        continue;
      }
      pem = std::move(*opened);
    }
    auto pkey = fromPem(pem);
    if (!pkey) return internalError(fmt::format("signing key {}: not a private key", d.id));
    auto key = std::make_shared<const Key>(
        Key{d.id, *created, coordinate(pkey.get(), OSSL_PKEY_PARAM_EC_PUB_X),
            coordinate(pkey.get(), OSSL_PKEY_PARAM_EC_PUB_Y), pkey});
    if (!newest || key->created_at > newest->created_at) newest = key;
    keys[d.id] = std::move(key);
  }
  if (!newest || newest->created_at < now - options_.rotate_after) {
    LP_ASSIGN_OR_RETURN(newest, makeKey(now));
    keys[newest->kid] = newest;
  }
  std::unique_lock lock(mutex_);
  keys_ = std::move(keys);
  newest_ = std::move(newest);
  return Status::ok();
}

Result<AccessTokens::Issued> AccessTokens::issue(const Principal& who) const {
  std::shared_ptr<const Key> key;
  {
    std::shared_lock lock(mutex_);
    key = newest_;
  }
  if (!key) return fail(unavailable("no signing key loaded"));
  const std::int64_t now = unixSeconds(clock_.now());
  const json header{{"alg", "ES256"}, {"typ", "at+jwt"}, {"kid", key->kid}};
  json claims{{"iss", options_.issuer},
              {"sub", who.key_id},
              {"client_id", who.key_id},
              {"aud", kAudience},
              {"iat", now},
              {"exp", now + options_.lifetime.count()},
              {"jti", randomHex(16)},
              {"scope", toString(who.role)}};
  if (!who.tenant.empty()) claims["tenant"] = who.tenant;
  const std::string signing_input =
      base64UrlEncode(header.dump()) + "." + base64UrlEncode(claims.dump());
  const std::string signature = sign(key->pkey.get(), signing_input);
  if (signature.empty()) return fail(internalError("cannot sign the token"));
  return Issued{signing_input + "." + base64UrlEncode(signature), options_.lifetime};
}

Result<Principal> AccessTokens::verify(std::string_view token) const {
  // A client sends its token many times: the signature is checked once (an ES256 verification
  // costs ~4 times a whole small request), the expiry every time.
  const std::int64_t now = unixSeconds(clock_.now());
  {
    std::lock_guard lock(verified_mutex_);
    if (auto it = verified_.find(std::string(token)); it != verified_.end()) {
      if (it->second.expires > now) return it->second.who;
      verified_.erase(it);
      return fail(unauthenticated("expired"));
    }
  }
  LP_ASSIGN_OR_RETURN(Verified checked, check(token));
  if (checked.expires <= now) return fail(unauthenticated("expired"));
  std::lock_guard lock(verified_mutex_);
  if (verified_.size() >= 10'000) verified_.clear();  // bounded, whoever sends tokens
  verified_.emplace(std::string(token), checked);
  return checked.who;
}

Result<AccessTokens::Verified> AccessTokens::check(std::string_view token) const {
  const auto first = token.find('.');
  const auto second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos)
    return fail(unauthenticated("not a JWT"));
  const auto header_text = base64UrlDecode(token.substr(0, first));
  const auto claims_text = base64UrlDecode(token.substr(first + 1, second - first - 1));
  const auto signature = base64UrlDecode(token.substr(second + 1));
  if (!header_text || !claims_text || !signature) return fail(unauthenticated("not a JWT"));
  const json header = json::parse(*header_text, nullptr, false);
  const json claims = json::parse(*claims_text, nullptr, false);
  if (!header.is_object() || !claims.is_object()) return fail(unauthenticated("not a JWT"));
  if (header.value("alg", "") != "ES256") return fail(unauthenticated("not signed ES256"));
  std::shared_ptr<const Key> key;
  {
    std::shared_lock lock(mutex_);
    auto it = keys_.find(header.value("kid", ""));
    if (it != keys_.end()) key = it->second;
  }
  if (!key || !verifySignature(key->pkey.get(), token.substr(0, second), *signature))
    return fail(unauthenticated("not signed by this service"));
  const auto number = [&](const char* name) {
    return claims.contains(name) && claims.at(name).is_number_integer()
               ? claims.at(name).get<std::int64_t>()
               : 0;
  };
  if (claims.value("iss", "") != options_.issuer || claims.value("aud", "") != kAudience)
    return fail(unauthenticated("issued for another service"));
  auto role = parseRole(claims.value("scope", ""));
  if (!role || claims.value("sub", "").empty()) return fail(unauthenticated("no subject or scope"));
  return Verified{Principal{claims.value("sub", ""), claims.value("tenant", ""), *role},
                  number("exp")};
}

json AccessTokens::jwks() const {
  json keys = json::array();
  std::shared_lock lock(mutex_);
  for (const auto& [kid, key] : keys_) {
    keys.push_back({{"kty", "EC"},
                    {"crv", "P-256"},
                    {"x", key->x},
                    {"y", key->y},
                    {"kid", kid},
                    {"use", "sig"},
                    {"alg", "ES256"}});
  }
  return json{{"keys", keys}};
}

}  // namespace lightpath
