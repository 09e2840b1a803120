// The schedule at a given time: activates provisioning connections whose scheduled start has
// come, tells the devices of active ones a bandwidth step that has come (the capacity is held
// step by step already), rotates encryption keys whose time has come, and terminates
// connections whose end has passed. The clock is the
// caller's (a timer in serve; tests drive it). One connection's trouble is logged and left for
// the next run; the others still move.
#pragma once

#include <map>
#include <mutex>
#include <optional>

#include "lightpath/base/clock.h"
#include "lightpath/base/status.h"

namespace lightpath {

class OrchestratorContext;
class Lifecycle;

class Scheduler {
 public:
  Scheduler(OrchestratorContext& ctx, Lifecycle& lifecycle) : ctx_(ctx), lifecycle_(lifecycle) {}

  // How many connections moved; an error only when the store cannot be read. Thread-safe.
  Result<std::size_t> run(TimePoint now);

 private:
  OrchestratorContext& ctx_;
  Lifecycle& lifecycle_;
  std::mutex mutex_;                         // last_run_, polled_
  std::optional<TimePoint> last_run_;        // steps after this were not yet told to the devices
  std::map<std::string, TimePoint> polled_;  // cloud connections: when the provider was read
};

}  // namespace lightpath
