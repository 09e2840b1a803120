// Group commit for an adapter with one writing connection: whoever finds no commit under way
// leads: it takes every transaction queued so far, runs each inside its own savepoint (a failed
// one is rolled back alone; a lone one needs none), commits once, and hands each caller its
// result. Callers wait until the commit that holds their work is durable. One fsync (and, on a
// server, one round trip for the commit) serves many transactions.
//
//   GroupCommit group;
//   return group.run(work, [&](GroupCommit::Batch& batch) { commitOnMyConnection(batch); });
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <vector>

#include "lightpath/store/store.h"

namespace lightpath {

class GroupCommit {
 public:
  using Work = std::function<Status(StoreTransaction&)>;
  struct Pending {
    const Work* work;
    Status result;
    bool done = false;
  };
  using Batch = std::vector<Pending*>;

  // What a batch needs of the database: statements run on the writing connection.
  struct Steps {
    std::function<Status()> begin, commit, rollback;
    std::function<Status()> savepoint, rollback_to_savepoint, release_savepoint;
    // After a work that succeeded, in a batch of several: what it sent later must be done
    // before the next starts (its error is that work's). Optional.
    std::function<Status()> end_work;
  };

  // Runs `work` in the next batch; `commit` is called by the leader with the whole batch and
  // must set every result.
  Status run(const Work& work, const std::function<void(Batch&)>& commit) {
    Pending me{&work};
    std::unique_lock lock(mutex_);
    queue_.push_back(&me);
    committed_.wait(lock, [&] { return me.done || !leading_; });
    if (me.done) return me.result;
    leading_ = true;
    Batch batch;
    batch.swap(queue_);
    lock.unlock();
    commit(batch);
    lock.lock();
    leading_ = false;
    for (Pending* p : batch) p->done = true;
    committed_.notify_all();
    return me.result;
  }

  // The usual batch: begin, each work in a savepoint, commit if any succeeded.
  static void commitBatch(Batch& batch, StoreTransaction& tx, const Steps& steps) {
    if (Status begun = steps.begin(); !begun.isOk()) {
      for (Pending* p : batch) p->result = begun;
      return;
    }
    const bool alone = batch.size() == 1;
    bool any = false;
    for (Pending* p : batch) {
      if (!alone) {
        if (Status s = steps.savepoint(); !s.isOk()) {
          p->result = s;
          continue;
        }
      }
      p->result = (*p->work)(tx);
      if (!alone && p->result.isOk() && steps.end_work) p->result = steps.end_work();
      if (!alone) {
        if (!p->result.isOk()) (void)steps.rollback_to_savepoint();
        (void)steps.release_savepoint();
      }
      any = any || p->result.isOk();
    }
    if (!any) {
      (void)steps.rollback();
      return;
    }
    if (Status committed = steps.commit(); !committed.isOk()) {
      (void)steps.rollback();
      for (Pending* p : batch) {
        if (p->result.isOk()) p->result = committed;
      }
    }
  }

 private:
  std::mutex mutex_;
  std::condition_variable committed_;
  Batch queue_;
  bool leading_ = false;
};

}  // namespace lightpath
