// Connections in the store: a change of a connection saved with its holds, its event and
// whatever else the caller commits with it, in one transaction (so a crash keeps all or none);
// reads by id and scans by state.
//
//   ConnectionRecords records(store, clock);
//   records.save(c, before, "connection.stateChanged", "activated", {}, {});
//   auto c = records.get("conn_1");
//
// Errors: the store's (Aborted when the stored version is not `expected_version`); NotFound for
// an unknown id. Thread-safe as the store is.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "lightpath/base/clock.h"
#include "lightpath/service/connection.h"
#include "lightpath/store/store.h"

namespace lightpath {

// More writes to commit with a change of a connection, all or nothing (an API's idempotency
// record and audit entry). Given the connection as it is being stored.
using AlsoInTransaction = std::function<Status(StoreTransaction&, const Connection&)>;

class ConnectionRecords {
 public:
  // `written`: told of every connection once its write is committed, so that the schedule
  // knows when to look at it.
  using Written = std::function<void(const Connection&)>;
  ConnectionRecords(Store& store, const Clock& clock, Written written = {})
      : store_(store), clock_(clock), written_(std::move(written)) {}

  // Stores `c` (checked against `expected_version`; 0 for a new one), puts and deletes holds,
  // appends the event {id, state, reason} and runs `also`, in one transaction.
  Status save(const Connection& c, std::optional<std::uint64_t> expected_version,
              const std::string& event_type, const std::string& reason,
              const std::vector<HoldRecord>& put_holds,
              const std::vector<std::uint64_t>& delete_holds,
              const AlsoInTransaction& also = {}) const;

  // Several changes (each as save() takes it) in one transaction: all or none.
  struct Change {
    const Connection* connection = nullptr;
    std::optional<std::uint64_t> expected_version;
    std::string event_type, reason;
    std::vector<HoldRecord> put_holds;
    std::vector<std::uint64_t> delete_holds;
  };
  Status saveAll(const std::vector<Change>& changes,
                 const std::function<Status(StoreTransaction&)>& also = {}) const;

  Result<Connection> get(const std::string& id) const;
  // get(), Aborted unless the connection is at `expected_version` (when given).
  Result<Connection> getAt(const std::string& id,
                           std::optional<std::uint64_t> expected_version) const;

  // Every stored connection (of one state, if given), a page at a time by id.
  static Status scan(StoreTransaction& tx, const std::optional<std::string>& state,
                     const std::function<Status(const ConnectionRecord&)>& visit);
  // The same, each page in a read of its own: a scan of a large book (seconds at a million)
  // then holds no snapshot all along, behind which SQLite's log could not start over. For
  // scans that look at each connection alone (one changed meanwhile is seen either way).
  Status scanByPages(const std::optional<std::string>& state,
                     const std::function<Status(const ConnectionRecord&)>& visit) const;

  Store& store() const { return store_; }

 private:
  Status write(StoreTransaction& tx, const Change& change) const;

  Store& store_;
  const Clock& clock_;
  Written written_;
};

}  // namespace lightpath
