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

  // Checkpoints run so far: by the thread, and by the writer (the last pages before the log
  // starts over, or the bound kWriterPages). Starts over: the log written again from its start.
  int checkpointsByThread() const { return by_thread_.load(); }
  int checkpointsByWriter() const { return by_writer_.load(); }
  int logRestarts() const { return restarts_.load(); }

  // New log pages that wake the thread (16 MB). Fewer, larger copies beat SQLite's 1,000: each
  // copy slows the commits beside it (its writes and syncs share the disk), and a page written
  // by several orders in between is copied once.
  static constexpr int kPages = 4000;
  // The log starts over only after a checkpoint that leaves nothing behind, which the thread
  // cannot promise while commits go on. Once it has copied a log this long, the next commit
  // copies what came in meanwhile and the log starts over: one commit in some 500 orders.
  static constexpr int kRestartPages = 4 * kPages;
  // Past this the writer checkpoints whatever the thread has done (at most once per kPages new
  // pages): the thread does not keep up, or a reader holds the log, and it must not grow
  // without bound (256 MB of 4 KiB pages).
  static constexpr int kWriterPages = 16 * kPages;

 private:
  Checkpointer(sqlite3* writer, sqlite3* own) : writer_(writer), own_(own) {}
  static int onCommit(void* self, sqlite3* db, const char* schema, int log_pages);
  bool due() const { return log_pages_ >= seen_ + kPages; }
  void run();

  sqlite3* writer_;
  sqlite3* own_;
  std::mutex mutex_;
  std::condition_variable wake_;
  int log_pages_ = 0;    // pages in the log after the last commit
  int seen_ = 0;         // the log's length when the thread last looked
  int forced_at_ = 0;    // the log's length at the writer's last checkpoint past kWriterPages
  bool finish_ = false;  // the thread copied a log past kRestartPages: the writer ends it
  bool stopping_ = false;
  std::atomic<int> by_thread_{0}, by_writer_{0}, restarts_{0};
  std::thread thread_;
};

}  // namespace lightpath
