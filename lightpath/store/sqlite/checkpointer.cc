#include "lightpath/store/sqlite/checkpointer.h"

#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <utility>

#include "lightpath/base/log.h"

namespace lightpath {

Result<std::unique_ptr<Checkpointer>> Checkpointer::start(sqlite3* writer,
                                                          const std::string& path) {
  sqlite3* own = nullptr;
  if (sqlite3_open_v2(path.c_str(), &own, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) !=
          SQLITE_OK ||
      sqlite3_exec(own, "PRAGMA synchronous = FULL", nullptr, nullptr, nullptr) != SQLITE_OK) {
    Status s = unavailable(fmt::format("{}: cannot open for checkpoints: {}", path,
                                       own ? sqlite3_errmsg(own) : "out of memory"));
    sqlite3_close(own);
    return fail(s);
  }
  std::unique_ptr<Checkpointer> c(new Checkpointer(writer, own));
  c->thread_ = std::thread([raw = c.get()] { raw->run(); });
  // Replaces SQLite's automatic checkpoint (itself a WAL hook) on the writer.
  sqlite3_wal_hook(writer, &Checkpointer::onCommit, c.get());
  return c;
}

Checkpointer::~Checkpointer() {
  sqlite3_wal_hook(writer_, nullptr, nullptr);
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
  sqlite3_close(own_);
}

// On the writer's thread, after each commit, with the pages now in the log.
int Checkpointer::onCommit(void* self, sqlite3* db, const char* /*schema*/, int log_pages) {
  auto* c = static_cast<Checkpointer*>(self);
  bool wake = false, finish = false, force = false;
  {
    std::lock_guard lock(c->mutex_);
    if (log_pages < c->log_pages_) {  // this commit wrote from the log's start
      ++c->restarts_;
      c->seen_ = c->forced_at_ = 0;
    }
    c->log_pages_ = log_pages;
    finish = std::exchange(c->finish_, false);
    force = log_pages >= kWriterPages && log_pages >= c->forced_at_ + kPages;
    if (force) c->forced_at_ = log_pages;
    wake = c->due();
  }
  if (finish || force) {
    // No commit can come in while this one copies: done, it leaves the log empty for the next.
    int pages = 0, copied = 0;
    (void)sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &pages, &copied);
    ++c->by_writer_;
    if (force) {
      log().info("sqlite: the log reached {} pages; the commit copied {} back", log_pages, copied);
    }
  } else if (wake) {
    c->wake_.notify_one();
  }
  return SQLITE_OK;
}

void Checkpointer::run() {
  // Below the threads that answer: a checkpoint beside an order slowed the order (the slowest
  // 1% of orders at a million mostly overlapped one).
  (void)::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 19);
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || due(); });
    if (stopping_) return;
    lock.unlock();
    // PASSIVE: copies what no reader still needs and never waits for the writer, which goes on
    // appending to the log meanwhile.
    int pages = 0, copied = 0;
    const auto began = std::chrono::steady_clock::now();
    const int rc =
        sqlite3_wal_checkpoint_v2(own_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &pages, &copied);
    log().debug(
        "sqlite: checkpoint: {} of {} log pages copied back in {:.1f} ms{}", copied, pages,
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - began).count(),
        rc == SQLITE_OK ? "" : std::string(" (") + sqlite3_errstr(rc) + ")");
    lock.lock();
    ++by_thread_;
    // Not now (an I/O error, a lock: `pages` unset): try again once the log has grown kPages.
    seen_ = rc == SQLITE_OK ? pages : log_pages_;
    finish_ = rc == SQLITE_OK && pages >= kRestartPages;
  }
}

}  // namespace lightpath
