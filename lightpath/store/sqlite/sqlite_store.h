// The embedded default store: one SQLite file in WAL mode, fsync on every commit
// (synchronous=FULL), schema migrations numbered in user_version.
#pragma once

#include <memory>
#include <string>

#include "lightpath/store/store.h"

namespace lightpath {

// Opens (creating if needed) the database at `path` and brings its schema up to date.
// Unavailable when the file cannot be opened; FailedPrecondition when it was written by a newer
// Lightpath.
Result<std::unique_ptr<Store>> openSqliteStore(const std::string& path);

}  // namespace lightpath
