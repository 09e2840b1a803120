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
// A façade: each concern is a unit of its own (route_planner, hold_records, device_intent,
// connection_records, lifecycle, schedule, recovery, reconciler); this class wires them and keeps
// the contract below.
//
// Thread-safety: calls on different connections may run concurrently; one connection's calls
// serialise on its id.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "lightpath/base/clock.h"
#include "lightpath/base/seal.h"
#include "lightpath/cloud/provider.h"
#include "lightpath/ledger/ledger.h"
#include "lightpath/optical/wavelength_planner.h"
#include "lightpath/orchestrator/connection_records.h"
#include "lightpath/orchestrator/failures.h"
#include "lightpath/orchestrator/reconciler.h"
#include "lightpath/orchestrator/transfers.h"
#include "lightpath/service/connection.h"
#include "lightpath/service/pricing.h"
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
  // For connection ids: a seed makes them reproducible (tests); 0, the default, draws them from
  // the OS's cryptographic generator, so they never repeat and cannot be predicted.
  std::uint64_t seed = 0;
  std::uint64_t packet_mbps_per_fiber = 1'600'000;  // packet capacity each fiber carries
  std::vector<std::chrono::milliseconds> retry_delays{std::chrono::milliseconds(10),
                                                      std::chrono::milliseconds(40)};
  // On start, finish provisioning / deprovisioning left half done (off for read-only checks).
  bool resume_workflows = true;
  // Every device call has this deadline; a hung device fails the step, not the workflow.
  std::chrono::milliseconds device_timeout{2000};
  // Prices each order (recorded with it); none: orders carry no price.
  const PriceBook* price_book = nullptr;
  // How often the schedule compares every device with the store and repairs drift; a device that
  // may have restarted empty (Telemetry::epoch) is put right at the next tick anyway.
  std::chrono::seconds reconcile_interval{300};
  // Instances sharing a store: how long an instance may go without renewing its lease before
  // the others take over its unfinished work.
  std::chrono::seconds work_lease{10};
  // Seals and opens encrypted connections' keys (the master key); none: encryption is refused.
  const Sealer* sealer = nullptr;
  // How often an encrypted connection's key is replaced (make-before-break, on the schedule).
  std::chrono::seconds key_rotation{std::chrono::hours(24 * 30)};
  // The cloud providers' APIs, by name (cloud/provider.h); none for a provider: its connections
  // wait for acceptCounterparty(). How long a customer has to accept at the provider before the
  // hand-shake expires (capacity released), and how often the schedule reads the providers.
  const CloudProviders* clouds = nullptr;
  std::chrono::seconds cloud_accept_within{std::chrono::hours(24 * 7)};
  std::chrono::seconds cloud_poll{5};
};

// What Provisioner::load() did: connections active, specs the network could not carry.
struct LoadReport {
  std::size_t loaded = 0, refused = 0;
  std::string first_refusal;  // why the first one was refused
};

class OrchestratorContext;
class Lifecycle;
class Scheduler;
class Reconciler;
class Restorer;
class TransferCounters;

class Provisioner {
 public:
  // Registers every resource of the topology in the ledger, then recovers from the store.
  static Result<std::unique_ptr<Provisioner>> create(ProvisionerDeps deps);
  ~Provisioner();

  // Validates, routes, reserves and persists: the connection comes back in `provisioning`.
  // InvalidArgument for a bad order; FailedPrecondition / ResourceExhausted with the reason
  // when the network cannot carry it (nothing is held then).
  Result<Connection> order(const std::string& tenant, const ConnectionSpec& spec,
                           const std::string& actor, const AlsoInTransaction& also = {});

  // A bulk transfer: `request.bytes` between two client ports by the deadline, planned on the
  // calendar (transfer_planner.h) and ordered as Ethernet legs with bandwidth steps on pinned
  // routes, all held and stored with the transfer's document (and `also`) in one transaction,
  // or nothing. The legs start on the schedule. InvalidArgument naming the field;
  // ResourceExhausted saying how much fits (earliestTransferFinish() says when all would).
  Result<TransferRecord> orderTransfer(const std::string& tenant, const TransferRequest& request,
                                       const std::string& actor, const AlsoWithTransfer& also = {});
  std::optional<TimePoint> earliestTransferFinish(const TransferRequest& request) const;
  // A stored transfer; NotFound.
  Result<TransferRecord> transfer(const std::string& id) const;
  // Marks the transfer cancelled (with `also`, in one transaction; idempotent) and begins
  // terminating every leg not ended yet; returns the legs to terminate (terminate() each).
  Result<std::vector<std::string>> cancelTransfer(const std::string& id, const std::string& actor,
                                                  const AlsoWithTransfer& also = {});

  // What order() would choose and charge for `spec` now: route, latency, price; nothing is
  // held (a later order may find the capacity gone). Same errors as order().
  Result<Realization> quote(const ConnectionSpec& spec) const;

  // Configures the devices of a provisioning connection: active (cloud: awaiting the provider),
  // or failed with capacity and device configuration released. Retries transient device
  // failures with backoff.
  Status activate(const std::string& id);
  // Connections straight to active, many at once, for the large books benchmarks need
  // (`lightpath bench load`): each spec routed and held as order() would, then the batch
  // configured with one change per device and stored with its holds and events in one
  // transaction (a batch the store refuses is taken off the devices and given back). Plain
  // Ethernet and wavelength connections starting now; a spec the network cannot carry is
  // skipped and counted. Keep batches to a few thousand: one transaction holds them all.
  Result<LoadReport> load(const std::string& tenant, const std::vector<ConnectionSpec>& specs,
                          const std::string& actor);

  // Changes an active Ethernet or cloud connection's bandwidth, make-before-break: the new
  // capacity is held before the old is let go, the devices are updated, and on any failure the
  // connection goes back to active as it was. ResourceExhausted when the route lacks room.
  Status modifyBandwidth(const std::string& id, std::uint64_t mbps, const std::string& actor);
  // The two halves of modifyBandwidth(), for callers that acknowledge before the devices move:
  // beginModify checks, holds the new amounts (ResourceExhausted when the route lacks room;
  // nothing changes then) and stores the connection as modifying; finishModify re-prices and
  // configures the devices, and ends active, changed or (on failure) as it was.
  Result<Connection> beginModify(const std::string& id, std::uint64_t mbps,
                                 std::optional<std::uint64_t> expected_version,
                                 const std::string& actor, const AlsoInTransaction& also = {});
  Status finishModify(const std::string& id, std::uint64_t mbps);
  // An encrypted connection's key replaced now, in two halves: beginRotateKey makes the next
  // key and stores it beside the one in use (FailedPrecondition unless the connection is
  // encrypted and active; the connection as it is when a rotation is under way already);
  // finishRotateKey puts it on both ends make-before-break (installed, used, the old one
  // removed). On a device failure the old key stays alone and the error is returned. The
  // schedule rotates each key when its `key_rotation` period has passed, and finishes a rotation
  // a restart cut short.
  Result<Connection> beginRotateKey(const std::string& id, const std::string& actor,
                                    const AlsoInTransaction& also = {});
  Status finishRotateKey(const std::string& id);
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
                             std::optional<std::uint64_t> expected_version,
                             const std::string& actor, const AlsoInTransaction& also = {});

  Result<Connection> get(const std::string& id) const;
  // get(), Aborted unless the connection is at `expected_version` (when given).
  Result<Connection> getAt(const std::string& id,
                           std::optional<std::uint64_t> expected_version) const;

  // The schedule at `now` (and the network's health: revertive connections whose time to go
  // back has come, nodes whose devices report them down or back up; restoration.h):
  // activates provisioning connections whose scheduled start has come,
  // tells the devices of active ones a bandwidth step that has come, and terminates connections
  // whose end has passed; once a minute, first, reads what the transfers' legs delivered
  // (transfer_counters.h). Call it from a timer (the clock is injected, so tests drive it). A
  // connection that cannot move is logged and tried again next time. Returns how many moved;
  // an error only when the store cannot be read.
  Result<std::size_t> runSchedule(TimePoint now);
  // The drift watch (the cluster's leader only): when a device may have restarted empty
  // (Telemetry::epoch) or reconcile_interval has passed, reconciles every device and repairs
  // drift. A sweep of a large book takes minutes: call it from a timer of its own, not the
  // schedule's, and from one thread. `stopped` is asked between pages and devices: true ends the
  // sweep early (a shutdown).
  void watchDrift(TimePoint now, const std::function<bool()>& stopped = {});

  // Instances sharing a store: renews this one's lease and claims the connections whose work
  // an instance with a lapsed lease left unfinished; resume() each (a workflow job).
  Result<std::vector<std::string>> claimOrphans();
  Status resume(const std::string& id);

  // Rebuilds the ledger from the store and finishes what a previous process left unfinished
  // (connections scheduled to start later wait for the schedule). A connection that cannot be
  // finished now is logged and left for a retry; an error only when the store cannot be read.
  Status recover();

  // Failures (orchestrator/restoration.h): a fiber, shared-risk group or node recorded as
  // down (with `also` in the same transaction) and answered at once: 1+1 connections switched,
  // others restored on surviving capacity or down with the reason. InvalidArgument for a target
  // the topology lacks; AlreadyExists when it is down already.
  using StoreWork = std::function<Status(StoreTransaction&)>;
  Result<FailureRecord> recordFailure(const FailureTarget& target, const std::string& reason,
                                      const std::string& actor, const StoreWork& also = {});
  // The repair: protection back, down connections tried again. NotFound; FailedPrecondition
  // when repaired already.
  Result<FailureRecord> repairFailure(const std::string& id, const std::string& actor,
                                      const StoreWork& also = {});
  // What recordFailure(target) would do now; nothing changes.
  Result<FailureEffect> analyzeFailure(const FailureTarget& target);
  // What is down now (failures not yet repaired).
  std::shared_ptr<const DownSet> down() const;

  // Every invariant (ledger, store, devices) that does not hold, as messages.
  std::vector<std::string> check() const;

  // Device drift: where a device's running configuration differs from what the services need
  // (entries of active connections missing or changed, entries no live connection owns).
  // Entries of connections in the middle of a workflow are left to it. With `repair`, each
  // drifted device is put right (one all-or-nothing change per device).
  using ReconcileReport = lightpath::ReconcileReport;
  ReconcileReport reconcile(bool repair);

 private:
  explicit Provisioner(ProvisionerDeps deps);
  // Re-plans the transfers whose legs are among `connections` (Lifecycle::replanTransfer).
  void replanTransfersOf(const std::vector<std::string>& connections, const std::string& actor);

  std::unique_ptr<OrchestratorContext> ctx_;
  std::unique_ptr<Lifecycle> lifecycle_;
  std::unique_ptr<Scheduler> scheduler_;
  std::unique_ptr<Reconciler> reconciler_;
  std::unique_ptr<Restorer> restorer_;
  std::unique_ptr<TransferCounters> counters_;
  // The drift watch's: each device's last epoch, and when to reconcile anyway.
  std::map<std::string, std::uint64_t> epochs_;
  TimePoint next_reconcile_{};
};

}  // namespace lightpath
