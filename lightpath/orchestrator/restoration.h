// When the network fails: a failure is recorded, every route planned from then on avoids what
// it took down, and the live connections on it are answered in one pass, by priority (SLA
// class, then order age): 1+1 connections switch to their surviving leg (degraded while they
// have no protection), unprotected ones are restored on a new route over surviving capacity
// (their VLAN kept, the latency bound kept or the breach reported with its figure, the dead
// path's capacity given back), and those that cannot be carried go down with the reason and
// their capacity released. A repair brings protection back and tries the down ones again.
//
// One pass is three steps, so a thousand services cost one change per device and one store
// transaction: (1) the connections holding capacity on what failed (the ledger's index, no
// scan of the book) and those down since earlier are decided in order and reserved on the
// ledger; (2) one all-or-nothing change per device for the whole pass, falling back to one
// connection at a time if a device refuses; (3) every outcome stored at once with its events
// (connection.switched, .restored, .down, .degraded, .protected). A kill between (2) and (3)
// leaves the devices ahead of the store: at the restart the failure is still recorded, so the
// pass runs again and reconcile removes what it no longer needs.
//
// The what-if analysis runs step (1) on a copy of the ledger: what it answers is what a
// failure then does on the same state.
//
// Thread-safety: passes run one at a time and hold every connection's lock while they run.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "lightpath/orchestrator/failures.h"
#include "lightpath/orchestrator/route_planner.h"
#include "lightpath/pce/workspace.h"
#include "lightpath/store/store.h"

namespace lightpath {

class OrchestratorContext;

class Restorer {
 public:
  explicit Restorer(OrchestratorContext& ctx);
  ~Restorer();

  // Reads the failures not yet repaired into the network's health (at start, before anything
  // plans). Returns how many there are.
  Result<std::size_t> load();

  using StoreWork = std::function<Status(StoreTransaction&)>;
  // Records the failure (with `also`, one transaction) and answers it. InvalidArgument for a
  // target not in the topology; AlreadyExists when an unrepaired failure has the same target.
  Result<FailureRecord> failure(const FailureTarget& target, const std::string& reason,
                                const std::string& actor, const StoreWork& also);
  // Records the repair and answers it: protection back, down connections tried again.
  // NotFound for an unknown failure; FailedPrecondition when it was repaired already.
  Result<FailureRecord> repair(const std::string& id, const std::string& actor,
                               const StoreWork& also);
  // What failing `target` (beside what is down already) would do now; nothing changes. The
  // same refusals as failure().
  Result<FailureEffect> analyze(const FailureTarget& target);
  // One pass over what is down now (after a restart, or to retry the down ones); connections
  // on `also_touched` are looked at too (a repair: their protection may be back).
  Result<FailureEffect> respond(const std::string& why,
                                const std::vector<FiberIndex>& also_touched = {});
  // Device health (the Telemetry role), polled once a schedule tick: a node whose device says
  // it is down, or does not answer in time, kPollsToDecide polls in a row, is recorded as a
  // failure by "telemetry" and answered like any other; when it is up again as many polls in a
  // row, that failure is repaired. Returns how many failures it recorded or repaired.
  Result<std::size_t> watchHealth();
  static constexpr int kPollsToDecide = 3;
  static constexpr const char* kTelemetryActor = "telemetry";
  // Revertive 1+1 connections whose wait-to-restore has passed go back to the leg ordered first
  // (when both legs are up; otherwise the next repair sets a new time). Returns how many did.
  Result<std::size_t> revertDue(TimePoint now);

 private:
  struct Decision;
  struct Pass;
  // The connections `ids` names that are not terminal; the others go to `gone`.
  Result<std::map<std::string, Connection>> readLive(const std::set<std::string>& ids,
                                                     std::set<std::string>& gone) const;
  Result<FailureEffect> respondLocked(const std::string& why,
                                      const std::vector<FiberIndex>& also_touched);
  // Step (1): the connections on `touched` and the down ones against `down`, decided in
  // priority order and reserved on `ledger` through `planner`.
  Result<Pass> decide(const RoutePlanner& planner, Ledger& ledger, const DownSet& down,
                      const std::vector<FiberIndex>& touched, const std::string& why);
  // Steps (2) and (3).
  Status execute(Pass& pass);
  Result<std::vector<FailureRecord>> activeFailures() const;
  // The targets of the unrepaired failures and `target`; AlreadyExists when one has it.
  Result<std::vector<FailureTarget>> downWith(const FailureTarget& target) const;
  Status setDown(const std::vector<FailureTarget>& targets);
  Status loadState();
  std::string stateJson() const;

  OrchestratorContext& ctx_;
  std::mutex mutex_;  // one pass (or failure, repair, analysis) at a time
  PathWorkspace ws_;
  // Stored too (one document): connections down since a failure, waiting for capacity, and
  // revertive ones waiting to go back to their working leg.
  std::set<std::string> down_ids_;
  std::map<std::string, TimePoint> reverts_;
  std::map<std::string, std::string> raised_;  // node -> the failure telemetry recorded for it
  std::map<std::string, int> polls_;           // node -> polls in a row up (> 0) or down (< 0)
};

}  // namespace lightpath
