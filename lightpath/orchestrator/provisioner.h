// Connections that provision themselves: an order becomes a route, capacity held in the
// ledger and a durable record before it is acknowledged; activation configures every device on
// the route, all or nothing, and a failure gives everything back. Every step is persisted, so
// a restart rebuilds the ledger from the store and resumes or finishes unfinished work.
//
//   auto p = Provisioner::create(deps);                    // registers resources, recovers
//   Result<Connection> c = (*p)->order("acme", spec, "key:1");  // durable, provisioning
//   Status s = (*p)->activate(c->id());                    // devices -> active, or failed
//   (*p)->terminate(c->id(), "key:1");                     // devices cleared, capacity freed
//
// Thread-safety: calls on different connections may run concurrently; one connection's calls
// serialise on its id.
#pragma once

#include <array>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "lightpath/base/clock.h"
#include "lightpath/base/random.h"
#include "lightpath/ledger/ledger.h"
#include "lightpath/optical/wavelength_planner.h"
#include "lightpath/service/connection.h"
#include "lightpath/service/pricing.h"
#include "lightpath/southbound/call_pool.h"
#include "lightpath/southbound/multi_device.h"
#include "lightpath/store/store.h"

namespace lightpath {

struct ProvisionerDeps {
  std::shared_ptr<const Topology> topology;
  const PathEngine* engine = nullptr;
  const WavelengthPlanner* planner = nullptr;
  Ledger* ledger = nullptr;
  Store* store = nullptr;
  const DeviceFleet* fleet = nullptr;
  const Clock* clock = nullptr;
  std::uint64_t seed = 0;  // for connection ids; 0: from the OS, so ids never repeat across restarts
  std::uint64_t packet_mbps_per_fiber = 1'600'000;  // packet capacity each fiber carries
  std::vector<std::chrono::milliseconds> retry_delays{std::chrono::milliseconds(10), std::chrono::milliseconds(40)};
  // On start, finish provisioning / deprovisioning left half done (off for read-only checks).
  bool resume_workflows = true;
  // Every device call has this deadline; a hung device fails the step, not the workflow.
  std::chrono::milliseconds device_timeout{2000};
  // Prices each order (recorded with it); none: orders carry no price.
  const PriceBook* price_book = nullptr;
};

// More writes to commit with a change of a connection, all or nothing (an API's idempotency
// record and audit entry). Given the connection as it is being stored.
using AlsoInTransaction = std::function<Status(StoreTransaction&, const Connection&)>;

class Provisioner {
 public:
  // Registers every resource of the topology in the ledger, then recovers from the store.
  static Result<std::unique_ptr<Provisioner>> create(ProvisionerDeps deps);

  // Validates, routes, reserves and persists: the connection comes back in `provisioning`.
  // InvalidArgument for a bad order; FailedPrecondition / ResourceExhausted with the reason
  // when the network cannot carry it (nothing is held then).
  Result<Connection> order(const std::string& tenant, ConnectionSpec spec, const std::string& actor,
                           const AlsoInTransaction& also = {});

  // What order() would choose and charge for `spec` now: route, latency, price; nothing is
  // held (a later order may find the capacity gone). Same errors as order().
  Result<Realization> quote(const ConnectionSpec& spec) const;

  // Configures the devices of a provisioning connection: active (cloud: awaiting the provider),
  // or failed with capacity and device configuration released. Retries transient device
  // failures with backoff.
  Status activate(const std::string& id);
  // Changes an active Ethernet or cloud connection's bandwidth, make-before-break: the new
  // capacity is held before the old is let go, the devices are updated, and on any failure the
  // connection goes back to active as it was. ResourceExhausted when the route lacks room.
  Status modifyBandwidth(const std::string& id, std::uint64_t mbps, const std::string& actor);
  // The two halves of modifyBandwidth(), for callers that acknowledge before the devices move:
  // beginModify checks, holds the new amounts (ResourceExhausted when the route lacks room;
  // nothing changes then) and stores the connection as modifying; finishModify re-prices and
  // configures the devices, and ends active, changed or (on failure) as it was.
  Result<Connection> beginModify(const std::string& id, std::uint64_t mbps, std::optional<std::uint64_t> expected_version,
                                 const std::string& actor, const AlsoInTransaction& also = {});
  Status finishModify(const std::string& id, std::uint64_t mbps);
  // The cloud provider accepted: awaiting_counterparty -> active.
  Status acceptCounterparty(const std::string& id);
  // Removes the configuration, releases the capacity: terminated.
  Status terminate(const std::string& id, const std::string& actor);
  // The first, durable half of terminate(): the connection becomes deprovisioning (what an API
  // acknowledges); terminate() later does the devices. Idempotent on a deprovisioning one.
  Result<Connection> beginTerminate(const std::string& id, const std::string& actor,
                                    const AlsoInTransaction& also = {});
  // Moves the end of a connection's window (none: until terminated), make-before-break: the
  // capacity over the new window is checked against every other hold first (ResourceExhausted
  // names what is in the way of an extension). Not for connections whose bandwidth steps.
  Result<Connection> setEnd(const std::string& id, std::optional<TimePoint> end,
                            std::optional<std::uint64_t> expected_version, const std::string& actor,
                            const AlsoInTransaction& also = {});
  // Replaces the customer's tags. With expected_version, Aborted unless the connection is still
  // at that version.
  Result<Connection> setTags(const std::string& id, std::map<std::string, std::string> tags,
                             std::optional<std::uint64_t> expected_version, const std::string& actor,
                             const AlsoInTransaction& also = {});

  Result<Connection> get(const std::string& id) const;
  // get(), Aborted unless the connection is at `expected_version` (when given).
  Result<Connection> getAt(const std::string& id, std::optional<std::uint64_t> expected_version) const;

  // The schedule at `now`: activates provisioning connections whose scheduled start has come,
  // tells the devices of active ones a bandwidth step that has come, and terminates connections
  // whose end has passed. Call it from a timer (the clock is injected, so tests drive it). A
  // connection that cannot move is logged and tried again next time. Returns how many moved;
  // an error only when the store cannot be read.
  Result<std::size_t> runSchedule(TimePoint now);

  // Rebuilds the ledger from the store and finishes what a previous process left unfinished
  // (connections scheduled to start later wait for the schedule). A connection that cannot be
  // finished now is logged and left for a retry; an error only when the store cannot be read.
  Status recover();

  // Every invariant (ledger, store, devices) that does not hold, as messages.
  std::vector<std::string> check() const;

  // Device drift: where a device's running configuration differs from what the services need
  // (entries of active connections missing or changed, entries no live connection owns).
  // Entries of connections in the middle of a workflow are left to it. With `repair`, each
  // drifted device is put right (one all-or-nothing change per device).
  struct ReconcileReport {
    std::vector<std::string> drift;     // one line per difference
    std::vector<std::string> repaired;  // nodes put right
    std::vector<std::string> failed;    // devices that could not be read or repaired, and why
    bool clean(bool repair) const { return failed.empty() && (repair || drift.empty()); }
  };
  ReconcileReport reconcile(bool repair);

 private:
  explicit Provisioner(ProvisionerDeps deps);
  Status registerResources();
  // Route, resources and price for `spec`, planned for its peak bandwidth over `window`, with the
  // caller's workspace (orders: ws_ under mutex_; quotes: one per thread, so they run in parallel).
  Result<std::vector<Claim>> plan(const ConnectionSpec& spec, const ConnectionSpec& peak, const Window& window,
                                  Realization& out, PathWorkspace& ws) const;
  Result<std::vector<Claim>> planEthernet(const ConnectionSpec& spec, const Window& window, Realization& out,
                                          PathWorkspace& ws) const;
  Result<std::vector<Claim>> planWavelength(const ConnectionSpec& spec, const Window& window, Realization& out,
                                            PathWorkspace& ws) const;
  Status persist(Connection& c, std::optional<std::uint64_t> expected_version, const std::string& event_type,
                 const std::string& reason, const std::vector<HoldRecord>& put_holds,
                 const std::vector<std::uint64_t>& delete_holds, const AlsoInTransaction& also = {});
  Result<std::vector<NodeChange>> deviceChanges(const Connection& c, bool remove) const;
  // What the price book asks for it; none without a price book.
  Result<std::optional<Realization::Price>> priceOf(const ConnectionSpec& spec, const Realization& r) const;
  // Applies (or, with `remove`, takes away) the connection's configuration on its devices;
  // `tag` makes the transaction ids distinct from earlier ones.
  Status configure(const Connection& c, bool remove, const std::string& tag = "");
  Result<std::map<std::string, Connection>> liveConnections() const;
  // For check() and reconcile(): the drift, per node the change that puts it right, and the
  // devices that cannot be read.
  ReconcileReport deviceDrift(const std::map<std::string, Connection>& live,
                              std::map<std::string, DeviceChange>& fixes) const;
  Status releaseEverything(Connection& c, ConnectionState to, const std::string& actor, const std::string& reason);

  ProvisionerDeps deps_;
  std::unique_ptr<DeviceCallPool> calls_;
  mutable std::mutex mutex_;  // ids, the orders' workspace ws_, last_schedule_
  // Changes to one connection (its record, its hold in the ledger, its devices) run one at a
  // time: striped by id, recursive because terminate() begins with beginTerminate().
  std::recursive_mutex& lockFor(const std::string& id) const {
    return id_locks_[std::hash<std::string>{}(id) % id_locks_.size()];
  }
  mutable std::array<std::recursive_mutex, 64> id_locks_;
  std::optional<TimePoint> last_schedule_;  // the last runSchedule(now)
  Random random_;
  mutable PathWorkspace ws_;
};

}  // namespace lightpath
