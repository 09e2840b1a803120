// PostgreSQL adapter: migrations, one writing connection committing in groups, a pool of
// reading ones, and what instances sharing the database coordinate through (hold changes,
// leases, the leader's lock).
#include "lightpath/store/postgres/postgres_store.h"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <chrono>
#include <mutex>
#include <regex>
#include <thread>
#include <vector>

#include "lightpath/store/group_commit.h"
#include "lightpath/store/postgres/pg_connection.h"
#include "lightpath/store/postgres/pg_transaction.h"

namespace lightpath {
namespace {

using pg::number;
using pg::PgConnection;
using pg::PgResult;
using pg::PostgresTransaction;

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
    // 2: a connection's version check and write in one call that fails on a stale version, so
    // the write can go along with the transaction's next statement (code LP409: Aborted).
    R"sql(
      CREATE FUNCTION lightpath_put_connection(p_id text, p_tenant text, p_state text,
          p_version bigint, p_body text, p_instance bigint, p_expected bigint) RETURNS void
      LANGUAGE plpgsql AS $$
      DECLARE
        stored bigint;
      BEGIN
        IF p_expected = 0 THEN
          INSERT INTO connections (id, tenant, state, version, body, instance)
            VALUES (p_id, p_tenant, p_state, p_version, p_body, p_instance)
            ON CONFLICT (id) DO NOTHING;
        ELSE
          UPDATE connections SET tenant = p_tenant, state = p_state, version = p_version,
            body = p_body, instance = p_instance WHERE id = p_id AND version = p_expected;
        END IF;
        IF NOT FOUND THEN
          SELECT c.version INTO stored FROM connections c WHERE c.id = p_id;
          RAISE EXCEPTION 'connection % changed meanwhile: version % expected, % stored',
            p_id, p_expected, COALESCE(stored, 0) USING ERRCODE = 'LP409';
        END IF;
      END $$;
    )sql",
    // 3: how many connections each tenant has in each state, kept by the writes themselves, so
    // a list's total costs the same whatever the size of the book. Connection writes take the
    // instances' write lock first (pg_transaction.h), so two instances never take these rows in
    // opposite orders.
    R"sql(
      CREATE TABLE connection_counts (
        tenant text COLLATE "C" NOT NULL,
        state text NOT NULL,
        n bigint NOT NULL,
        PRIMARY KEY (tenant, state)
      );
      INSERT INTO connection_counts (tenant, state, n)
        SELECT tenant, state, COUNT(*) FROM connections GROUP BY tenant, state;
      CREATE FUNCTION lightpath_count_connection() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'INSERT' THEN
          UPDATE connection_counts SET n = n - 1 WHERE tenant = OLD.tenant AND state = OLD.state;
        END IF;
        IF TG_OP <> 'DELETE' THEN
          INSERT INTO connection_counts (tenant, state, n) VALUES (NEW.tenant, NEW.state, 1)
            ON CONFLICT (tenant, state) DO UPDATE SET n = connection_counts.n + 1;
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER connection_counted AFTER INSERT OR DELETE ON connections
        FOR EACH ROW EXECUTE FUNCTION lightpath_count_connection();
      CREATE TRIGGER connection_recounted AFTER UPDATE OF tenant, state ON connections
        FOR EACH ROW WHEN (OLD.tenant IS DISTINCT FROM NEW.tenant OR OLD.state IS DISTINCT FROM
                           NEW.state)
        EXECUTE FUNCTION lightpath_count_connection();
      CREATE INDEX connections_by_tenant_state ON connections (tenant, state, id);
    )sql",
    // 4: lists by kind, end and tag read from an index: each connection's terms (store.h,
    // ConnectionQuery::terms), kept from its body by the writes themselves; rewritten only when
    // what was requested changes, not at every change of state. A connection's are found by
    // its old body's terms (an index by id would cost a third more writes per order).
    R"sql(
      CREATE TABLE connection_terms (
        term text COLLATE "C" NOT NULL,
        id text COLLATE "C" NOT NULL,
        tenant text COLLATE "C" NOT NULL,
        PRIMARY KEY (term, id)
      );
      CREATE INDEX connection_terms_by_tenant ON connection_terms (term, tenant, id);
      CREATE FUNCTION lightpath_connection_terms(body text) RETURNS SETOF text
        LANGUAGE sql IMMUTABLE AS $$
        WITH r AS (SELECT body::jsonb -> 'requested' AS r)
        SELECT 'kind:' || (r ->> 'kind') FROM r WHERE jsonb_typeof(r -> 'kind') = 'string'
        UNION SELECT 'end:' || (r ->> 'a_end') FROM r WHERE jsonb_typeof(r -> 'a_end') = 'string'
        UNION SELECT 'end:' || (r ->> 'z_end') FROM r WHERE jsonb_typeof(r -> 'z_end') = 'string'
        UNION SELECT 'tag:' || t.key || '=' || (t.value #>> '{}')
          FROM r, jsonb_each(CASE WHEN jsonb_typeof(r -> 'tags') = 'object' THEN r -> 'tags'
                                  ELSE '{}'::jsonb END) t
          WHERE jsonb_typeof(t.value) = 'string'
      $$;
      INSERT INTO connection_terms (term, id, tenant)
        SELECT t, c.id, c.tenant FROM connections c, lightpath_connection_terms(c.body) t
        ON CONFLICT DO NOTHING;
      CREATE FUNCTION lightpath_keep_connection_terms() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'INSERT' THEN
          DELETE FROM connection_terms
            WHERE id = OLD.id AND term IN (SELECT lightpath_connection_terms(OLD.body));
        END IF;
        IF TG_OP <> 'DELETE' THEN
          INSERT INTO connection_terms (term, id, tenant)
            SELECT t, NEW.id, NEW.tenant FROM lightpath_connection_terms(NEW.body) t
            ON CONFLICT DO NOTHING;
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER connection_terms_kept AFTER INSERT OR DELETE ON connections
        FOR EACH ROW EXECUTE FUNCTION lightpath_keep_connection_terms();
      CREATE TRIGGER connection_terms_rekept AFTER UPDATE OF tenant, body ON connections
        FOR EACH ROW WHEN (OLD.tenant IS DISTINCT FROM NEW.tenant OR
                           (OLD.body::jsonb -> 'requested') IS DISTINCT FROM
                           (NEW.body::jsonb -> 'requested'))
        EXECUTE FUNCTION lightpath_keep_connection_terms();
    )sql",
};
constexpr int kSchemaVersion = static_cast<int>(std::size(kMigrations));
constexpr std::int64_t kMigrationLock = 0x6c69676874706174;  // "lightpat"
// Held (for as long as its connection lives) by the instance that runs the cluster's duties.
constexpr std::int64_t kLeadLock = 0x6c69676874647479;  // "lightdty"
// Held by each write transaction: instances write one after another, so what an instance has
// read of the others' hold changes before writing is everything committed.
constexpr std::int64_t kWriteLock = 0x6c69676874777274;  // "lightwrt"

class PostgresStore final : public Store {
 public:
  PostgresStore(PostgresOptions options, std::unique_ptr<PgConnection> writer,
                std::uint64_t instance)
      : options_(std::move(options)), writer_(std::move(writer)), instance_(instance) {}

  // A process that ends without a clean stop (admin commands, benchmarks) still leaves.
  ~PostgresStore() override { leave(); }

  std::uint64_t instance() const override { return instance_; }

  void followHolds(std::uint64_t cursor, const HoldFollower& follower) override {
    std::lock_guard lock(follow_mutex_);
    followed_ = cursor;
    follower_ = follower;
    unapplied_.clear();
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
    if (left_) return;
    left_ = true;
    // No new connection for it: the writer (nothing writes any more) when there is no other.
    PgConnection& db = coordination_ ? *coordination_ : *writer_;
    (void)db.run("DELETE FROM instances WHERE number = $1", {number(instance_)}, "leave");
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
      PostgresTransaction tx(*writer_, instance_,
                             {.lock =
                                  [this] {
                                    writer_->defer(
                                        fmt::format("SELECT pg_advisory_xact_lock({})", kWriteLock),
                                        false, {}, "lock");
                                  },
                              .catchUp = [this] { return catchUp(*writer_); }});
      // Statements without an answer to wait for go with the next that has one: BEGIN and
      // SAVEPOINT with a work's first read, hold and event writes with the COMMIT.
      std::string txid;  // to ask, if the answer to COMMIT is lost, whether it happened
      GroupCommit::commitBatch(
          batch, tx,
          {.begin =
               [&] {
                 writer_->defer("BEGIN", false, {}, "begin");
                 writer_->defer("SELECT txid_current()", false, {}, "begin",
                                [&](const PgResult& r) { txid = r.text(0, 0); });
                 return Status::ok();
               },
           .commit = [&]() -> Status {
             // Not COMMIT before the transaction's id is known: without it a lost answer
             // to COMMIT could not be settled.
             if (txid.empty()) {
               LP_RETURN_IF_ERROR(writer_->flush());
             }
             Status s = writer_->exec("COMMIT", "commit");
             if (s.code() != StatusCode::Unavailable) return s;
             return commitOutcome(txid, s);
           },
           .rollback =
               [&] {
                 writer_->discard();
                 return writer_->exec("ROLLBACK", "roll back");
               },
           .savepoint =
               [&] {
                 tx.workStarts();
                 writer_->defer("SAVEPOINT work", false, {}, "savepoint");
                 return Status::ok();
               },
           .rollback_to_savepoint =
               [&] {
                 tx.workRolledBack();
                 // What the work deferred is sent first (a pipeline after an error runs nothing,
                 // so not in the same one): the savepoint must exist to roll back to.
                 (void)writer_->flush();
                 return writer_->exec("ROLLBACK TO SAVEPOINT work", "roll back to the savepoint");
               },
           // Not released: the next SAVEPOINT of the same name nests, ROLLBACK TO takes the
           // newest, COMMIT takes them all; a round trip per work saved.
           .release_savepoint = [] { return Status::ok(); },
           .end_work = [&] { return writer_->flush(); }});
    });
  }

  Status read(const std::function<Status(StoreTransaction&)>& work) override {
    LP_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> reader, takeReader());
    // BEGIN goes with the first read; a work that read nothing began nothing.
    reader->defer("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", false, {}, "begin a read");
    PostgresTransaction tx(*reader, instance_);
    Status result = work(tx);
    if (reader->deferring()) {
      reader->discard();
    } else {
      (void)reader->exec("ROLLBACK", "end a read");
    }
    std::lock_guard lock(readers_mutex_);
    readers_.push_back(std::move(reader));
    return result;
  }

 private:
  // Hands the follower what the other instances committed since it last looked, after what it
  // could not apply before (our holds that were in the way may be gone). Returns, when some are
  // left, which holds they block (none: caught up).
  Result<std::function<bool(const HoldRecord&)>> catchUp(PgConnection& db) {
    std::lock_guard lock(follow_mutex_);
    if (!follower_.apply) return std::function<bool(const HoldRecord&)>();
    LP_ASSIGN_OR_RETURN(
        PgResult r, db.run("SELECT seq, hold_id, owner, body FROM hold_changes WHERE seq > $1 AND "
                           "instance <> $2 ORDER BY seq",
                           {number(followed_), number(instance_)}, "read hold changes"));
    if (r.rows() == 0 && unapplied_.empty()) return std::function<bool(const HoldRecord&)>();
    std::vector<HoldChange> changes = std::move(unapplied_);
    changes.reserve(changes.size() + static_cast<std::size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) {
      const bool deleted = PQgetisnull(r.get(), i, 3) != 0;
      changes.push_back(
          {.cursor = r.unsignedInteger(i, 0),
           .hold = {r.unsignedInteger(i, 1), r.text(i, 2), deleted ? std::string() : r.text(i, 3)},
           .deleted = deleted});
    }
    if (r.rows() > 0) followed_ = changes.back().cursor;
    unapplied_ = follower_.apply(changes);
    if (unapplied_.empty()) return std::function<bool(const HoldRecord&)>();
    return std::function<bool(const HoldRecord&)>(
        [blocks = follower_.blocks, pending = unapplied_](const HoldRecord& h) {
          return !blocks || blocks(h, pending);
        });
  }

  // The server went away during COMMIT: the transaction may or may not have committed, and
  // the ledger must agree with the database. Asks the server again (it may be restarting) for
  // up to 30 s; unknown after that is reported as the lost COMMIT's error.
  Status commitOutcome(const std::string& txid, const Status& lost) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      if (writer_->ensure().isOk()) {
        auto status = writer_->run("SELECT txid_status($1)", {txid}, "ask whether it committed");
        if (status && status->text(0, 0) == "committed") return Status::ok();
        if (status && status->text(0, 0) != "in progress") return lost;  // aborted
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return lost.withContext("the outcome of a COMMIT is unknown");
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
  std::uint64_t followed_ = 0;         // the last hold change read
  std::vector<HoldChange> unapplied_;  // read, not applied yet (in the way of holds of ours)
  HoldFollower follower_;
  std::mutex coordination_mutex_;
  std::unique_ptr<PgConnection> coordination_;
  bool leading_ = false;
  bool left_ = false;
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