// How long records are kept: the event log, orders and audit entries grow with every change
// (tag edits included), so each is pruned after a retention period, oldest first, in batches.
//
//   auto pruned = pruneOldRecords(store, clock.now(), Retention{});   // hourly, by the leader
#pragma once

#include <chrono>

#include "lightpath/base/clock.h"
#include "lightpath/store/store.h"

namespace lightpath {

struct Retention {
  // Events feed streams and webhooks: a receiver away longer than this misses the oldest.
  std::chrono::hours events{24 * 90};
  // Orders and audit entries: what was asked and who did what, kept over a year for disputes
  // and audits.
  std::chrono::hours orders{24 * 730};
  std::chrono::hours audit{24 * 400};
};

struct Pruned {
  std::size_t events = 0, orders = 0, audit = 0;
};

Result<Pruned> pruneOldRecords(Store& store, TimePoint now, const Retention& retention);
// Deletes documents of `kind` whose "at" is before `before`, oldest first (documents keep their
// insertion order) until one is recent; how many.
Result<std::size_t> expireDocuments(Store& store, const std::string& kind, TimePoint before);

}  // namespace lightpath
