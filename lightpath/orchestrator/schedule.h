// The schedule at a given time: activates provisioning connections whose scheduled start has
// come, tells the devices of active ones a bandwidth step that has come (the capacity is held
// step by step already), rotates encryption keys whose time has come, and terminates
// connections whose end has passed. The clock is the
// caller's (a timer in serve; tests drive it). One connection's trouble is logged and left for
// the next run; the others still move.
//
// A run looks only at the connections whose time has come: an agenda of (time, connection)
// filled as connections are written (noteWritten: their start, end, steps, key rotation; cloud
// connections each run) and emptied as runs reach it, so an idle book of any size costs nothing
// per tick. Every live connection is read anyway (a page at a time, those due kept) at the first
// run (after a restart), every ten minutes (a safety net), and at every run on a store shared by
// several instances (the others' writes are not noted here). Such a scan decodes whole only the
// connections that have a time at all (most have none): a million cost a few seconds of one
// core, not twenty.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "lightpath/base/clock.h"
#include "lightpath/base/status.h"

namespace lightpath {

class OrchestratorContext;
class Lifecycle;
class Connection;

class Scheduler {
 public:
  Scheduler(OrchestratorContext& ctx, Lifecycle& lifecycle) : ctx_(ctx), lifecycle_(lifecycle) {}

  // How many connections moved; an error only when the store cannot be read. Thread-safe.
  Result<std::size_t> run(TimePoint now);
  // A connection as written: when the schedule must look at it. Thread-safe.
  void noteWritten(const Connection& c);
  static constexpr std::chrono::seconds kRescan{600};

 private:
  OrchestratorContext& ctx_;
  Lifecycle& lifecycle_;
  void noteAt(TimePoint at, const std::string& id);  // with mutex_ held

  std::mutex mutex_;                         // last_run_, polled_, agenda_, next_rescan_
  std::optional<TimePoint> last_run_;        // steps after this were not yet told to the devices
  std::map<std::string, TimePoint> polled_;  // cloud connections: when the provider was read
  std::set<std::pair<TimePoint, std::string>> agenda_;
  TimePoint next_rescan_{};
};

}  // namespace lightpath
