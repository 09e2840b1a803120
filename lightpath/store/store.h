// The persistence port: what Lightpath keeps durable, independent of the database. Adapters:
// sqlite/ (the embedded default) and postgres/ (several instances on one database). Every
// adapter must pass the conformance suite in testing/.
//
//   Status s = store.transact([&](StoreTransaction& tx) -> Status {
//     LP_RETURN_IF_ERROR(tx.putConnection(record, /*expected_version=*/previous));
//     return tx.appendEvent(event).status();   // both or neither, durable before returning
//   });
//
// Records carry their body as a JSON document plus the columns queries need, so adapters store
// what they are given without knowing the domain. Thread-safe: transactions may run from any
// thread; an adapter serialises or isolates them.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lightpath/base/status.h"

namespace lightpath {

struct ConnectionRecord {
  std::string id;
  std::string tenant;
  std::string state;
  std::uint64_t version = 0;
  std::string body;  // JSON
  bool operator==(const ConnectionRecord&) const = default;
};

struct HoldRecord {
  std::uint64_t id = 0;
  std::string owner;  // connection id
  std::string body;   // JSON: claims and window
  bool operator==(const HoldRecord&) const = default;
};

// A stored hold as a read passes it (StoreTransaction::eachHold).
struct HoldView {
  std::uint64_t id = 0;
  std::string_view owner;
  std::string_view body;
};

struct EventRecord {
  std::uint64_t cursor = 0;  // assigned by the store: strictly increasing
  std::string type;          // "connection.stateChanged", ...
  std::string subject;       // the id it is about
  std::string tenant;
  std::int64_t at_us = 0;  // UTC microseconds
  std::string body;        // JSON
  bool operator==(const EventRecord&) const = default;
};

struct ConnectionQuery {
  std::optional<std::string> tenant;
  std::optional<std::string> state;
  // Each of these must be among the connection's terms, which the store keeps indexed from the
  // body's "requested" object as it is written: "kind:<kind>", "end:<port>" (a_end and z_end),
  // "tag:<key>=<value>" (each of its tags). The list is then read from the first term's index.
  std::vector<std::string> terms;
  std::optional<std::string> after_id;   // keyset paging: ids greater than this
  std::optional<std::string> before_id;  // and less than this
  bool newest_first = false;             // by id, descending (time-sortable ids: by creation)
  std::size_t offset = 0;                // for pages people ask for
  std::size_t limit = 100;
};

// A hold written or deleted by another instance sharing the store, in commit order.
struct HoldChange {
  std::uint64_t cursor = 0;
  HoldRecord hold;  // for a deletion: id and owner, no body
  bool deleted = false;
};
// How an instance follows the others' holds.
struct HoldFollower {
  // Applies what it can of `changes` (in order); returns those it could not, in order: they
  // are handed again next time, before newer ones, and block the writes `blocks` says.
  std::function<std::vector<HoldChange>(const std::vector<HoldChange>&)> apply;
  // Whether `hold` may not be written while `pending` (changes not applied yet) are not: it
  // would share capacity with them.
  std::function<bool(const HoldRecord& hold, const std::vector<HoldChange>& pending)> blocks;
};

// The message prefix of the Aborted status a hold write gets when another instance took
// capacity meanwhile: plan again and retry.
inline constexpr std::string_view kCapacityRace = "capacity changed on another instance";

// A small document kept for the API and the operator: tenants, API keys, port assignments,
// idempotency records, webhooks, audit entries. `id` is unique within its `kind`; `seq` is
// assigned by the store on first write and orders documents by when they were created.
struct DocumentRecord {
  std::string kind;
  std::string id;
  std::string tenant;  // "" for the carrier's own
  std::string body;    // JSON
  std::uint64_t seq = 0;
  bool operator==(const DocumentRecord&) const = default;
};

struct DocumentQuery {
  std::string kind;
  std::optional<std::string> tenant;
  std::size_t offset = 0;
  std::size_t limit = 100;
  bool newest_first = false;
  // Keyset paging: only those after this seq in the list's order (`total` counts them all).
  std::optional<std::uint64_t> after_seq;
};

// One unit of work. Not thread-safe; lives only inside Store::transact.
class StoreTransaction {
 public:
  virtual ~StoreTransaction() = default;

  virtual Result<std::optional<ConnectionRecord>> connection(const std::string& id) = 0;
  // Writes the record. With expected_version, fails Aborted unless the stored version is that
  // (0 = must not exist yet): optimistic concurrency for read-modify-write. A server store may
  // report either later in the transaction, as putHold.
  virtual Status putConnection(const ConnectionRecord& record,
                               std::optional<std::uint64_t> expected_version) = 0;
  // In id order; total = how many match the query without offset and limit.
  virtual Result<std::vector<ConnectionRecord>> connections(const ConnectionQuery& query,
                                                            std::size_t* total) = 0;

  // A server store may send it with the next statement: a database error then comes from a
  // later call of the transaction, or from the commit (the work's result either way).
  virtual Status putHold(const HoldRecord& hold) = 0;
  virtual Status deleteHold(std::uint64_t id) = 0;
  // Every hold in id order, one at a time (a restart reads a whole book's); an error from `each`
  // stops the read and is returned. The views live until `each` returns.
  virtual Status eachHold(const std::function<Status(const HoldView&)>& each) = 0;
  Result<std::vector<HoldRecord>> holds() {  // every hold, copied
    std::vector<HoldRecord> out;
    LP_RETURN_IF_ERROR(eachHold([&](const HoldView& h) {
      out.push_back({h.id, std::string(h.owner), std::string(h.body)});
      return Status::ok();
    }));
    return out;
  }

  // Returns the event's cursor.
  virtual Result<std::uint64_t> appendEvent(const EventRecord& event) = 0;
  // The same when the cursor is not needed: sent later as putHold may be.
  virtual Status recordEvent(const EventRecord& event) { return statusOf(appendEvent(event)); }
  virtual Result<std::vector<EventRecord>> eventsAfter(std::uint64_t cursor, std::size_t limit) = 0;
  // Where the hold changes of a shared store stand (the cursor to follow them from, read with
  // holds() in one snapshot); 0 for a store of one process.
  virtual Result<std::uint64_t> holdCursor() { return std::uint64_t{0}; }
  // The cursor of the newest event; 0 when there is none.
  virtual Result<std::uint64_t> lastEventCursor() = 0;
  // Deletes the oldest events (in cursor order) that happened before `at_us`, at most `limit`;
  // how many it deleted. Cursors are never given out again.
  virtual Result<std::size_t> deleteEventsBefore(std::int64_t at_us, std::size_t limit) = 0;

  // Inserts or replaces (a replaced document keeps its seq).
  virtual Status putDocument(const DocumentRecord& document) = 0;
  virtual Result<std::optional<DocumentRecord>> document(const std::string& kind,
                                                         const std::string& id) = 0;
  // NotFound when there is none.
  virtual Status deleteDocument(const std::string& kind, const std::string& id) = 0;
  // In seq order; total = how many match without offset and limit.
  virtual Result<std::vector<DocumentRecord>> documents(const DocumentQuery& query,
                                                        std::size_t* total) = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  // Runs `work` in one transaction: committed durably when it returns ok, rolled back (nothing
  // written) when it returns an error, which transact returns. Concurrent transactions may be
  // committed together (one fsync for several), each still all or nothing.
  virtual Status transact(const std::function<Status(StoreTransaction&)>& work) = 0;
  // Runs `work` on a consistent snapshot of what is committed, beside writers and other readers
  // (it neither waits for nor blocks them). `work` must only read: writes fail.
  virtual Status read(const std::function<Status(StoreTransaction&)>& work) = 0;

  // --- Several instances on one store (PostgreSQL); a store of one process keeps the defaults.
  // This instance's number, unique among the instances that ever opened the store; 0: alone.
  virtual std::uint64_t instance() const { return 0; }
  // From now on, before each write of holds or events, hands `follower` the hold changes other
  // instances committed after `cursor`. Such writes are serialised across instances, so what
  // it has applied is everything committed: a hold that `blocks` on what it could not apply
  // fails Aborted (kCapacityRace).
  virtual void followHolds(std::uint64_t cursor, const HoldFollower& follower) {
    (void)cursor;
    (void)follower;
  }
  // Brings the followed holds up to date now (an idle instance); ok when there is nothing to do.
  virtual Status refresh() { return Status::ok(); }
  // Renews this instance's lease and claims the connections left in a working state
  // (provisioning, modifying, deprovisioning) by instances whose lease ran out: each is claimed
  // by exactly one instance, which finishes or undoes the work. Alone: none.
  virtual Result<std::vector<std::string>> claimOrphans(std::chrono::seconds lease) {
    (void)lease;
    return std::vector<std::string>{};
  }
  // Whether this instance runs the cluster's duties (the schedule, restoration, drift repair,
  // webhook delivery): one instance at a time, another once it is gone. Alone: always.
  virtual bool leads() { return true; }
  // Leaves the cluster at a clean stop: the duties and this instance's lease go at once.
  virtual void leave() {}
};

}  // namespace lightpath
