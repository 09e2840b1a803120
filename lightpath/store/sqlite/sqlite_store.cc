// SQLite adapter: one writing connection with group commit, a pool of reading ones, prepared
// statements per call.
#include "lightpath/store/sqlite/sqlite_store.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <mutex>
#include <unordered_map>
#include <vector>

#include "lightpath/store/group_commit.h"
#include "lightpath/store/sqlite/checkpointer.h"
#include "lightpath/store/sqlite/schema.h"

namespace lightpath {
namespace {

constexpr int kSchemaVersion = static_cast<int>(std::size(kSqliteMigrations));

// Prepared statements kept per database handle: compiling one costs more than running most of
// ours. A statement is taken out while in use (so a nested use of the same SQL compiles a
// second one) and put back reset; forget() finalizes a handle's before it is closed.
class StatementCache {
 public:
  static sqlite3_stmt* take(sqlite3* db, const char* sql, int* status) {
    {
      std::lock_guard lock(mutex());
      auto& of_db = cache()[db];
      if (auto it = of_db.find(sql); it != of_db.end()) {
        sqlite3_stmt* stmt = it->second;
        of_db.erase(it);
        *status = SQLITE_OK;
        return stmt;
      }
    }
    sqlite3_stmt* stmt = nullptr;
    *status = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    return stmt;
  }
  static void give(sqlite3* db, sqlite3_stmt* stmt) {
    if (!stmt) return;
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    std::lock_guard lock(mutex());
    auto& of_db = cache()[db];
    if (!of_db.emplace(sqlite3_sql(stmt), stmt).second) sqlite3_finalize(stmt);
  }
  static void forget(sqlite3* db) {
    std::lock_guard lock(mutex());
    auto it = cache().find(db);
    if (it == cache().end()) return;
    for (auto& [sql, stmt] : it->second) sqlite3_finalize(stmt);
    cache().erase(it);
  }

 private:
  static std::mutex& mutex() {
    static std::mutex m;
    return m;
  }
  static std::unordered_map<sqlite3*, std::unordered_map<std::string, sqlite3_stmt*>>& cache() {
    static std::unordered_map<sqlite3*, std::unordered_map<std::string, sqlite3_stmt*>> c;
    return c;
  }
};

void closeDatabase(sqlite3* db) {
  StatementCache::forget(db);
  sqlite3_close(db);
}

class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : db_(db) {
    stmt_ = StatementCache::take(db, sql, &status_);
  }
  ~Statement() { StatementCache::give(db_, stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool ok() const { return status_ == SQLITE_OK; }
  Statement& bind(int i, const std::string& v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind(int i, std::int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  int step() { return sqlite3_step(stmt_); }
  std::string text(int col) const { return std::string(view(col)); }
  // Valid until the next step (or reset) of the statement.
  std::string_view view(int col) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string_view();
  }
  std::int64_t integer(int col) const { return sqlite3_column_int64(stmt_, col); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  int status_;
};

Status sqliteError(sqlite3* db, std::string_view what) {
  return unavailable(fmt::format("sqlite: {}: {}", what, sqlite3_errmsg(db)));
}

Status exec(sqlite3* db, const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    Status s = unavailable(fmt::format("sqlite: {}", error ? error : "error"));
    sqlite3_free(error);
    return s;
  }
  return Status::ok();
}

class SqliteTransaction final : public StoreTransaction {
 public:
  explicit SqliteTransaction(sqlite3* db) : db_(db) {}

  Result<std::optional<ConnectionRecord>> connection(const std::string& id) override {
    Statement s(db_, "SELECT id, tenant, state, version, body FROM connections WHERE id = ?");
    if (!s.ok()) return fail(sqliteError(db_, "read connection"));
    s.bind(1, id);
    const int rc = s.step();
    if (rc == SQLITE_DONE) return std::optional<ConnectionRecord>();
    if (rc != SQLITE_ROW) return fail(sqliteError(db_, "read connection"));
    return std::optional<ConnectionRecord>(row(s));
  }

  Status putConnection(const ConnectionRecord& r, std::optional<std::uint64_t> expected) override {
    if (expected) {
      Statement version(db_, "SELECT version FROM connections WHERE id = ?");
      if (!version.ok()) return sqliteError(db_, "read connection version");
      version.bind(1, r.id);
      const int rc = version.step();
      if (rc != SQLITE_ROW && rc != SQLITE_DONE) return sqliteError(db_, "read connection version");
      const std::uint64_t stored =
          rc == SQLITE_ROW ? static_cast<std::uint64_t>(version.integer(0)) : 0;
      if (stored != *expected) {
        return {StatusCode::Aborted,
                fmt::format("connection {} changed meanwhile: version {} expected, {} stored", r.id,
                            *expected, stored)};
      }
    }
    Statement s(db_,
                "INSERT INTO connections (id, tenant, state, version, body) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET tenant = excluded.tenant, state = excluded.state, "
                "version = excluded.version, body = excluded.body");
    if (!s.ok()) return sqliteError(db_, "write connection");
    s.bind(1, r.id)
        .bind(2, r.tenant)
        .bind(3, r.state)
        .bind(4, static_cast<std::int64_t>(r.version))
        .bind(5, r.body);
    if (s.step() != SQLITE_DONE) return sqliteError(db_, "write connection");
    return Status::ok();
  }

  Result<std::vector<ConnectionRecord>> connections(const ConnectionQuery& q,
                                                    std::size_t* total) override {
    if (!q.terms.empty()) return connectionsWithTerms(q, total);
    // Only the terms asked for, so that the planner picks the index that serves them.
    std::string where = "WHERE 1";
    if (q.tenant) where += " AND tenant = ?1";
    if (q.state) where += " AND state = ?2";
    const std::string kept = where;  // what connection_counts counts
    if (q.after_id) where += " AND id > ?5";
    if (q.before_id) where += " AND id < ?6";
    if (total) {
      // Without a range of ids, the kept count: no scan.
      Statement count(
          db_,
          q.after_id || q.before_id
              ? fmt::format("SELECT COUNT(*) FROM connections {}", where).c_str()
              : fmt::format("SELECT COALESCE(SUM(n), 0) FROM connection_counts {}", kept).c_str());
      if (!count.ok()) return fail(sqliteError(db_, "count connections"));
      bindQuery(count, q);
      if (count.step() != SQLITE_ROW) return fail(sqliteError(db_, "count connections"));
      *total = static_cast<std::size_t>(count.integer(0));
    }
    Statement s(
        db_,
        fmt::format("SELECT id, tenant, state, version, body FROM connections {} ORDER BY id{} "
                    "LIMIT ?3 OFFSET ?4",
                    where, q.newest_first ? " DESC" : "")
            .c_str());
    if (!s.ok()) return fail(sqliteError(db_, "list connections"));
    bindQuery(s, q);
    s.bind(3, static_cast<std::int64_t>(q.limit)).bind(4, static_cast<std::int64_t>(q.offset));
    return rows(s);
  }

  Status putHold(const HoldRecord& h) override {
    Statement s(
        db_,
        "INSERT INTO holds (id, owner, body) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
        "owner = excluded.owner, body = excluded.body");
    if (!s.ok()) return sqliteError(db_, "write hold");
    s.bind(1, static_cast<std::int64_t>(h.id)).bind(2, h.owner).bind(3, h.body);
    if (s.step() != SQLITE_DONE) return sqliteError(db_, "write hold");
    return Status::ok();
  }

  Status deleteHold(std::uint64_t id) override {
    Statement s(db_, "DELETE FROM holds WHERE id = ?");
    if (!s.ok()) return sqliteError(db_, "delete hold");
    s.bind(1, static_cast<std::int64_t>(id));
    if (s.step() != SQLITE_DONE) return sqliteError(db_, "delete hold");
    if (sqlite3_changes(db_) == 0) return notFound(fmt::format("no hold {}", id));
    return Status::ok();
  }

  Status eachHold(const std::function<Status(const HoldView&)>& each) override {
    Statement s(db_, "SELECT id, owner, body FROM holds ORDER BY id");
    if (!s.ok()) return sqliteError(db_, "read holds");
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
      LP_RETURN_IF_ERROR(each({static_cast<std::uint64_t>(s.integer(0)), s.view(1), s.view(2)}));
    }
    if (rc != SQLITE_DONE) return sqliteError(db_, "read holds");
    return Status::ok();
  }

  Result<std::uint64_t> appendEvent(const EventRecord& e) override {
    Statement s(db_,
                "INSERT INTO events (type, subject, tenant, at_us, body) VALUES (?, ?, ?, ?, ?)");
    if (!s.ok()) return fail(sqliteError(db_, "append event"));
    s.bind(1, e.type).bind(2, e.subject).bind(3, e.tenant).bind(4, e.at_us).bind(5, e.body);
    if (s.step() != SQLITE_DONE) return fail(sqliteError(db_, "append event"));
    return static_cast<std::uint64_t>(sqlite3_last_insert_rowid(db_));
  }

  Result<std::vector<EventRecord>> eventsAfter(std::uint64_t cursor, std::size_t limit) override {
    Statement s(db_,
                "SELECT cursor, type, subject, tenant, at_us, body FROM events WHERE cursor > ? "
                "ORDER BY cursor LIMIT ?");
    if (!s.ok()) return fail(sqliteError(db_, "read events"));
    s.bind(1, static_cast<std::int64_t>(cursor)).bind(2, static_cast<std::int64_t>(limit));
    std::vector<EventRecord> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
      out.push_back({static_cast<std::uint64_t>(s.integer(0)), s.text(1), s.text(2), s.text(3),
                     s.integer(4), s.text(5)});
    }
    if (rc != SQLITE_DONE) return fail(sqliteError(db_, "read events"));
    return out;
  }

  Result<std::uint64_t> lastEventCursor() override {
    Statement s(db_, "SELECT COALESCE(MAX(cursor), 0) FROM events");
    if (!s.ok() || s.step() != SQLITE_ROW) return fail(sqliteError(db_, "read the last event"));
    return static_cast<std::uint64_t>(s.integer(0));
  }

  Result<std::size_t> deleteEventsBefore(std::int64_t at_us, std::size_t limit) override {
    Statement s(db_,
                "DELETE FROM events WHERE cursor IN (SELECT cursor FROM events WHERE at_us < ? "
                "ORDER BY cursor LIMIT ?)");
    if (!s.ok()) return fail(sqliteError(db_, "delete events"));
    s.bind(1, at_us).bind(2, static_cast<std::int64_t>(limit));
    if (s.step() != SQLITE_DONE) return fail(sqliteError(db_, "delete events"));
    return static_cast<std::size_t>(sqlite3_changes(db_));
  }

  Status putDocument(const DocumentRecord& d) override {
    Statement s(
        db_,
        "INSERT INTO documents (kind, id, tenant, body) VALUES (?, ?, ?, ?) ON CONFLICT (kind, id) "
        "DO UPDATE SET tenant = excluded.tenant, body = excluded.body");
    if (!s.ok()) return sqliteError(db_, "write document");
    s.bind(1, d.kind).bind(2, d.id).bind(3, d.tenant).bind(4, d.body);
    if (s.step() != SQLITE_DONE) return sqliteError(db_, "write document");
    return Status::ok();
  }

  Result<std::optional<DocumentRecord>> document(const std::string& kind,
                                                 const std::string& id) override {
    Statement s(db_, "SELECT kind, id, tenant, body, seq FROM documents WHERE kind = ? AND id = ?");
    if (!s.ok()) return fail(sqliteError(db_, "read document"));
    s.bind(1, kind).bind(2, id);
    const int rc = s.step();
    if (rc == SQLITE_DONE) return std::optional<DocumentRecord>();
    if (rc != SQLITE_ROW) return fail(sqliteError(db_, "read document"));
    return std::optional<DocumentRecord>(documentRow(s));
  }

  Status deleteDocument(const std::string& kind, const std::string& id) override {
    Statement s(db_, "DELETE FROM documents WHERE kind = ? AND id = ?");
    if (!s.ok()) return sqliteError(db_, "delete document");
    s.bind(1, kind).bind(2, id);
    if (s.step() != SQLITE_DONE) return sqliteError(db_, "delete document");
    if (sqlite3_changes(db_) == 0) return notFound(fmt::format("no {} {}", kind, id));
    return Status::ok();
  }

  Result<std::vector<DocumentRecord>> documents(const DocumentQuery& q,
                                                std::size_t* total) override {
    const char* where = "WHERE kind = ?1 AND (?2 IS NULL OR tenant = ?2)";
    auto bind = [&](Statement& s) {
      s.bind(1, q.kind);
      if (q.tenant) s.bind(2, *q.tenant);
    };
    if (total) {
      Statement count(db_, fmt::format("SELECT COUNT(*) FROM documents {}", where).c_str());
      if (!count.ok()) return fail(sqliteError(db_, "count documents"));
      bind(count);
      if (count.step() != SQLITE_ROW) return fail(sqliteError(db_, "count documents"));
      *total = static_cast<std::size_t>(count.integer(0));
    }
    Statement s(db_, fmt::format("SELECT kind, id, tenant, body, seq FROM documents {} AND (?5 IS "
                                 "NULL OR seq {} ?5) ORDER BY seq {} LIMIT ?3 OFFSET ?4",
                                 where, q.newest_first ? "<" : ">", q.newest_first ? "DESC" : "ASC")
                         .c_str());
    if (!s.ok()) return fail(sqliteError(db_, "list documents"));
    bind(s);
    s.bind(3, static_cast<std::int64_t>(q.limit)).bind(4, static_cast<std::int64_t>(q.offset));
    if (q.after_seq) s.bind(5, static_cast<std::int64_t>(*q.after_seq));
    std::vector<DocumentRecord> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) out.push_back(documentRow(s));
    if (rc != SQLITE_DONE) return fail(sqliteError(db_, "list documents"));
    return out;
  }

 private:
  static DocumentRecord documentRow(const Statement& s) {
    return {s.text(0), s.text(1), s.text(2), s.text(3), static_cast<std::uint64_t>(s.integer(4))};
  }
  static ConnectionRecord row(const Statement& s) {
    return {s.text(0), s.text(1), s.text(2), static_cast<std::uint64_t>(s.integer(3)), s.text(4)};
  }
  // Every row a page of connections reads.
  Result<std::vector<ConnectionRecord>> rows(Statement& s) {
    std::vector<ConnectionRecord> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) out.push_back(row(s));
    if (rc != SQLITE_DONE) return fail(sqliteError(db_, "list connections"));
    return out;
  }

  // Read from the first term's index (with the tenant's, when there is one), each further term
  // looked up by its key; the state is checked on the connection itself.
  Result<std::vector<ConnectionRecord>> connectionsWithTerms(const ConnectionQuery& q,
                                                             std::size_t* total) {
    std::string where = "WHERE t.term = ?7";
    if (q.tenant) where += " AND t.tenant = ?1";
    if (q.state) where += " AND c.state = ?2";
    if (q.after_id) where += " AND t.id > ?5";
    if (q.before_id) where += " AND t.id < ?6";
    for (std::size_t i = 1; i < q.terms.size(); ++i) {
      where += fmt::format(
          " AND EXISTS (SELECT 1 FROM connection_terms u WHERE u.term = ?{} AND u.id = t.id)",
          7 + i);
    }
    const std::string from = "FROM connection_terms t JOIN connections c ON c.id = t.id " + where;
    auto bind = [&](Statement& s) {
      bindQuery(s, q);
      for (std::size_t i = 0; i < q.terms.size(); ++i) s.bind(static_cast<int>(7 + i), q.terms[i]);
    };
    if (total) {  // a count of every match: callers that page without one pass no `total`
      Statement count(db_, fmt::format("SELECT COUNT(*) {}", from).c_str());
      if (!count.ok()) return fail(sqliteError(db_, "count connections"));
      bind(count);
      if (count.step() != SQLITE_ROW) return fail(sqliteError(db_, "count connections"));
      *total = static_cast<std::size_t>(count.integer(0));
    }
    Statement s(db_, fmt::format("SELECT c.id, c.tenant, c.state, c.version, c.body {} ORDER BY "
                                 "t.id{} LIMIT ?3 OFFSET ?4",
                                 from, q.newest_first ? " DESC" : "")
                         .c_str());
    if (!s.ok()) return fail(sqliteError(db_, "list connections"));
    bind(s);
    s.bind(3, static_cast<std::int64_t>(q.limit)).bind(4, static_cast<std::int64_t>(q.offset));
    return rows(s);
  }

  static void bindQuery(Statement& s, const ConnectionQuery& q) {
    if (q.tenant) s.bind(1, *q.tenant);
    if (q.state) s.bind(2, *q.state);
    if (q.after_id) s.bind(5, *q.after_id);
    if (q.before_id) s.bind(6, *q.before_id);
  }

  sqlite3* db_;
};

// Writes: one connection, transactions committed in groups (group_commit.h).
// Reads: a pool of read-only connections, each on its own snapshot (WAL lets them run beside
// the writer).
class SqliteStore final : public Store {
 public:
  SqliteStore(sqlite3* db, std::string path, std::unique_ptr<Checkpointer> checkpointer)
      : db_(db), path_(std::move(path)), checkpointer_(std::move(checkpointer)) {}
  ~SqliteStore() override {
    checkpointer_.reset();  // before the writer closes: its close checkpoints what is left
    for (sqlite3* reader : readers_) closeDatabase(reader);
    closeDatabase(db_);
  }

  Status transact(const std::function<Status(StoreTransaction&)>& work) override {
    return group_.run(work, [this](GroupCommit::Batch& batch) {
      SqliteTransaction tx(db_);
      auto run = [this](const char* sql) { return [this, sql] { return exec(db_, sql); }; };
      GroupCommit::commitBatch(batch, tx,
                               {.begin = run("BEGIN IMMEDIATE"),
                                .commit = run("COMMIT"),
                                .rollback = run("ROLLBACK"),
                                .savepoint = run("SAVEPOINT work"),
                                .rollback_to_savepoint = run("ROLLBACK TO work"),
                                .release_savepoint = run("RELEASE work")});
    });
  }

  Status read(const std::function<Status(StoreTransaction&)>& work) override {
    LP_ASSIGN_OR_RETURN(auto reader, takeReader());
    Status result = exec(reader, "BEGIN");
    if (result.isOk()) {
      SqliteTransaction tx(reader);
      result = work(tx);
      (void)exec(reader, "COMMIT");
    }
    std::lock_guard lock(readers_mutex_);
    free_readers_.push_back(reader);
    return result;
  }

 private:
  Result<sqlite3*> takeReader() {
    {
      std::lock_guard lock(readers_mutex_);
      if (!free_readers_.empty()) {
        sqlite3* reader = free_readers_.back();
        free_readers_.pop_back();
        return reader;
      }
    }
    sqlite3* reader = nullptr;
    if (sqlite3_open_v2(path_.c_str(), &reader, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK) {
      Status s = unavailable(fmt::format("{}: cannot open for reading: {}", path_,
                                         reader ? sqlite3_errmsg(reader) : "out of memory"));
      sqlite3_close(reader);
      return fail(s);
    }
    sqlite3_busy_timeout(reader, 5000);
    (void)exec(reader, "PRAGMA cache_size = -8192");
    (void)exec(reader, "PRAGMA mmap_size = 268435456");
    (void)exec(reader, "PRAGMA temp_store = MEMORY");
    std::lock_guard lock(readers_mutex_);
    readers_.push_back(reader);
    return reader;
  }

  sqlite3* db_;
  std::string path_;
  std::unique_ptr<Checkpointer> checkpointer_;
  GroupCommit group_;
  std::mutex readers_mutex_;
  std::vector<sqlite3*> readers_, free_readers_;
};

Status migrate(sqlite3* db, const std::string& path) {
  Statement version(db, "PRAGMA user_version");
  if (!version.ok() || version.step() != SQLITE_ROW) return sqliteError(db, "read schema version");
  const auto current = static_cast<int>(version.integer(0));
  if (current > kSchemaVersion) {
    return failedPrecondition(
        fmt::format("{}: schema version {} is newer than this Lightpath's {}; upgrade "
                    "Lightpath",
                    path, current, kSchemaVersion));
  }
  for (int v = current; v < kSchemaVersion; ++v) {
    LP_RETURN_IF_ERROR(exec(db, "BEGIN IMMEDIATE"));
    Status s = exec(db, kSqliteMigrations[v]);
    if (s.isOk()) s = exec(db, fmt::format("PRAGMA user_version = {}", v + 1).c_str());
    if (!s.isOk()) {
      (void)exec(db, "ROLLBACK");
      return s.withContext(fmt::format("{}: migration to schema {}", path, v + 1));
    }
    LP_RETURN_IF_ERROR(exec(db, "COMMIT"));
  }
  return Status::ok();
}

}  // namespace

Result<std::unique_ptr<Store>> openSqliteStore(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    Status s = unavailable(
        fmt::format("{}: cannot open: {}", path, db ? sqlite3_errmsg(db) : "out of memory"));
    sqlite3_close(db);
    return fail(s);
  }
  sqlite3_busy_timeout(db, 5000);
  // WAL for readers beside the writer; FULL so a commit is on disk before it is acknowledged.
  // A 64 MiB page cache and memory-mapped reads: start-up reads every live connection.
  // Temporary tables and statement journals in memory: on files, a group's savepoints opened,
  // unlinked and closed one in /var/tmp every other commit.
  for (const char* pragma : {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL",
                             "PRAGMA foreign_keys = ON", "PRAGMA cache_size = -65536",
                             "PRAGMA mmap_size = 268435456", "PRAGMA temp_store = MEMORY"}) {
    if (Status s = exec(db, pragma); !s.isOk()) {
      sqlite3_close(db);
      return fail(s.withContext(path));
    }
  }
  if (Status s = migrate(db, path); !s.isOk()) {
    closeDatabase(db);
    return fail(s);
  }
  auto checkpointer = Checkpointer::start(db, path);
  if (!checkpointer) {
    closeDatabase(db);
    return fail(checkpointer.error());
  }
  return std::unique_ptr<Store>(new SqliteStore(db, path, std::move(*checkpointer)));
}

}  // namespace lightpath
