// A store transaction on one PostgreSQL connection: the StoreTransaction calls as SQL, hold
// writes recorded as hold changes for the other instances, and the write lock taken before the
// first hold or event write. Internal to postgres/.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "lightpath/store/postgres/pg_connection.h"
#include "lightpath/store/store.h"

namespace lightpath::pg {

// How a write transaction keeps the instances' order. Before its first hold or event write,
// `lock` defers taking the instances' write lock; before its first hold write, `catchUp` (run
// under it) applies their holds and returns whether a hold may not be written (it would share
// capacity with a change of theirs not applied yet).
struct HoldGate {
  std::function<void()> lock;
  std::function<Result<std::function<bool(const HoldRecord&)>>()> catchUp;
};

class PostgresTransaction final : public StoreTransaction {
 public:
  // `gate`: none for reads.
  PostgresTransaction(PgConnection& db, std::uint64_t instance, HoldGate gate = {})
      : db_(db), instance_(number(instance)), gate_(std::move(gate)) {}

  // A work of a batch starts (in its savepoint) / was rolled back to it: a lock taken inside
  // the rolled-back savepoint went with it.
  void workStarts() { locked_in_work_ = false; }
  void workRolledBack() {
    if (!locked_in_work_) return;
    locked_ = caught_up_ = false;
    blocked_ = nullptr;
  }

  Result<std::optional<ConnectionRecord>> connection(const std::string& id) override {
    LP_ASSIGN_OR_RETURN(
        PgResult r,
        db_.run("SELECT id, tenant, state, version, body FROM connections WHERE id = $1", {id},
                "read connection"));
    if (r.rows() == 0) return std::optional<ConnectionRecord>();
    return std::optional<ConnectionRecord>(connectionRow(r, 0));
  }

  Status putConnection(const ConnectionRecord& c, std::optional<std::uint64_t> expected) override {
    // Under the instances' write lock, taken before the write: the counts it keeps (migration 3)
    // are then always locked in one order across instances.
    takeWriteLock();
    // Each write names the instance that made it: the owner of any work the connection is in.
    std::vector<Param> values = {c.id, c.tenant, c.state, number(c.version), c.body, instance_};
    if (!expected) {
      static constexpr const char* kUpsert =
          "INSERT INTO connections (id, tenant, state, version, body, instance) VALUES ($1, $2, "
          "$3, $4, $5, $6) ON CONFLICT (id) DO UPDATE SET tenant = excluded.tenant, state = "
          "excluded.state, version = excluded.version, body = excluded.body, instance = "
          "excluded.instance";
      if (!gate_.lock) return statusOf(db_.run(kUpsert, values, "write connection"));
      db_.defer(kUpsert, true, std::move(values), "write connection");
      return Status::ok();
    }
    // The check and the write are one statement, so two instances cannot both pass it. In a
    // write transaction it goes with the next statement: a stale version fails that one.
    static constexpr const char* kPut =
        "SELECT lightpath_put_connection($1, $2, $3, $4, $5, $6, $7)";
    values.emplace_back(number(*expected));
    if (!gate_.lock) return statusOf(db_.run(kPut, values, "write connection"));
    db_.defer(kPut, true, std::move(values), "write connection");
    return Status::ok();
  }

  Result<std::vector<ConnectionRecord>> connections(const ConnectionQuery& q,
                                                    std::size_t* total) override {
    if (!q.terms.empty()) return connectionsWithTerms(q, total);
    const std::vector<Param> filter = {q.tenant, q.state, q.after_id, q.before_id};
    static constexpr const char* kWhere =
        "WHERE ($1::text IS NULL OR tenant = $1) AND ($2::text IS NULL OR state = $2) AND "
        "($3::text IS NULL OR id > $3) AND ($4::text IS NULL OR id < $4)";
    if (total && !q.after_id && !q.before_id) {
      // Without a range of ids, the kept count: no scan.
      LP_ASSIGN_OR_RETURN(
          PgResult count,
          db_.run("SELECT COALESCE(SUM(n), 0) FROM connection_counts WHERE ($1::text IS NULL OR "
                  "tenant = $1) AND ($2::text IS NULL OR state = $2)",
                  {q.tenant, q.state}, "count connections"));
      *total = static_cast<std::size_t>(count.unsignedInteger(0, 0));
    } else if (total) {
      LP_ASSIGN_OR_RETURN(
          PgResult count,
          db_.run(fmt::format("SELECT COUNT(*) FROM connections {}", kWhere).c_str(), filter,
                  "count connections"));
      *total = static_cast<std::size_t>(count.unsignedInteger(0, 0));
    }
    std::vector<Param> params = filter;
    params.emplace_back(number(std::uint64_t{q.limit}));
    params.emplace_back(number(std::uint64_t{q.offset}));
    LP_ASSIGN_OR_RETURN(
        PgResult r,
        db_.run(fmt::format("SELECT id, tenant, state, version, body FROM connections {} ORDER BY "
                            "id{} LIMIT $5 OFFSET $6",
                            kWhere, q.newest_first ? " DESC" : "")
                    .c_str(),
                params, "list connections"));
    return connectionRows(r);
  }

  // Read from the first term's index (with the tenant's, when there is one), each further term
  // looked up by its key; the state is checked on the connection itself.
  Result<std::vector<ConnectionRecord>> connectionsWithTerms(const ConnectionQuery& q,
                                                             std::size_t* total) {
    std::vector<Param> params = {q.tenant, q.state, q.after_id, q.before_id};
    std::string from =
        "FROM connection_terms t JOIN connections c ON c.id = t.id WHERE ($1::text IS NULL OR "
        "t.tenant = $1) AND ($2::text IS NULL OR c.state = $2) AND ($3::text IS NULL OR t.id > "
        "$3) AND ($4::text IS NULL OR t.id < $4) AND t.term = $5";
    for (std::size_t i = 0; i < q.terms.size(); ++i) {
      params.emplace_back(q.terms[i]);
      if (i > 0) {
        from += fmt::format(
            " AND EXISTS (SELECT 1 FROM connection_terms u WHERE u.term = ${} AND u.id = t.id)",
            5 + i);
      }
    }
    if (total) {  // a count of every match: callers that page without one pass no `total`
      LP_ASSIGN_OR_RETURN(PgResult count, db_.run(fmt::format("SELECT COUNT(*) {}", from).c_str(),
                                                  params, "count connections"));
      *total = static_cast<std::size_t>(count.unsignedInteger(0, 0));
    }
    const std::size_t at = params.size();
    params.emplace_back(number(std::uint64_t{q.limit}));
    params.emplace_back(number(std::uint64_t{q.offset}));
    LP_ASSIGN_OR_RETURN(
        PgResult r,
        db_.run(fmt::format("SELECT c.id, c.tenant, c.state, c.version, c.body {} ORDER BY t.id{} "
                            "LIMIT ${} OFFSET ${}",
                            from, q.newest_first ? " DESC" : "", at + 1, at + 2)
                    .c_str(),
                params, "list connections"));
    return connectionRows(r);
  }

  // Each hold write is also a hold change the other instances follow. Deferred in a write
  // transaction: it can only fail as the database fails.
  Status putHold(const HoldRecord& h) override {
    LP_RETURN_IF_ERROR(beforeHoldWrite());
    if (blocked_ && blocked_(h)) {
      return {StatusCode::Aborted,
              fmt::format("{}: hold {} not written; plan again", kCapacityRace, h.id)};
    }
    static constexpr const char* kSql =
        "WITH w AS (INSERT INTO holds (id, owner, body) VALUES ($1, $2, $3) ON CONFLICT (id) DO "
        "UPDATE SET owner = excluded.owner, body = excluded.body) "
        "INSERT INTO hold_changes (instance, hold_id, owner, body) VALUES ($4, $1, $2, $3)";
    std::vector<Param> params = {number(h.id), h.owner, h.body, instance_};
    if (!gate_.lock) return statusOf(db_.run(kSql, params, "write hold"));
    db_.defer(kSql, true, std::move(params), "write hold");
    return Status::ok();
  }

  // Freeing capacity never overbooks: allowed even while behind.
  Status deleteHold(std::uint64_t id) override {
    takeWriteLock();
    LP_ASSIGN_OR_RETURN(PgResult r,
                        db_.run("WITH d AS (DELETE FROM holds WHERE id = $1 RETURNING id, owner) "
                                "INSERT INTO hold_changes (instance, hold_id, owner, body) "
                                "SELECT $2, id, owner, NULL FROM d",
                                {number(id), instance_}, "delete hold"));
    if (r.affected() == 0) return notFound(fmt::format("no hold {}", id));
    return Status::ok();
  }

  Status eachHold(const std::function<Status(const HoldView&)>& each) override {
    LP_ASSIGN_OR_RETURN(PgResult r,
                        db_.run("SELECT id, owner, body FROM holds ORDER BY id", {}, "read holds"));
    for (int i = 0; i < r.rows(); ++i)
      LP_RETURN_IF_ERROR(each({r.unsignedInteger(i, 0), r.view(i, 1), r.view(i, 2)}));
    return Status::ok();
  }

  Result<std::uint64_t> appendEvent(const EventRecord& e) override {
    // The clock row stays locked until commit: cursors appear in the order they are committed.
    // The write lock first, always before the clock row, so two batches never wait on each
    // other in opposite orders.
    takeWriteLock();
    LP_ASSIGN_OR_RETURN(PgResult r, db_.run(kAppendEvent, eventParams(e), "append event"));
    return r.unsignedInteger(0, 0);
  }
  // Deferred in a write transaction, as a hold write.
  Status recordEvent(const EventRecord& e) override {
    if (!gate_.lock) return statusOf(appendEvent(e));
    takeWriteLock();
    db_.defer(kAppendEvent, true, eventParams(e), "append event");
    return Status::ok();
  }

  Result<std::vector<EventRecord>> eventsAfter(std::uint64_t cursor, std::size_t limit) override {
    LP_ASSIGN_OR_RETURN(
        PgResult r, db_.run("SELECT cursor, type, subject, tenant, at_us, body FROM events WHERE "
                            "cursor > $1 ORDER BY cursor LIMIT $2",
                            {number(cursor), number(std::uint64_t{limit})}, "read events"));
    std::vector<EventRecord> out;
    out.reserve(static_cast<std::size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) {
      out.push_back({r.unsignedInteger(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3),
                     r.integer(i, 4), r.text(i, 5)});
    }
    return out;
  }

  Result<std::uint64_t> holdCursor() override {
    LP_ASSIGN_OR_RETURN(PgResult r, db_.run("SELECT COALESCE(MAX(seq), 0) FROM hold_changes", {},
                                            "read the hold cursor"));
    return r.unsignedInteger(0, 0);
  }

  Result<std::uint64_t> lastEventCursor() override {
    LP_ASSIGN_OR_RETURN(PgResult r,
                        db_.run("SELECT last FROM event_clock", {}, "read the last event"));
    return r.unsignedInteger(0, 0);
  }

  Result<std::size_t> deleteEventsBefore(std::int64_t at_us, std::size_t limit) override {
    LP_ASSIGN_OR_RETURN(
        PgResult r,
        db_.run("DELETE FROM events WHERE cursor IN (SELECT cursor FROM events WHERE "
                "at_us < $1 ORDER BY cursor LIMIT $2)",
                {std::to_string(at_us), number(std::uint64_t{limit})}, "delete events"));
    return static_cast<std::size_t>(r.affected());
  }

  Status putDocument(const DocumentRecord& d) override {
    return statusOf(db_.run(
        "INSERT INTO documents (kind, id, tenant, body) VALUES ($1, $2, $3, $4) ON CONFLICT "
        "(kind, id) DO UPDATE SET tenant = excluded.tenant, body = excluded.body",
        {d.kind, d.id, d.tenant, d.body}, "write document"));
  }

  Result<std::optional<DocumentRecord>> document(const std::string& kind,
                                                 const std::string& id) override {
    LP_ASSIGN_OR_RETURN(
        PgResult r,
        db_.run("SELECT kind, id, tenant, body, seq FROM documents WHERE kind = $1 AND id = $2",
                {kind, id}, "read document"));
    if (r.rows() == 0) return std::optional<DocumentRecord>();
    return std::optional<DocumentRecord>(documentRow(r, 0));
  }

  Status deleteDocument(const std::string& kind, const std::string& id) override {
    LP_ASSIGN_OR_RETURN(PgResult r, db_.run("DELETE FROM documents WHERE kind = $1 AND id = $2",
                                            {kind, id}, "delete document"));
    if (r.affected() == 0) return notFound(fmt::format("no {} {}", kind, id));
    return Status::ok();
  }

  Result<std::vector<DocumentRecord>> documents(const DocumentQuery& q,
                                                std::size_t* total) override {
    if (total) {
      LP_ASSIGN_OR_RETURN(
          PgResult count,
          db_.run("SELECT COUNT(*) FROM documents WHERE kind = $1 AND ($2::text IS NULL OR "
                  "tenant = $2)",
                  {q.kind, q.tenant}, "count documents"));
      *total = static_cast<std::size_t>(count.unsignedInteger(0, 0));
    }
    const std::vector<Param> params = {q.kind, q.tenant, number(std::uint64_t{q.limit}),
                                       number(std::uint64_t{q.offset}),
                                       q.after_seq ? Param(number(*q.after_seq)) : Param()};
    auto listed = db_.run(
        fmt::format("SELECT kind, id, tenant, body, seq FROM documents WHERE kind = $1 AND "
                    "($2::text IS NULL OR tenant = $2) AND ($5::bigint IS NULL OR seq {} $5) "
                    "ORDER BY seq {} LIMIT $3 OFFSET $4",
                    q.newest_first ? "<" : ">", q.newest_first ? "DESC" : "ASC")
            .c_str(),
        params, "list documents");
    if (!listed) return fail(listed.error());
    std::vector<DocumentRecord> out;
    out.reserve(static_cast<std::size_t>(listed->rows()));
    for (int i = 0; i < listed->rows(); ++i) out.push_back(documentRow(*listed, i));
    return out;
  }

 private:
  static constexpr const char* kAppendEvent =
      "WITH c AS (UPDATE event_clock SET last = last + 1 RETURNING last) "
      "INSERT INTO events (cursor, type, subject, tenant, at_us, body) "
      "SELECT last, $1, $2, $3, $4, $5 FROM c RETURNING cursor";
  static std::vector<Param> eventParams(const EventRecord& e) {
    return {e.type, e.subject, e.tenant, number(e.at_us), e.body};
  }

  static ConnectionRecord connectionRow(const PgResult& r, int i) {
    return {r.text(i, 0), r.text(i, 1), r.text(i, 2), r.unsignedInteger(i, 3), r.text(i, 4)};
  }
  static std::vector<ConnectionRecord> connectionRows(const PgResult& r) {
    std::vector<ConnectionRecord> out;
    out.reserve(static_cast<std::size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) out.push_back(connectionRow(r, i));
    return out;
  }

  static DocumentRecord documentRow(const PgResult& r, int i) {
    return {r.text(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.unsignedInteger(i, 4)};
  }

  void takeWriteLock() {
    if (!gate_.lock || locked_) return;
    gate_.lock();
    locked_ = locked_in_work_ = true;
  }
  Status beforeHoldWrite() {
    takeWriteLock();
    if (!gate_.catchUp || caught_up_) return Status::ok();
    LP_ASSIGN_OR_RETURN(blocked_, gate_.catchUp());
    caught_up_ = true;
    return Status::ok();
  }

  PgConnection& db_;
  std::string instance_;
  HoldGate gate_;
  bool locked_ = false;          // the write lock is asked for (sent, or with the next statement)
  bool caught_up_ = false;       // ... and the holds caught up under it
  bool locked_in_work_ = false;  // ... asked for by the current work of the batch
  std::function<bool(const HoldRecord&)> blocked_;  // none: caught up
};

}  // namespace lightpath::pg
