// Per-connection queues over a small thread pool: a connection id is in `ready_` only while it
// has queued jobs and none running, so one connection's jobs never overlap.
#include "lightpath/orchestrator/workflow_runner.h"

#include "lightpath/base/log.h"

namespace lightpath {

WorkflowRunner::WorkflowRunner(Provisioner& provisioner, const Clock& clock, Options options,
                               Listener listener)
    : provisioner_(provisioner), clock_(clock), options_(options), listener_(std::move(listener)) {
  for (std::size_t i = 0; i < std::max<std::size_t>(1, options_.threads); ++i)
    threads_.emplace_back([this] { work(); });
  if (options_.tick.count() > 0) {
    ticker_ = std::thread([this] { tick(); });
    drift_watch_ = std::thread([this] { watchDrift(); });
  }
}

WorkflowRunner::~WorkflowRunner() { stop(); }

void WorkflowRunner::activate(const std::string& id) {
  submit(id, "activate", [this, id] { return provisioner_.activate(id); });
}

void WorkflowRunner::terminate(const std::string& id, const std::string& actor) {
  terminateAttempt(id, actor, 0);
}

// A device that did not answer leaves the connection deprovisioning: it is asked again after
// 1 s, 2 s, 4 s ... (Options::retry doubling) at most a minute apart, until the configuration
// is gone. Other failures
// (a device refusing the removal) are the operator's to look at, as reported.
void WorkflowRunner::terminateAttempt(const std::string& id, const std::string& actor,
                                      int attempt) {
  {
    std::lock_guard lock(mutex_);
    retries_.erase(id);  // this attempt supersedes a planned one
  }
  submit(id, "terminate", [this, id, actor, attempt] {
    Status result = provisioner_.terminate(id, actor);
    if (result.code() == StatusCode::Unavailable) {
      const auto wait = std::min<std::chrono::milliseconds>(
          options_.retry * (1 << std::min(attempt, 6)), std::chrono::minutes(1));
      std::lock_guard lock(mutex_);
      retries_[id] = {
          .due = std::chrono::steady_clock::now() + wait, .actor = actor, .attempt = attempt + 1};
    }
    return result;
  });
}

void WorkflowRunner::finishModify(const std::string& id, std::uint64_t mbps) {
  submit(id, "modify", [this, id, mbps] { return provisioner_.finishModify(id, mbps); });
}

void WorkflowRunner::finishRotateKey(const std::string& id) {
  submit(id, "rotate-key", [this, id] { return provisioner_.finishRotateKey(id); });
}

void WorkflowRunner::submit(const std::string& id, const char* name, std::function<Status()> work) {
  Job job = [this, id, name, work = std::move(work)] {
    const auto start = std::chrono::steady_clock::now();
    Status result = work();
    const auto took = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - start);
    if (!result.isOk()) log().warn("workflow {} of {}: {}", name, id, result.toString());
    if (listener_) listener_(id, name, result, took);
  };
  std::lock_guard lock(mutex_);
  if (stopping_) return;
  auto& queue = queues_[id];
  if (queue.empty())
    ready_.push_back(id);  // an id already queued or running is handed on by its worker
  queue.push_back(std::move(job));
  ++pending_;
  wake_.notify_one();
}

void WorkflowRunner::work() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [&] { return stopping_ || !ready_.empty(); });
    if (stopping_) return;
    const std::string id = std::move(ready_.front());
    ready_.pop_front();
    Job job = std::move(queues_[id].front());  // stays in the queue (as a husk) while running
    lock.unlock();
    job();
    lock.lock();
    auto& queue = queues_[id];
    queue.pop_front();
    if (queue.empty()) {
      queues_.erase(id);
    } else {
      ready_.push_back(id);
      wake_.notify_one();
    }
    if (--pending_ == 0) idle_.notify_all();
  }
}

void WorkflowRunner::tick() {
  std::unique_lock lock(mutex_);
  while (!stopped_.wait_for(lock, options_.tick, [&] { return stopping_; })) {
    lock.unlock();
    if (auto moved = provisioner_.runSchedule(clock_.now()); !moved) {
      log().error("schedule: {}", moved.error().toString());
    }
    retryDue();
    // Work an instance that stopped left unfinished (instances sharing a store).
    if (auto orphans = provisioner_.claimOrphans(); !orphans) {
      log().warn("claiming unfinished work: {}", orphans.error().toString());
    } else {
      for (const std::string& id : *orphans)
        submit(id, "resume", [this, id] { return provisioner_.resume(id); });
    }
    lock.lock();
  }
}

void WorkflowRunner::watchDrift() {
  const auto stopped = [this] {
    std::lock_guard lock(mutex_);
    return stopping_;
  };
  std::unique_lock lock(mutex_);
  while (!stopped_.wait_for(lock, options_.tick, [&] { return stopping_; })) {
    lock.unlock();
    provisioner_.watchDrift(clock_.now(), stopped);
    lock.lock();
  }
}

void WorkflowRunner::retryDue() {
  std::vector<std::pair<std::string, Retry>> due;
  {
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    for (auto it = retries_.begin(); it != retries_.end();) {
      if (it->second.due > now) {
        ++it;
        continue;
      }
      due.emplace_back(it->first, std::move(it->second));
      it = retries_.erase(it);
    }
  }
  for (auto& [id, retry] : due) {
    log().info("terminate of {}: trying again (attempt {})", id, retry.attempt + 1);
    terminateAttempt(id, retry.actor, retry.attempt);
  }
}

std::size_t WorkflowRunner::pending() const {
  std::lock_guard lock(mutex_);
  return pending_;
}

void WorkflowRunner::drain() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [&] { return pending_ == 0 || stopping_; });
}

void WorkflowRunner::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
    wake_.notify_all();
    idle_.notify_all();
    stopped_.notify_all();
  }
  for (std::thread& t : threads_) t.join();
  threads_.clear();
  if (ticker_.joinable()) ticker_.join();
  if (drift_watch_.joinable()) drift_watch_.join();
}

}  // namespace lightpath
