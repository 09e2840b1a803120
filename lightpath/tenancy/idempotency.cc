// Idempotency records as documents.
#include "lightpath/tenancy/idempotency.h"

#include <nlohmann/json.hpp>

#include "lightpath/service/connection_json.h"
#include "lightpath/tenancy/retention.h"

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
  return expireDocuments(store, "idempotency", before);
}

}  // namespace lightpath
