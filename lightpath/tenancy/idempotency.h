// Idempotency-Key records: the first answer to a POST, kept under the caller's key id and the
// Idempotency-Key, so a retry (after a timeout, from any thread, after a restart) gets the same
// answer instead of doing it twice. Written in the same transaction as the change; forgotten
// after a day by the housekeeper.
//
//   const std::string id = idempotencyId(who.key_id, header);
//   auto first = findIdempotencyRecord(tx, id);       // none: a new request
//   tx.putDocument(idempotencyDocument(id, tenant, {hash, 201, "/v1/...", body}, now));
#pragma once

#include <optional>
#include <string>

#include "lightpath/base/clock.h"
#include "lightpath/store/store.h"

namespace lightpath {

struct IdempotencyRecord {
  std::string
      request_hash;  // of method, path and body: the same key with another request is refused
  int status = 0;
  std::string location;  // the Location header, if any
  std::string body;
};

std::string idempotencyId(const std::string& key_id, const std::string& idempotency_key);
// Internal for a record that cannot be read.
Result<std::optional<IdempotencyRecord>> findIdempotencyRecord(StoreTransaction& tx,
                                                               const std::string& id);
DocumentRecord idempotencyDocument(const std::string& id, const std::string& tenant,
                                   const IdempotencyRecord& r, TimePoint at);
// Forgets records made before `before`, oldest first in batches; returns how many.
Result<std::size_t> expireIdempotencyRecords(Store& store, TimePoint before);

}  // namespace lightpath
