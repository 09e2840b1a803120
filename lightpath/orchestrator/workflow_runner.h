// Runs connection workflows off the request path. An API acknowledges an order once it is
// durable and hands the device work here: jobs of one connection run one after another in the
// order submitted, jobs of different connections in parallel; a timer runs the schedule,
// retries terminations a device could not take (`unavailable`: a deletion always completes) and
// resumes the work of instances that stopped (instances sharing a store); another runs the
// drift watch (Provisioner::watchDrift).
//
//   WorkflowRunner runner(provisioner, clock, {.threads = 2});
//   runner.activate(c.id());                 // returns at once
//   runner.stop();                           // finishes running jobs; queued ones are durable
//                                            // states that recover() resumes at next start
//
// Thread-safe: submit from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "lightpath/orchestrator/provisioner.h"

namespace lightpath {

class WorkflowRunner {
 public:
  struct Options {
    std::size_t threads = 2;
    std::chrono::milliseconds tick{1000};   // how often the schedule runs; 0: never
    std::chrono::milliseconds retry{1000};  // first wait before a termination is tried again
  };
  // Told after each job: the connection, what ran ("activate", "terminate") and how it ended.
  using Listener = std::function<void(const std::string& id, const char* job, const Status& result,
                                      std::chrono::microseconds took)>;

  WorkflowRunner(Provisioner& provisioner, const Clock& clock, Options options,
                 Listener listener = {});
  ~WorkflowRunner();
  WorkflowRunner(const WorkflowRunner&) = delete;
  WorkflowRunner& operator=(const WorkflowRunner&) = delete;

  void activate(const std::string& id);
  void terminate(const std::string& id, const std::string& actor);
  void finishModify(const std::string& id, std::uint64_t mbps);
  void finishRotateKey(const std::string& id);
  // Jobs queued or running.
  std::size_t pending() const;
  // Waits until nothing is queued or running (tests).
  void drain();
  // Lets running jobs finish, drops queued ones, stops the threads. Idempotent.
  void stop();

 private:
  using Job = std::function<void()>;
  struct Retry {
    std::chrono::steady_clock::time_point due;
    std::string actor;
    int attempt = 0;
  };
  void terminateAttempt(const std::string& id, const std::string& actor, int attempt);
  void submit(const std::string& id, const char* name, std::function<Status()> work);
  void work();
  void tick();
  void watchDrift();
  void retryDue();

  Provisioner& provisioner_;
  const Clock& clock_;
  Options options_;
  Listener listener_;
  mutable std::mutex mutex_;
  std::condition_variable wake_, idle_, stopped_;  // workers; drain(); the ticker
  std::map<std::string, std::deque<Job>> queues_;  // per connection, in order
  std::deque<std::string> ready_;                  // connections with a job and none running
  std::map<std::string, Retry> retries_;           // terminations to try again, by the ticker
  std::size_t pending_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
  std::thread ticker_;
  std::thread drift_watch_;  // its sweeps take minutes on a large book: not the schedule's timer
};

}  // namespace lightpath
