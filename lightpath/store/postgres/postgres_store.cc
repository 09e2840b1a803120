// PostgreSQL adapter on libpq: prepared statements per connection, text parameters, one
// writing connection committing in groups, a pool of reading ones.
#include "lightpath/store/postgres/postgres_store.h"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <mutex>
#include <optional>
#include <regex>
#include <unordered_map>
#include <vector>

#include "lightpath/store/group_commit.h"

namespace lightpath {
namespace {

// Each entry moves the schema one version up; never edit a shipped one, add the next. Ids sort
// by bytes (COLLATE "C"), as in SQLite, whatever the database's locale.
constexpr const char* kMigrations[] = {
    // 1: connections, holds, the event log and its clock, documents.
    R"sql(
      CREATE TABLE connections (
        id text COLLATE "C" PRIMARY KEY,
        tenant text COLLATE "C" NOT NULL,
        state text NOT NULL,
        version bigint NOT NULL,
        body text NOT NULL
      );
      CREATE INDEX connections_by_tenant ON connections (tenant, id);
      CREATE INDEX connections_by_state ON connections (state, id);
      CREATE TABLE holds (
        id bigint PRIMARY KEY,
        owner text NOT NULL,
        body text NOT NULL
      );
      CREATE TABLE events (
        cursor bigint PRIMARY KEY,
        type text NOT NULL,
        subject text NOT NULL,
        tenant text NOT NULL,
        at_us bigint NOT NULL,
        body text NOT NULL
      );
      CREATE TABLE event_clock (last bigint NOT NULL);
      INSERT INTO event_clock VALUES (0);
      CREATE TABLE documents (
        seq bigserial PRIMARY KEY,
        kind text COLLATE "C" NOT NULL,
        id text COLLATE "C" NOT NULL,
        tenant text COLLATE "C" NOT NULL,
        body text NOT NULL,
        UNIQUE (kind, id)
      );
      CREATE INDEX documents_by_tenant ON documents (kind, tenant, seq);
      -- Several instances: each hold write, in commit order, for the others' ledgers to follow;
      -- instance numbers (hold id ranges); who last wrote each connection (work ownership).
      CREATE TABLE hold_changes (
        seq bigserial PRIMARY KEY,
        instance bigint NOT NULL,
        hold_id bigint NOT NULL,
        owner text NOT NULL,
        body text
      );
      CREATE SEQUENCE instance_numbers;
      ALTER TABLE connections ADD COLUMN instance bigint;
      CREATE INDEX connections_by_instance ON connections (state, instance);
      CREATE TABLE instances (
        number bigint PRIMARY KEY,
        renewed_at timestamptz NOT NULL
      );
    )sql",
};
constexpr int kSchemaVersion = static_cast<int>(std::size(kMigrations));
constexpr std::int64_t kMigrationLock = 0x6c69676874706174;  // "lightpat"
// Held (for as long as its connection lives) by the instance that runs the cluster's duties.
constexpr std::int64_t kLeadLock = 0x6c69676874647479;  // "lightdty"
// Held by each write transaction: instances write one after another, so what an instance has
// read of the others' hold changes before writing is everything committed.
constexpr std::int64_t kWriteLock = 0x6c69676874777274;  // "lightwrt"

using Param = std::optional<std::string>;

std::string trimmed(std::string m) {
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return m;
}

class PgResult {
 public:
  explicit PgResult(PGresult* r) : r_(r) {}
  ~PgResult() { PQclear(r_); }
  PgResult(PgResult&& o) noexcept : r_(std::exchange(o.r_, nullptr)) {}
  PgResult& operator=(PgResult&&) = delete;
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;

  const PGresult* get() const { return r_; }
  int rows() const { return PQntuples(r_); }
  std::string text(int row, int col) const {
    return {PQgetvalue(r_, row, col), static_cast<std::size_t>(PQgetlength(r_, row, col))};
  }
  std::int64_t integer(int row, int col) const { return std::stoll(text(row, col)); }
  std::uint64_t unsignedInteger(int row, int col) const {
    return static_cast<std::uint64_t>(integer(row, col));
  }
  std::uint64_t affected() const {
    const char* n = PQcmdTuples(r_);
    return *n ? std::stoull(n) : 0;
  }

 private:
  PGresult* r_;
};

// One server connection. Not thread-safe: the store hands each to one user at a time.
class PgConnection {
 public:
  PgConnection(PostgresOptions options, PGconn* conn) : options_(std::move(options)), conn_(conn) {}
  ~PgConnection() { PQfinish(conn_); }
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  static Result<std::unique_ptr<PgConnection>> open(const PostgresOptions& options) {
    // A server that does not answer is given up on after 5 s unless the URL says otherwise.
    const char* keys[] = {"connect_timeout", "application_name", "dbname", nullptr};
    const char* values[] = {"5", "lightpath", options.url.c_str(), nullptr};
    PGconn* conn = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
    auto c = std::make_unique<PgConnection>(options, conn);
    LP_RETURN_IF_ERROR(c->setUp());
    return c;
  }

  // Reopens the connection if the server dropped it (a restart, a failover).
  Status ensure() {
    if (PQstatus(conn_) == CONNECTION_OK) return Status::ok();
    PQreset(conn_);
    ++sessions_;
    return setUp();
  }
  // How many sessions this connection has had: session state (locks) is gone when it changes.
  std::uint64_t sessions() const { return sessions_; }

  // Runs `sql` (prepared once per connection) with text parameters; nullopt is NULL.
  Result<PgResult> run(const char* sql, const std::vector<Param>& params, std::string_view what) {
    auto it = prepared_.find(sql);
    if (it == prepared_.end()) {
      const std::string name = fmt::format("lp{}", prepared_.size() + 1);
      PgResult r(PQprepare(conn_, name.c_str(), sql, static_cast<int>(params.size()), nullptr));
      LP_RETURN_IF_ERROR(check(r, what));
      it = prepared_.emplace(sql, name).first;
    }
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const Param& p : params) values.push_back(p ? p->c_str() : nullptr);
    PgResult r(PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(values.size()),
                              values.data(), nullptr, nullptr, 0));
    LP_RETURN_IF_ERROR(check(r, what));
    return r;
  }

  Status exec(const std::string& sql, std::string_view what) {
    PgResult r(PQexec(conn_, sql.c_str()));
    return check(r, what);
  }

 private:
  Status setUp() {
    prepared_.clear();
    if (PQstatus(conn_) != CONNECTION_OK) {
      return unavailable(fmt::format("postgresql {}: cannot connect: {}", redactedUrl(options_.url),
                                     trimmed(PQerrorMessage(conn_))));
    }
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);  // "already exists" notes
    if (!options_.schema.empty()) {
      char* quoted = PQescapeIdentifier(conn_, options_.schema.c_str(), options_.schema.size());
      if (!quoted) {
        return invalidArgument(
            fmt::format("postgresql: bad schema name: {}", trimmed(PQerrorMessage(conn_))));
      }
      const std::string name = quoted;
      PQfreemem(quoted);
      LP_RETURN_IF_ERROR(exec("CREATE SCHEMA IF NOT EXISTS " + name, "create the schema"));
      LP_RETURN_IF_ERROR(exec("SET search_path TO " + name, "use the schema"));
    }
    return Status::ok();
  }

  // A lost server is Unavailable (try again later), a conflict Aborted, the rest Internal.
  Status check(const PgResult& r, std::string_view what) {
    const ExecStatusType status = r.get() ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return Status::ok();
    const std::string message =
        trimmed(r.get() ? PQresultErrorMessage(r.get()) : PQerrorMessage(conn_));
    const char* field = r.get() ? PQresultErrorField(r.get(), PG_DIAG_SQLSTATE) : nullptr;
    const std::string_view code = field ? field : "";
    const std::string text = fmt::format("postgresql: {}: {}", what, message);
    if (PQstatus(conn_) != CONNECTION_OK || code.starts_with("08") || code.starts_with("57P"))
      return unavailable(text);
    if (code.starts_with("40") || code == "23505") return {StatusCode::Aborted, text};
    if (code == "25006") return failedPrecondition(text);  // a write in a read
    return internalError(text);
  }

  PostgresOptions options_;
  PGconn* conn_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL -> statement name
  std::uint64_t sessions_ = 1;
};

std::string number(std::uint64_t v) { return std::to_string(v); }
std::string number(std::int64_t v) { return std::to_string(v); }

// Before a write transaction's first hold or event write: take the instances' write lock and
// catch up with their holds. Returns whether a hold may not be written (it would share capacity
// with a change of theirs not applied yet).
using HoldGate = std::function<Result<std::function<bool(const HoldRecord&)>>()>;

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
    locked_ = false;
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
    // Each write names the instance that made it: the owner of any work the connection is in.
    std::vector<Param> values = {c.id, c.tenant, c.state, number(c.version), c.body, instance_};
    if (!expected) {
      return statusOf(db_.run(
          "INSERT INTO connections (id, tenant, state, version, body, instance) VALUES ($1, $2, "
          "$3, $4, $5, $6) ON CONFLICT (id) DO UPDATE SET tenant = excluded.tenant, state = "
          "excluded.state, version = excluded.version, body = excluded.body, instance = "
          "excluded.instance",
          values, "write connection"));
    }
    // The check and the write are one statement, so two instances cannot both pass it.
    Result<PgResult> written =
        *expected == 0
            ? db_.run(
                  "INSERT INTO connections (id, tenant, state, version, body, instance) "
                  "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING",
                  values, "write connection")
            : db_.run(
                  "UPDATE connections SET tenant = $2, state = $3, version = $4, body = $5, "
                  "instance = $6 WHERE id = $1 AND version = $7",
                  {c.id, c.tenant, c.state, number(c.version), c.body, instance_,
                   number(*expected)},
                  "write connection");
    if (!written) return written.error();
    if (written->affected() == 1) return Status::ok();
    LP_ASSIGN_OR_RETURN(PgResult stored, db_.run("SELECT version FROM connections WHERE id = $1",
                                                 {c.id}, "read connection version"));
    return {StatusCode::Aborted,
            fmt::format("connection {} changed meanwhile: version {} expected, {} stored", c.id,
                        *expected, stored.rows() ? stored.unsignedInteger(0, 0) : 0)};
  }

  Result<std::vector<ConnectionRecord>> connections(const ConnectionQuery& q,
                                                    std::size_t* total) override {
    const std::vector<Param> filter = {q.tenant, q.state, q.after_id};
    if (total) {
      LP_ASSIGN_OR_RETURN(
          PgResult count,
          db_.run("SELECT COUNT(*) FROM connections WHERE ($1::text IS NULL OR tenant = $1) AND "
                  "($2::text IS NULL OR state = $2) AND ($3::text IS NULL OR id > $3)",
                  filter, "count connections"));
      *total = static_cast<std::size_t>(count.unsignedInteger(0, 0));
    }
    std::vector<Param> params = filter;
    params.emplace_back(number(std::uint64_t{q.limit}));
    params.emplace_back(number(std::uint64_t{q.offset}));
    LP_ASSIGN_OR_RETURN(
        PgResult r,
        db_.run("SELECT id, tenant, state, version, body FROM connections WHERE ($1::text IS NULL "
                "OR tenant = $1) AND ($2::text IS NULL OR state = $2) AND ($3::text IS NULL OR id "
                "> $3) ORDER BY id LIMIT $4 OFFSET $5",
                params, "list connections"));
    std::vector<ConnectionRecord> out;
    out.reserve(static_cast<std::size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) out.push_back(connectionRow(r, i));
    return out;
  }

  // Each hold write is also a hold change the other instances follow.
  Status putHold(const HoldRecord& h) override {
    LP_RETURN_IF_ERROR(beforeHoldWrite());
    if (blocked_ && blocked_(h)) {
      return {StatusCode::Aborted,
              fmt::format("{}: hold {} not written; plan again", kCapacityRace, h.id)};
    }
    return statusOf(db_.run(
        "WITH w AS (INSERT INTO holds (id, owner, body) VALUES ($1, $2, $3) ON CONFLICT (id) DO "
        "UPDATE SET owner = excluded.owner, body = excluded.body) "
        "INSERT INTO hold_changes (instance, hold_id, owner, body) VALUES ($4, $1, $2, $3)",
        {number(h.id), h.owner, h.body, instance_}, "write hold"));
  }

  // Freeing capacity never overbooks: allowed even while behind.
  Status deleteHold(std::uint64_t id) override {
    LP_RETURN_IF_ERROR(beforeHoldWrite());
    LP_ASSIGN_OR_RETURN(PgResult r,
                        db_.run("WITH d AS (DELETE FROM holds WHERE id = $1 RETURNING id, owner) "
                                "INSERT INTO hold_changes (instance, hold_id, owner, body) "
                                "SELECT $2, id, owner, NULL FROM d",
                                {number(id), instance_}, "delete hold"));
    if (r.affected() == 0) return notFound(fmt::format("no hold {}", id));
    return Status::ok();
  }

  Result<std::vector<HoldRecord>> holds() override {
    LP_ASSIGN_OR_RETURN(PgResult r,
                        db_.run("SELECT id, owner, body FROM holds ORDER BY id", {}, "read holds"));
    std::vector<HoldRecord> out;
    out.reserve(static_cast<std::size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i)
      out.push_back({r.unsignedInteger(i, 0), r.text(i, 1), r.text(i, 2)});
    return out;
  }

  Result<std::uint64_t> appendEvent(const EventRecord& e) override {
    // The clock row stays locked until commit: cursors appear in the order they are committed.
    // The write lock first, always before the clock row, so two batches never wait on each
    // other in opposite orders.
    LP_RETURN_IF_ERROR(beforeHoldWrite());
    LP_ASSIGN_OR_RETURN(
        PgResult r,
        db_.run("WITH c AS (UPDATE event_clock SET last = last + 1 RETURNING last) "
                "INSERT INTO events (cursor, type, subject, tenant, at_us, body) "
                "SELECT last, $1, $2, $3, $4, $5 FROM c RETURNING cursor",
                {e.type, e.subject, e.tenant, number(e.at_us), e.body}, "append event"));
    return r.unsignedInteger(0, 0);
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
                                       number(std::uint64_t{q.offset})};
    auto listed =
        q.newest_first
            ? db_.run(
                  "SELECT kind, id, tenant, body, seq FROM documents WHERE kind = $1 AND "
                  "($2::text IS NULL OR tenant = $2) ORDER BY seq DESC LIMIT $3 OFFSET $4",
                  params, "list documents")
            : db_.run(
                  "SELECT kind, id, tenant, body, seq FROM documents WHERE kind = $1 AND "
                  "($2::text IS NULL OR tenant = $2) ORDER BY seq ASC LIMIT $3 OFFSET $4",
                  params, "list documents");
    if (!listed) return fail(listed.error());
    std::vector<DocumentRecord> out;
    out.reserve(static_cast<std::size_t>(listed->rows()));
    for (int i = 0; i < listed->rows(); ++i) out.push_back(documentRow(*listed, i));
    return out;
  }

 private:
  static ConnectionRecord connectionRow(const PgResult& r, int i) {
    return {r.text(i, 0), r.text(i, 1), r.text(i, 2), r.unsignedInteger(i, 3), r.text(i, 4)};
  }
  static DocumentRecord documentRow(const PgResult& r, int i) {
    return {r.text(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.unsignedInteger(i, 4)};
  }

  Status beforeHoldWrite() {
    if (!gate_ || locked_) return Status::ok();
    LP_ASSIGN_OR_RETURN(blocked_, gate_());
    locked_ = locked_in_work_ = true;
    return Status::ok();
  }

  PgConnection& db_;
  std::string instance_;
  HoldGate gate_;
  bool locked_ = false;          // the write lock is held and the holds caught up
  bool locked_in_work_ = false;  // ... taken by the current work of the batch
  std::function<bool(const HoldRecord&)> blocked_;  // none: caught up
};

class PostgresStore final : public Store {
 public:
  PostgresStore(PostgresOptions options, std::unique_ptr<PgConnection> writer,
                std::uint64_t instance)
      : options_(std::move(options)), writer_(std::move(writer)), instance_(instance) {}

  std::uint64_t instance() const override { return instance_; }

  void followHolds(std::uint64_t cursor, HoldFollower follower) override {
    std::lock_guard lock(follow_mutex_);
    followed_ = cursor;
    follower_ = std::move(follower);
  }

  // Without the write lock: hold changes are numbered and committed under it, one writer after
  // another, so any snapshot holds a prefix of them.
  Status refresh() override {
    LP_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> reader, takeReader());
    Status result = statusOf(catchUp(*reader));
    std::lock_guard lock(readers_mutex_);
    readers_.push_back(std::move(reader));
    return result;
  }

  Result<std::vector<std::string>> claimOrphans(std::chrono::seconds lease) override {
    std::lock_guard lock(coordination_mutex_);
    LP_ASSIGN_OR_RETURN(PgConnection * db, coordination());
    LP_RETURN_IF_ERROR(statusOf(db->run(
        "INSERT INTO instances (number, renewed_at) VALUES ($1, now()) ON CONFLICT (number) DO "
        "UPDATE SET renewed_at = now()",
        {number(instance_)}, "renew the lease")));
    // One statement: two instances claiming at once never both get a connection.
    LP_ASSIGN_OR_RETURN(
        PgResult r,
        db->run("UPDATE connections SET instance = $1 WHERE state IN ('provisioning', "
                "'modifying', 'deprovisioning') AND (instance IS NULL OR instance NOT IN (SELECT "
                "number FROM instances WHERE renewed_at > now() - make_interval(secs => $2))) "
                "RETURNING id",
                {number(instance_), number(static_cast<std::int64_t>(lease.count()))},
                "claim orphaned work"));
    std::vector<std::string> ids;
    for (int i = 0; i < r.rows(); ++i) ids.push_back(r.text(i, 0));
    return ids;
  }

  bool leads() override {
    std::lock_guard lock(coordination_mutex_);
    auto db = coordination();
    if (!db) return leading_ = false;
    // The lock lives with the session: while the same session answers, it is still ours.
    if (leading_ && lead_session_ == (*db)->sessions()) {
      if ((*db)->run("SELECT 1", {}, "lead")) return true;
      return leading_ = false;
    }
    auto taken = (*db)->run("SELECT pg_try_advisory_lock($1)", {number(kLeadLock)}, "lead");
    leading_ = taken && taken->text(0, 0) == "t";
    lead_session_ = (*db)->sessions();
    return leading_;
  }

  void leave() override {
    std::lock_guard lock(coordination_mutex_);
    if (!coordination_) return;
    (void)coordination_->run("DELETE FROM instances WHERE number = $1", {number(instance_)},
                             "leave");
    coordination_.reset();  // the session ends: the duties' lock goes with it
    leading_ = false;
  }

  Status transact(const std::function<Status(StoreTransaction&)>& work) override {
    return group_.run(work, [this](GroupCommit::Batch& batch) {
      if (Status up = writer_->ensure(); !up.isOk()) {
        for (GroupCommit::Pending* p : batch) p->result = up;
        return;
      }
      // Only hold and event writes need the instances' order: the write lock is taken at a
      // batch's first of them, not for every write (a simulated device's entries).
      PostgresTransaction tx(
          *writer_, instance_, [this]() -> Result<std::function<bool(const HoldRecord&)>> {
            LP_RETURN_IF_ERROR(
                writer_->exec(fmt::format("SELECT pg_advisory_xact_lock({})", kWriteLock), "lock"));
            return catchUp(*writer_);
          });
      auto run = [this](const char* sql) {
        return [this, sql] { return writer_->exec(sql, sql); };
      };
      GroupCommit::commitBatch(batch, tx,
                               {.begin = run("BEGIN"),
                                .commit = run("COMMIT"),
                                .rollback = run("ROLLBACK"),
                                .savepoint =
                                    [&] {
                                      tx.workStarts();
                                      return writer_->exec("SAVEPOINT work", "savepoint");
                                    },
                                .rollback_to_savepoint =
                                    [&] {
                                      tx.workRolledBack();
                                      return writer_->exec("ROLLBACK TO SAVEPOINT work",
                                                           "roll back to the savepoint");
                                    },
                                .release_savepoint = run("RELEASE SAVEPOINT work")});
    });
  }

  Status read(const std::function<Status(StoreTransaction&)>& work) override {
    LP_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> reader, takeReader());
    Status result = reader->exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "begin a read");
    if (result.isOk()) {
      PostgresTransaction tx(*reader, instance_);
      result = work(tx);
      (void)reader->exec("ROLLBACK", "end a read");
    }
    std::lock_guard lock(readers_mutex_);
    readers_.push_back(std::move(reader));
    return result;
  }

 private:
  // Hands the follower what the other instances committed since it last looked. Returns, when
  // it could not apply them all, which holds they block (none: caught up).
  Result<std::function<bool(const HoldRecord&)>> catchUp(PgConnection& db) {
    std::lock_guard lock(follow_mutex_);
    if (!follower_.apply) return std::function<bool(const HoldRecord&)>();
    LP_ASSIGN_OR_RETURN(
        PgResult r, db.run("SELECT seq, hold_id, owner, body FROM hold_changes WHERE seq > $1 AND "
                           "instance <> $2 ORDER BY seq",
                           {number(followed_), number(instance_)}, "read hold changes"));
    if (r.rows() == 0) return std::function<bool(const HoldRecord&)>();
    std::vector<HoldChange> changes;
    changes.reserve(static_cast<std::size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) {
      const bool deleted = PQgetisnull(r.get(), i, 3) != 0;
      changes.push_back(
          {.cursor = r.unsignedInteger(i, 0),
           .hold = {r.unsignedInteger(i, 1), r.text(i, 2), deleted ? std::string() : r.text(i, 3)},
           .deleted = deleted});
    }
    const std::size_t applied = std::min(follower_.apply(changes), changes.size());
    if (applied > 0) followed_ = changes[applied - 1].cursor;
    if (applied == changes.size()) return std::function<bool(const HoldRecord&)>();
    changes.erase(changes.begin(), changes.begin() + static_cast<std::ptrdiff_t>(applied));
    return std::function<bool(const HoldRecord&)>(
        [blocks = follower_.blocks, pending = std::move(changes)](const HoldRecord& h) {
          return !blocks || blocks(h, pending);
        });
  }

  // The session that holds this instance's lease and the duties' lock; reopened if lost.
  Result<PgConnection*> coordination() {
    if (!coordination_) {
      LP_ASSIGN_OR_RETURN(coordination_, PgConnection::open(options_));
    } else {
      LP_RETURN_IF_ERROR(coordination_->ensure());
    }
    return coordination_.get();
  }

  Result<std::unique_ptr<PgConnection>> takeReader() {
    std::unique_ptr<PgConnection> reader;
    {
      std::lock_guard lock(readers_mutex_);
      if (!readers_.empty()) {
        reader = std::move(readers_.back());
        readers_.pop_back();
      }
    }
    if (!reader) return PgConnection::open(options_);
    LP_RETURN_IF_ERROR(reader->ensure());
    return reader;
  }

  PostgresOptions options_;
  std::unique_ptr<PgConnection> writer_;
  const std::uint64_t instance_;
  GroupCommit group_;
  std::mutex readers_mutex_;
  std::vector<std::unique_ptr<PgConnection>> readers_;  // idle ones
  std::mutex follow_mutex_;
  std::uint64_t followed_ = 0;  // the last hold change the sink applied
  HoldFollower follower_;
  std::mutex coordination_mutex_;
  std::unique_ptr<PgConnection> coordination_;
  bool leading_ = false;
  std::uint64_t lead_session_ = 0;  // the coordination session the lock was taken in
};

// Instances starting together: the advisory lock lets one migrate while the others wait.
Status migrate(PgConnection& db, const std::string& where) {
  LP_RETURN_IF_ERROR(
      db.exec(fmt::format("SELECT pg_advisory_lock({})", kMigrationLock), "lock for migration"));
  auto migrated = [&]() -> Status {
    LP_RETURN_IF_ERROR(
        db.exec("CREATE TABLE IF NOT EXISTS lightpath_schema (version integer "
                "NOT NULL)",
                "create the schema table"));
    LP_ASSIGN_OR_RETURN(
        PgResult r, db.run("SELECT version FROM lightpath_schema", {}, "read the schema version"));
    if (r.rows() == 0) {
      LP_RETURN_IF_ERROR(
          db.exec("INSERT INTO lightpath_schema VALUES (0)", "start the schema version"));
    }
    const auto current = r.rows() ? static_cast<int>(r.integer(0, 0)) : 0;
    if (current > kSchemaVersion) {
      return failedPrecondition(
          fmt::format("{}: schema version {} is newer than this Lightpath's {}; upgrade Lightpath",
                      where, current, kSchemaVersion));
    }
    for (int v = current; v < kSchemaVersion; ++v) {
      LP_RETURN_IF_ERROR(db.exec("BEGIN", "begin a migration"));
      Status s = db.exec(kMigrations[v], fmt::format("migration to schema {}", v + 1));
      if (s.isOk()) {
        s = db.exec(fmt::format("UPDATE lightpath_schema SET version = {}", v + 1),
                    "write the schema version");
      }
      if (!s.isOk()) {
        (void)db.exec("ROLLBACK", "roll back a migration");
        return s.withContext(where);
      }
      LP_RETURN_IF_ERROR(db.exec("COMMIT", "commit a migration"));
    }
    return Status::ok();
  }();
  (void)db.exec(fmt::format("SELECT pg_advisory_unlock({})", kMigrationLock),
                "unlock after migration");
  return migrated;
}

}  // namespace

std::string redactedUrl(const std::string& url) {
  static const std::regex uri_password(R"(^(\w+://[^:/@]*):[^@]*@)");
  static const std::regex key_password(R"((password\s*=\s*)('[^']*'|\S+))");
  std::string out = std::regex_replace(url, uri_password, "$1:***@");
  return std::regex_replace(out, key_password, "$1***");
}

Result<std::unique_ptr<Store>> openPostgresStore(const PostgresOptions& options) {
  LP_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> writer, PgConnection::open(options));
  LP_RETURN_IF_ERROR(migrate(*writer, "postgresql " + redactedUrl(options.url)));
  // The number, and the lease from the start: work this instance takes on is never orphaned.
  LP_ASSIGN_OR_RETURN(PgResult number,
                      writer->run("WITH n AS (SELECT nextval('instance_numbers') "
                                  "AS number) INSERT INTO instances SELECT number, "
                                  "now() FROM n RETURNING number",
                                  {}, "take an instance number"));
  return std::unique_ptr<Store>(
      new PostgresStore(options, std::move(writer), number.unsignedInteger(0, 0)));
}

}  // namespace lightpath
