// Device calls with a deadline. Devices hang (a stuck box, a lost session); a workflow must not.
// Calls run on a small pool of worker threads; the caller waits at most `timeout` and gets
// Unavailable("... timed out ...") after that, while the call itself runs on to its end in the
// background. Calls with the same key (a device) run one at a time in the order submitted, so
// a later call to a device queues behind one that timed out; calls to different devices run in
// parallel.
//
//   DeviceCallPool pool(8);
//   Status s = pool.call("r1", [=] { return device->prepare(change); }, std::chrono::seconds(2),
//   "r1: prepare");
//
// Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "lightpath/base/status.h"

namespace lightpath {

class DeviceCallPool {
 public:
  explicit DeviceCallPool(std::size_t threads = 8);
  ~DeviceCallPool();
  DeviceCallPool(const DeviceCallPool&) = delete;
  DeviceCallPool& operator=(const DeviceCallPool&) = delete;

  // `fn` must own what it uses (capture copies): after a timeout it runs on past the caller.
  Status call(const std::string& key, std::function<Status()> fn, std::chrono::milliseconds timeout,
              const std::string& what);

  // Several calls at once: submit them all, then wait for each (devices answer in parallel).
  struct Pending {
    std::mutex mutex;
    std::condition_variable done_cv;
    bool done = false;
    Status result;
  };
  std::shared_ptr<Pending> submit(const std::string& key, std::function<Status()> fn);
  // Waits until `deadline` at most; `timed_out` (if given) says whether the call is still running.
  static Status wait(const std::shared_ptr<Pending>& pending,
                     std::chrono::steady_clock::time_point deadline,
                     std::chrono::milliseconds timeout, const std::string& what,
                     bool* timed_out = nullptr);

 private:
  struct Task {
    std::string key;
    std::function<Status()> fn;
    std::shared_ptr<Pending> pending;
  };
  void work();

  std::mutex mutex_;
  std::condition_variable queue_cv_;
  std::deque<Task> queue_;
  std::set<std::string> busy_;  // keys with a call running
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace lightpath
