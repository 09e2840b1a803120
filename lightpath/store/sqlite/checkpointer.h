// Copies the write-ahead log back into the database file on a thread of its own. SQLite's own
// automatic checkpoint runs inside the COMMIT that takes the log past 1,000 pages: that commit
// (and every order waiting in its group) paid for writing the pages back and syncing the file,
// every few dozen orders; on a large book the pages lie far apart in a file too big to stay in
// memory, and that copy set the 99th percentile of an order.
#pragma once

#include <sqlite3.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "lightpath/base/status.h"

namespace lightpath {

class Checkpointer {
 public:
  // Takes over the checkpoints of `writer` (the one writing connection to `path`) on a
  // connection of its own. Unavailable when that connection cannot be opened.
  static Result<std::unique_ptr<Checkpointer>> start(sqlite3* writer, const std::string& path);
  // Stops before the writer closes (whose close checkpoints what is left).
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Checkpoints run so far: by the thread, and by the writer at kWriterPages (which should be
  // rare: a count that grows with the commits says the thread does not keep up).
  int checkpointsByThread() const { return by_thread_.load(); }
  int checkpointsByWriter() const { return by_writer_.load(); }

  static constexpr int kPages = 1000;  // new log pages that wake the thread (SQLite's default)
  // Past this the writer checkpoints itself, as SQLite would: the thread cannot keep up, and
  // the log must not grow without bound (64 MB of 4 KiB pages).
  static constexpr int kWriterPages = 16 * kPages;

 private:
  Checkpointer(sqlite3* writer, sqlite3* own) : writer_(writer), own_(own) {}
  static int onCommit(void* self, sqlite3* db, const char* schema, int log_pages);
  bool due() const { return log_pages_ >= backfilled_ + kPages; }
  void run();

  sqlite3* writer_;
  sqlite3* own_;
  std::mutex mutex_;
  std::condition_variable wake_;
  int log_pages_ = 0;   // pages in the log after the last commit
  int backfilled_ = 0;  // of those, copied back by the last checkpoint
  bool stopping_ = false;
  std::atomic<int> by_thread_{0}, by_writer_{0};
  std::thread thread_;
};

}  // namespace lightpath
