// Key hashes in the store, principals in memory.
#include "lightpath/tenancy/api_keys.h"

#include <fmt/format.h>

#include <algorithm>

#include "lightpath/base/crypto.h"
#include "lightpath/base/ids.h"
#include "lightpath/service/connection_json.h"

namespace lightpath {
namespace {

using nlohmann::json;

}  // namespace

ApiKeys::ApiKeys(Store& store, const Clock& clock, CredentialKind kind)
    : store_(store), clock_(clock), kind_(std::move(kind)) {}

Status ApiKeys::load() {
  std::unordered_map<std::string, Principal> loaded;
  LP_RETURN_IF_ERROR(store_.read([&](StoreTransaction& tx) -> Status {
    for (std::size_t offset = 0;; offset += 1000) {
      LP_ASSIGN_OR_RETURN(
          auto page,
          tx.documents({.kind = kind_.document, .offset = offset, .limit = 1000}, nullptr));
      for (const DocumentRecord& d : page) {
        const json body = json::parse(d.body, nullptr, false);
        if (body.is_discarded() || !body.contains("hash") || !body.contains("role")) {
          return internalError(fmt::format("{} {}: unreadable record", kind_.document, d.id));
        }
        auto role = parseRole(body.value("role", ""));
        if (!role) return role.error().withContext(kind_.document + " " + d.id);
        loaded[body.value("hash", "")] = Principal{d.id, d.tenant, *role};
      }
      if (page.size() < 1000) return Status::ok();
    }
  }));
  std::unique_lock lock(mutex_);
  by_hash_ = std::move(loaded);
  return Status::ok();
}

std::optional<Principal> ApiKeys::authenticate(std::string_view secret) const {
  if (secret.size() != kind_.secret_prefix.size() + 64 ||
      !secret.starts_with(kind_.secret_prefix)) {
    return std::nullopt;
  }
  const std::string hash = sha256Hex(secret);
  std::shared_lock lock(mutex_);
  auto it = by_hash_.find(hash);
  if (it == by_hash_.end()) return std::nullopt;
  return it->second;
}

Result<ApiKeys::Made> ApiKeys::make(StoreTransaction& tx, const std::string& tenant, Role role,
                                    const std::string& name, const std::string& actor) {
  const std::string id = secureId(kind_.id_prefix);
  Made made{id, kind_.secret_prefix + randomHex(32)};  // 256 bits
  const json body{{"hash", sha256Hex(made.secret)},
                  {"role", toString(role)},
                  {"name", name},
                  {"created_at", formatTime(clock_.now())},
                  {"created_by", actor}};
  LP_RETURN_IF_ERROR(tx.putDocument(
      {kind_.document, id, tenant, body.dump(-1, ' ', false, json::error_handler_t::replace)}));
  return made;
}

void ApiKeys::remember(std::string_view secret, Principal who) {
  std::unique_lock lock(mutex_);
  by_hash_[sha256Hex(secret)] = std::move(who);
}

void ApiKeys::forget(const std::string& hash) {
  std::unique_lock lock(mutex_);
  if (by_hash_.erase(hash) > 0) ++revocations_;
}

bool ApiKeys::isLive(const std::string& key_id) const {
  std::shared_lock lock(mutex_);
  return std::any_of(by_hash_.begin(), by_hash_.end(),
                     [&](const auto& entry) { return entry.second.key_id == key_id; });
}

std::size_t ApiKeys::operatorKeys() const {
  std::shared_lock lock(mutex_);
  return static_cast<std::size_t>(
      std::count_if(by_hash_.begin(), by_hash_.end(),
                    [](const auto& entry) { return entry.second.isOperator(); }));
}

json ApiKeys::shown(const DocumentRecord& key) {
  json body = json::parse(key.body, nullptr, false);
  if (body.is_discarded()) body = json::object();
  body.erase("hash");  // never shown
  body["id"] = key.id;
  body["tenant"] = key.tenant;
  if (key.kind == kOAuthClients.document) body["client_id"] = key.id;
  return body;
}

}  // namespace lightpath
