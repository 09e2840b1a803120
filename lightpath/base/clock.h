// Clock: the one way Lightpath code reads the time, so tests can inject a manual clock.
//
//   SystemClock clock;                 // production
//   ManualClock clock(start);          // tests: clock.advance(std::chrono::seconds(5));
//   auto now = clock.now();
#pragma once

#include <atomic>
#include <chrono>

namespace lightpath {

using TimePoint = std::chrono::sys_time<std::chrono::microseconds>;

// Thread-safe: now() may be called from any thread.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint now() const override {
    return std::chrono::time_point_cast<std::chrono::microseconds>(
        std::chrono::system_clock::now());
  }
};

// A clock that moves only when told; for tests and simulations.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start) : now_us_(start.time_since_epoch().count()) {}
  TimePoint now() const override { return TimePoint(std::chrono::microseconds(now_us_.load())); }
  void advance(std::chrono::microseconds by) { now_us_ += by.count(); }

 private:
  std::atomic<long long> now_us_;
};

}  // namespace lightpath
