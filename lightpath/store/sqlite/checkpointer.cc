#include "lightpath/store/sqlite/checkpointer.h"

#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <string>

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
  bool wake = false;
  {
    std::lock_guard lock(c->mutex_);
    if (log_pages < c->backfilled_) c->backfilled_ = 0;  // the log started over
    c->log_pages_ = log_pages;
    wake = c->due();
  }
  if (log_pages >= kWriterPages) {
    (void)sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    ++c->by_writer_;
    log().info("sqlite: the log reached {} pages; the commit checkpointed it", log_pages);
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
    if (rc == SQLITE_OK) {
      backfilled_ = copied;
    } else {
      // Not now (an I/O error, a lock): try again once the log has grown by another kPages.
      backfilled_ = log_pages_;
    }
  }
}

}  // namespace lightpath
