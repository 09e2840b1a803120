// One PostgreSQL server connection on libpq for the store adapter: statements prepared once per
// connection, text parameters, errors as Status (a lost server Unavailable, a conflict Aborted),
// reopened after the server dropped it. Internal to postgres/.
#pragma once

#include <fmt/format.h>
#include <libpq-fe.h>

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

  // Statements without parameters, one round trip; the last one's rows.
  Result<PgResult> query(const std::string& sql, std::string_view what) {
    PgResult r(PQexec(conn_, sql.c_str()));
    LP_RETURN_IF_ERROR(check(r, what));
    return r;
  }
  Status exec(const std::string& sql, std::string_view what) { return statusOf(query(sql, what)); }

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

inline std::string number(std::uint64_t v) { return std::to_string(v); }
inline std::string number(std::int64_t v) { return std::to_string(v); }

}  // namespace lightpath::pg
