// The device call pool.
#include "lightpath/southbound/call_pool.h"

#include <fmt/format.h>

#include <algorithm>

namespace lightpath {

DeviceCallPool::DeviceCallPool(std::size_t threads) {
  for (std::size_t i = 0; i < std::max<std::size_t>(1, threads); ++i)
    workers_.emplace_back([this] { work(); });
}

DeviceCallPool::~DeviceCallPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  queue_cv_.notify_all();
  // Calls still queued or running finish first: they change devices, which must not be left
  // half-told.
  for (std::thread& t : workers_) t.join();
}

void DeviceCallPool::work() {
  for (;;) {
    Task task;
    {
      std::unique_lock lock(mutex_);
      // The oldest call whose device is free; the queue is short (a few calls per connection).
      auto runnable = [&] {
        return std::find_if(queue_.begin(), queue_.end(),
                            [&](const Task& t) { return !busy_.contains(t.key); });
      };
      queue_cv_.wait(lock,
                     [&] { return (stopping_ && queue_.empty()) || runnable() != queue_.end(); });
      auto it = runnable();
      if (it == queue_.end()) return;  // stopping, nothing left
      task = std::move(*it);
      queue_.erase(it);
      busy_.insert(task.key);
    }
    Status result = task.fn();
    bool stopping = false;
    {
      // A call queued behind this device is runnable now; this worker picks it up next round.
      std::lock_guard lock(mutex_);
      busy_.erase(task.key);
      stopping = stopping_;
    }
    if (stopping) queue_cv_.notify_all();  // the others may be waiting for the queue to drain
    {
      std::lock_guard lock(task.pending->mutex);
      task.pending->result = std::move(result);
      task.pending->done = true;
    }
    task.pending->done_cv.notify_all();
  }
}

std::shared_ptr<DeviceCallPool::Pending> DeviceCallPool::submit(const std::string& key,
                                                                std::function<Status()> fn) {
  auto pending = std::make_shared<Pending>();
  {
    std::lock_guard lock(mutex_);
    queue_.push_back({key, std::move(fn), pending});
  }
  queue_cv_.notify_one();  // idle workers are alike; busy ones look again when done
  return pending;
}

Status DeviceCallPool::wait(const std::shared_ptr<Pending>& pending,
                            std::chrono::steady_clock::time_point deadline,
                            std::chrono::milliseconds timeout, const std::string& what,
                            bool* timed_out) {
  std::unique_lock lock(pending->mutex);
  const bool done = pending->done_cv.wait_until(lock, deadline, [&] { return pending->done; });
  if (timed_out) *timed_out = !done;
  if (!done) return unavailable(fmt::format("{} timed out after {} ms", what, timeout.count()));
  return pending->result;
}

Status DeviceCallPool::call(const std::string& key, std::function<Status()> fn,
                            std::chrono::milliseconds timeout, const std::string& what) {
  auto pending = submit(key, std::move(fn));
  return wait(pending, std::chrono::steady_clock::now() + timeout, timeout, what);
}

}  // namespace lightpath
