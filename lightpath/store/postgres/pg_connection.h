// One PostgreSQL server connection on libpq for the store adapter: statements prepared once per
// connection, text parameters, errors as Status (a lost server Unavailable, a conflict Aborted),
// reopened after the server dropped it, and statements whose answer can wait sent along with the
// next one (libpq's pipeline mode: one round trip for several). Internal to postgres/.
#pragma once

#include <fmt/format.h>
#include <libpq-fe.h>

#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "lightpath/store/postgres/postgres_store.h"

namespace lightpath::pg {

using Param = std::optional<std::string>;

inline std::string trimmed(std::string m) {
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
  std::string text(int row, int col) const { return std::string(view(row, col)); }
  std::string_view view(int row, int col) const {  // valid while the result lives
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
    if (PQstatus(conn_) == CONNECTION_OK && !broken_) return Status::ok();
    deferred_.clear();
    broken_ = false;
    PQreset(conn_);
    ++sessions_;
    return setUp();
  }
  // How many sessions this connection has had: session state (locks) is gone when it changes.
  std::uint64_t sessions() const { return sessions_; }

  // Runs `sql` (prepared once per connection) with text parameters; nullopt is NULL. What was
  // deferred goes first, in the same round trip: its first error is this call's error.
  Result<PgResult> run(const char* sql, const std::vector<Param>& params, std::string_view what) {
    if (!deferred_.empty()) return pipeline(Statement{sql, true, params, std::string(what), {}});
    LP_ASSIGN_OR_RETURN(const std::string* name, prepared(sql, params.size(), what));
    const std::vector<const char*> values = texts(params);
    PgResult r(PQexecPrepared(conn_, name->c_str(), static_cast<int>(values.size()), values.data(),
                              nullptr, nullptr, 0));
    LP_RETURN_IF_ERROR(check(r, what));
    return r;
  }

  // Statements without parameters, one round trip; the last one's rows. What was deferred goes
  // first (then `sql` must be one statement).
  Result<PgResult> query(const std::string& sql, std::string_view what) {
    if (!deferred_.empty()) return pipeline(Statement{sql, false, {}, std::string(what), {}});
    PgResult r(PQexec(conn_, sql.c_str()));
    LP_RETURN_IF_ERROR(check(r, what));
    return r;
  }
  Status exec(const std::string& sql, std::string_view what) { return statusOf(query(sql, what)); }

  // Sends `sql` with the next statement instead of now: for statements whose answer is only
  // "done" (or, given `rows`, read when it comes). `prepare`: false for statements PostgreSQL
  // does not prepare (BEGIN, SAVEPOINT). Inside a transaction only: an error aborts the rest.
  void defer(std::string sql, bool prepare, std::vector<Param> params, std::string_view what,
             std::function<void(const PgResult&)> rows = {}) {
    deferred_.push_back(
        {std::move(sql), prepare, std::move(params), std::string(what), std::move(rows)});
  }
  bool deferring() const { return !deferred_.empty(); }
  // Sends what was deferred now.
  Status flush() { return deferred_.empty() ? Status::ok() : statusOf(pipeline(std::nullopt)); }
  // Forgets what was deferred (a transaction given up before it was sent).
  void discard() { deferred_.clear(); }

 private:
  struct Statement {
    std::string sql;
    bool prepare;
    std::vector<Param> params;
    std::string what;
    std::function<void(const PgResult&)> rows;
  };

  static std::vector<const char*> texts(const std::vector<Param>& params) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const Param& p : params) values.push_back(p ? p->c_str() : nullptr);
    return values;
  }

  Result<const std::string*> prepared(const std::string& sql, std::size_t params,
                                      std::string_view what) {
    auto it = prepared_.find(sql);
    if (it == prepared_.end()) {
      const std::string name = fmt::format("lp{}", prepared_.size() + 1);
      PgResult r(PQprepare(conn_, name.c_str(), sql.c_str(), static_cast<int>(params), nullptr));
      LP_RETURN_IF_ERROR(check(r, what));
      it = prepared_.emplace(sql, name).first;
    }
    return &it->second;
  }

  // The deferred statements and `last` in one round trip; `last`'s rows. The first error wins
  // (PostgreSQL skips the rest of a pipeline after one).
  Result<PgResult> pipeline(std::optional<Statement> last) {
    std::vector<Statement> batch = std::exchange(deferred_, {});
    if (last) batch.push_back(std::move(*last));
    std::vector<const std::string*> names;  // prepared outside the pipeline, once
    for (const Statement& s : batch) {
      const std::string* name = nullptr;
      if (s.prepare) {
        LP_ASSIGN_OR_RETURN(name, prepared(s.sql, s.params.size(), s.what));
      }
      names.push_back(name);
    }
    const std::string& what = batch.back().what;
    if (PQenterPipelineMode(conn_) != 1) return fail(lost(what));
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const std::vector<const char*> values = texts(batch[i].params);
      const int sent =
          names[i] ? PQsendQueryPrepared(conn_, names[i]->c_str(), static_cast<int>(values.size()),
                                         values.data(), nullptr, nullptr, 0)
                   : PQsendQueryParams(conn_, batch[i].sql.c_str(), 0, nullptr, nullptr, nullptr,
                                       nullptr, 0);
      if (sent != 1) return fail(lost(what));
    }
    if (PQpipelineSync(conn_) != 1) return fail(lost(what));
    // Each statement's one result (a null ends each), then the sync's.
    Status first = Status::ok();
    std::optional<PgResult> out;
    std::size_t next = 0;
    int nulls = 0;
    for (;;) {
      PgResult r(PQgetResult(conn_));
      if (!r.get()) {
        if (PQstatus(conn_) != CONNECTION_OK || ++nulls > 1) return fail(lost(what));
        continue;
      }
      nulls = 0;
      const ExecStatusType status = PQresultStatus(r.get());
      if (status == PGRES_PIPELINE_SYNC) break;
      if (next >= batch.size()) return fail(lost(what));
      Statement& s = batch[next++];
      if (status == PGRES_PIPELINE_ABORTED) continue;  // skipped after an error
      if (Status st = check(r, s.what); !st.isOk()) {
        if (first.isOk()) first = st;
      } else if (s.rows) {
        s.rows(r);
      }
      if (next == batch.size() && last) out.emplace(std::move(r));
    }
    if (PQexitPipelineMode(conn_) != 1) return fail(lost(what));
    if (!first.isOk()) return fail(first);
    if (next != batch.size()) return fail(lost(what));
    return out ? std::move(*out) : PgResult(nullptr);
  }

  // The pipeline's state is unknown: the connection is not used again before it is reopened.
  Status lost(std::string_view what) {
    broken_ = true;
    return unavailable(fmt::format("postgresql: {}: {}", what, trimmed(PQerrorMessage(conn_))));
  }

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
    if (code == "LP409") {  // ours: a stale version; its message says it all
      const char* primary = PQresultErrorField(r.get(), PG_DIAG_MESSAGE_PRIMARY);
      return {StatusCode::Aborted, primary ? primary : text};
    }
    if (code.starts_with("40") || code == "23505") return {StatusCode::Aborted, text};
    if (code == "25006") return failedPrecondition(text);  // a write in a read
    return internalError(text);
  }

  PostgresOptions options_;
  PGconn* conn_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL -> statement name
  std::uint64_t sessions_ = 1;
  std::vector<Statement> deferred_;
  bool broken_ = false;
};

inline std::string number(std::uint64_t v) { return std::to_string(v); }
inline std::string number(std::int64_t v) { return std::to_string(v); }

}  // namespace lightpath::pg
