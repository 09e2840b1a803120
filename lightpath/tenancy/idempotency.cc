// Idempotency records as documents.
#include "lightpath/tenancy/idempotency.h"

#include <nlohmann/json.hpp>

#include "lightpath/service/connection_json.h"

namespace lightpath {
namespace {

using nlohmann::json;

}  // namespace

std::string idempotencyId(const std::string& key_id, const std::string& idempotency_key) {
  return key_id + ":" + idempotency_key;
}

Result<std::optional<IdempotencyRecord>> findIdempotencyRecord(StoreTransaction& tx,
                                                               const std::string& id) {
  LP_ASSIGN_OR_RETURN(std::optional<DocumentRecord> doc, tx.document("idempotency", id));
  if (!doc) return std::optional<IdempotencyRecord>{};
  const json first = json::parse(doc->body, nullptr, false);
  if (first.is_discarded() || !first.is_object())
    return fail(internalError("an unreadable idempotency record"));
  return std::optional<IdempotencyRecord>(
      IdempotencyRecord{first.value("hash", ""), first.value("status", 200),
                        first.value("location", ""), first.value("body", "")});
}

DocumentRecord idempotencyDocument(const std::string& id, const std::string& tenant,
                                   const IdempotencyRecord& r, TimePoint at) {
  const json saved{{"hash", r.request_hash},
                   {"status", r.status},
                   {"location", r.location},
                   {"body", r.body},
                   {"at", formatTime(at)}};
  return {"idempotency", id, tenant, saved.dump(-1, ' ', false, json::error_handler_t::replace)};
}

Result<std::size_t> expireIdempotencyRecords(Store& store, TimePoint before) {
  // Oldest first (documents keep their insertion order), in batches, until one is recent.
  constexpr std::size_t kBatch = 500;
  std::size_t expired = 0;
  for (bool more = true; more;) {
    more = false;
    LP_RETURN_IF_ERROR(store.transact([&](StoreTransaction& tx) -> Status {
      LP_ASSIGN_OR_RETURN(auto oldest,
                          tx.documents({.kind = "idempotency", .limit = kBatch}, nullptr));
      for (const DocumentRecord& d : oldest) {
        const json body = json::parse(d.body, nullptr, false);
        auto at = parseTime(body.is_discarded() ? "" : body.value("at", ""));
        if (at && *at >= before) return Status::ok();
        LP_RETURN_IF_ERROR(tx.deleteDocument("idempotency", d.id));
        ++expired;
      }
      more = oldest.size() == kBatch;
      return Status::ok();
    }));
  }
  return expired;
}

}  // namespace lightpath
