// Batches of 500 per transaction: a large backlog never holds the writer long.
#include "lightpath/tenancy/retention.h"

#include <nlohmann/json.hpp>

#include "lightpath/service/connection_json.h"

namespace lightpath {
namespace {
constexpr std::size_t kBatch = 500;
}  // namespace

Result<std::size_t> expireDocuments(Store& store, const std::string& kind, TimePoint before) {
  std::size_t expired = 0;
  for (bool more = true; more;) {
    more = false;
    LP_RETURN_IF_ERROR(store.transact([&](StoreTransaction& tx) -> Status {
      LP_ASSIGN_OR_RETURN(auto oldest, tx.documents({.kind = kind, .limit = kBatch}, nullptr));
      for (const DocumentRecord& d : oldest) {
        const nlohmann::json body = nlohmann::json::parse(d.body, nullptr, false);
        auto at = parseTime(body.is_object() ? body.value("at", "") : "");
        if (at && *at >= before) return Status::ok();
        LP_RETURN_IF_ERROR(tx.deleteDocument(kind, d.id));
        ++expired;
      }
      more = oldest.size() == kBatch;
      return Status::ok();
    }));
  }
  return expired;
}

Result<Pruned> pruneOldRecords(Store& store, TimePoint now, const Retention& retention) {
  Pruned pruned;
  const std::int64_t events_before = std::chrono::duration_cast<std::chrono::microseconds>(
                                         (now - retention.events).time_since_epoch())
                                         .count();
  for (std::size_t deleted = kBatch; deleted == kBatch;) {
    LP_RETURN_IF_ERROR(store.transact([&](StoreTransaction& tx) -> Status {
      LP_ASSIGN_OR_RETURN(deleted, tx.deleteEventsBefore(events_before, kBatch));
      return Status::ok();
    }));
    pruned.events += deleted;
  }
  LP_ASSIGN_OR_RETURN(pruned.orders, expireDocuments(store, "order", now - retention.orders));
  LP_ASSIGN_OR_RETURN(pruned.audit, expireDocuments(store, "audit", now - retention.audit));
  return pruned;
}

}  // namespace lightpath
