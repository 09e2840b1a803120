// What the orchestrator's units share, owned by the Provisioner: its dependencies, the route
// planner, the connection records, the device call pool, per-connection locks and the id source.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "lightpath/base/random.h"
#include "lightpath/orchestrator/connection_locks.h"
#include "lightpath/orchestrator/connection_records.h"
#include "lightpath/orchestrator/device_intent.h"
#include "lightpath/orchestrator/provisioner.h"
#include "lightpath/orchestrator/route_planner.h"
#include "lightpath/southbound/call_pool.h"

namespace lightpath {

class OrchestratorContext {
 public:
  explicit OrchestratorContext(ProvisionerDeps deps);

  TimePoint now() const { return deps.clock->now(); }
  // A new id with `prefix` ("conn", "reconcile"); never repeats across restarts.
  std::string newId(std::string_view prefix);
  // Applies (or removes) the connection's configuration on every device of its route, all or
  // nothing, each call with the deadline; `tag` keeps the transaction ids distinct.
  Status configure(const Connection& c, IntentAction action, const std::string& tag = "") const;
  // Every device with the Telemetry role asked whether its node is up, all at once, each within
  // the deadline: ok when up, else why not (a device that does not answer is down).
  std::map<std::string, Status> nodeHealth() const;
  // Running entries, all nodes read at once, each within the deadline: for each node the entries
  // with these keys (those present), or its whole running configuration for nullopt. A node
  // without a device is left out of the answer.
  using Reads = std::map<std::string, std::optional<std::vector<std::string>>>;
  std::map<std::string, Result<std::vector<ConfigEntry>>> readConfigs(const Reads& reads) const;
  // The traffic counters of these entries, by node (Telemetry::octets), all read at once, each
  // within the deadline.
  using Octets = std::map<std::string, std::uint64_t>;
  std::map<std::string, Result<Octets>> octets(
      const std::map<std::string, std::vector<std::string>>& keys_by_node) const;
  // One all-or-nothing change across devices, with the deadline.
  Status applyToDevices(const std::vector<NodeChange>& changes) const;

  const ProvisionerDeps deps;
  NetworkHealth health;  // what is down now: every plan avoids it
  const RoutePlanner planner;
  // Plans that reserve (orders, restorations) take it, so two never plan on the same capacity.
  std::mutex planning_mutex;
  // Told of every connection written (set once, by the Provisioner, before any work).
  std::function<void(const Connection&)> connection_written;
  const ConnectionRecords records;
  const ConnectionLocks locks;

 private:
  std::unique_ptr<DeviceCallPool> calls_;
  std::mutex random_mutex_;
  Random random_;
};

}  // namespace lightpath
