// The shared store: PostgreSQL, for several `lightpath serve` instances on one database.
// Migrations numbered in lightpath_schema (run under an advisory lock, so instances starting
// together migrate once); one writing connection per instance with group commit; a pool of
// reading connections on repeatable-read snapshots; lost connections are reopened on next use.
//
// Event cursors are handed out by one counter row updated in the writing transaction: its row
// lock orders event-writing transactions by commit, so a reader that has seen cursor N never
// sees a smaller one appear later, whichever instance wrote it.
#pragma once

#include <memory>
#include <string>

#include "lightpath/store/store.h"

namespace lightpath {

struct PostgresOptions {
  // A libpq connection URI or "key=value" string. The password may come from PGPASSWORD or a
  // passfile (PGPASSFILE) instead; it is never logged.
  std::string url;
  // Tables go in this schema (created if missing) instead of the user's default.
  std::string schema;
};

// Unavailable when the server cannot be reached; FailedPrecondition when the schema was written
// by a newer Lightpath. Messages name the server by `redactedUrl`.
Result<std::unique_ptr<Store>> openPostgresStore(const PostgresOptions& options);

// `url` with any password replaced by "***".
std::string redactedUrl(const std::string& url);

}  // namespace lightpath
