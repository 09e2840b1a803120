// The lifecycle's moves: order, activate, accept, terminate (its two halves) and keeping a
// connection as it was after a change cut short.
#include "lightpath/orchestrator/lifecycle.h"

#include <fmt/format.h>

#include <thread>

#include "lightpath/orchestrator/encryption_keys.h"
#include "lightpath/orchestrator/hold_records.h"
#include "lightpath/orchestrator/internal/context.h"
#include "lightpath/service/connection_json.h"

namespace lightpath {

Lifecycle::Lifecycle(OrchestratorContext& ctx) : ctx_(ctx) {}

Result<Connection> Lifecycle::order(const std::string& tenant, ConnectionSpec spec,
                                    const std::string& actor, const AlsoInTransaction& also) {
  LP_RETURN_IF_ERROR(validateSpec(spec));
  const TimePoint now = ctx_.now();
  const Window window{spec.start.value_or(now), spec.end.value_or(TimePoint::max())};
  LP_RETURN_IF_ERROR(checkWindowAt(spec, now));
  if (spec.encryption != Encryption::None && !ctx_.deps.sealer)
    return fail(failedPrecondition("encryption: no master key to seal connection keys with"));
  // A connection this one must be diverse from: the tenant's own and still live (another
  // tenant's answers like one that does not exist).
  std::optional<Realization> diverse_from;
  if (!spec.diverse_from.empty()) {
    auto other = ctx_.records.get(spec.diverse_from);
    if (!other && other.error().code() != StatusCode::NotFound) return fail(other.error());
    if (!other || other->tenant() != tenant || stateInfo(other->state()).terminal)
      return fail(invalidArgument(
          fmt::format("diverse_from: no live connection '{}'", spec.diverse_from.substr(0, 60))));
    diverse_from = other->current();
  }
  const std::string id = ctx_.newId("conn");
  LP_ASSIGN_OR_RETURN(Placed placed,
                      routeAndHold(id, spec, window, diverse_from ? &*diverse_from : nullptr));
  Realization realization = std::move(placed.realization);
  std::vector<HoldRecord> holds = std::move(placed.holds);
  if (spec.encryption != Encryption::None) {
    realization.keys =
        firstKeys(makeEncryptionKey(*ctx_.deps.sealer, id, now), now, ctx_.deps.key_rotation);
  }
  Connection c = Connection::draft(id, tenant, std::move(spec), now, actor);
  c.setCurrent(std::move(realization));
  LP_RETURN_IF_ERROR(
      c.transition(ConnectionState::Provisioning, now, actor, "route and capacity reserved"));
  Status saved = ctx_.records.save(c, 0, "connection.created", "ordered", holds, {}, also);
  if (!saved.isOk()) {
    releaseHolds(*ctx_.deps.ledger, holds);  // not durable: hold nothing
    return fail(saved);
  }
  return c;
}

Result<Lifecycle::Placed> Lifecycle::routeAndHold(const std::string& id, const ConnectionSpec& spec,
                                                  const Window& window,
                                                  const Realization* diverse_from) {
  // Bandwidth that steps over time: the route carries the peak; capacity is held step by step
  // (one hold per step's window), the VLAN over the whole window.
  std::lock_guard lock(ctx_.planning_mutex);
  LP_ASSIGN_OR_RETURN(auto planned,
                      ctx_.planner.plan(spec, window, order_workspace_, diverse_from));
  LP_ASSIGN_OR_RETURN(auto held, reserveParts(*ctx_.deps.ledger, id,
                                              holdParts(spec, window, std::move(planned.claims))));
  Placed placed{std::move(planned.realization), std::move(held)};
  for (const HoldRecord& h : placed.holds) placed.realization.holds.push_back(h.id);
  return placed;
}

Result<LoadReport> Lifecycle::load(const std::string& tenant,
                                   const std::vector<ConnectionSpec>& specs,
                                   const std::string& actor) {
  for (const ConnectionSpec& spec : specs) {  // the whole batch checked before anything is held
    LP_RETURN_IF_ERROR(validateSpec(spec));
    if (spec.kind == ConnectionKind::Cloud || spec.encryption != Encryption::None || spec.start ||
        !spec.steps.empty() || !spec.diverse_from.empty()) {
      return fail(invalidArgument(
          "load: plain Ethernet or wavelength connections only (no cloud, encryption, start, "
          "steps or diversity: those need their own workflows)"));
    }
  }
  LoadReport report;
  const TimePoint now = ctx_.now();
  std::vector<Connection> batch;
  std::vector<std::vector<HoldRecord>> holds;
  auto giveBack = [&](const Status& why) -> Result<LoadReport> {
    for (const auto& h : holds) releaseHolds(*ctx_.deps.ledger, h);
    return fail(why);
  };
  for (const ConnectionSpec& spec : specs) {
    const std::string id = ctx_.newId("conn");
    auto placed = routeAndHold(id, spec, {now, spec.end.value_or(TimePoint::max())}, nullptr);
    if (!placed) {
      const StatusCode code = placed.error().code();
      if (code != StatusCode::ResourceExhausted && code != StatusCode::FailedPrecondition)
        return giveBack(placed.error());
      if (report.refused++ == 0) report.first_refusal = placed.error().message();
      continue;
    }
    holds.push_back(std::move(placed->holds));
    Connection c = Connection::draft(id, tenant, spec, now, actor);
    c.setCurrent(std::move(placed->realization));
    Status moved =
        c.transition(ConnectionState::Provisioning, now, actor, "route and capacity reserved");
    if (moved.isOk())
      moved = c.transition(ConnectionState::Active, now, "orchestrator", "devices configured");
    if (!moved.isOk()) return giveBack(moved);
    c.setOperState(OperState::Up);
    batch.push_back(std::move(c));
  }
  // The devices first, one change per node for the whole batch, then the store: a batch the
  // store refuses is taken off the devices again.
  std::map<std::string, NodeChange> by_node;
  for (const Connection& c : batch) {
    auto changes = deviceIntent(c, *ctx_.deps.fleet, now, IntentAction::Apply, ctx_.deps.sealer);
    if (!changes) return giveBack(changes.error());
    for (NodeChange& change : *changes) {
      NodeChange& merged = by_node[change.node];
      merged.node = change.node;
      for (ConfigEntry& e : change.change.set) merged.change.set.push_back(std::move(e));
    }
  }
  std::vector<NodeChange> apply, undo;
  for (auto& [node, change] : by_node) {
    change.change.transaction = "load/" + batch.front().id();
    DeviceChange removal{change.change.transaction + "/undo", {}, {}};
    for (const ConfigEntry& e : change.change.set) removal.remove.push_back(e.key);
    undo.push_back({node, std::move(removal)});
    apply.push_back(std::move(change));
  }
  if (Status devices = ctx_.applyToDevices(apply); !devices.isOk()) return giveBack(devices);
  std::vector<ConnectionRecords::Change> changes;
  for (std::size_t i = 0; i < batch.size(); ++i)
    changes.push_back({&batch[i], 0, "connection.created", "loaded", holds[i], {}});
  if (Status saved = ctx_.records.saveAll(changes); !saved.isOk()) {
    (void)ctx_.applyToDevices(undo);
    return giveBack(saved);
  }
  report.loaded = batch.size();
  return report;
}

Status Lifecycle::releaseEverything(Connection& c, ConnectionState to, const std::string& actor,
                                    const std::string& reason) {
  const std::vector<std::uint64_t> holds = c.current().holds;
  Realization r = c.current();
  r.holds.clear();
  const std::uint64_t before = c.version();
  c.setCurrent(std::move(r));
  LP_RETURN_IF_ERROR(c.transition(to, ctx_.now(), actor, reason));
  // The ledger gives the capacity back only once the store has: if the write fails (a database
  // restarting), the holds stay booked in both, never free in one and held in the other.
  LP_RETURN_IF_ERROR(ctx_.records.save(c, before, "connection.stateChanged", reason, {}, holds));
  for (std::uint64_t h : holds) (void)ctx_.deps.ledger->release(h);
  return Status::ok();
}

Status Lifecycle::activate(const std::string& id) {
  auto guard = ctx_.locks.lock(id);
  LP_ASSIGN_OR_RETURN(Connection c, ctx_.records.get(id));
  if (c.state() != ConnectionState::Provisioning) {
    return failedPrecondition(
        fmt::format("connection {} is {}, not provisioning", id, toString(c.state())));
  }
  if (c.requested().start && *c.requested().start > ctx_.now()) {
    return failedPrecondition(fmt::format("connection {} is scheduled to start at {}", id,
                                          formatTime(*c.requested().start)));
  }
  Status devices = ctx_.configure(c, IntentAction::Apply);
  for (std::size_t attempt = 0; !devices.isOk() && devices.code() == StatusCode::Unavailable &&
                                attempt < ctx_.deps.retry_delays.size();
       ++attempt) {
    std::this_thread::sleep_for(ctx_.deps.retry_delays[attempt]);
    devices = ctx_.configure(c, IntentAction::Apply);
  }
  if (devices.code() == StatusCode::Internal) {
    // Compensation itself failed: some device may still hold part of it. Keep the capacity and
    // leave the connection provisioning, so a restart or a reconcile finishes it either way.
    return devices;
  }
  if (!devices.isOk()) {
    // applyAcrossDevices left no configuration behind; give the capacity back too.
    LP_RETURN_IF_ERROR(releaseEverything(c, ConnectionState::Failed, "orchestrator",
                                         "devices: " + devices.message()));
    return devices;
  }
  const std::uint64_t before = c.version();
  const bool cloud = c.requested().kind == ConnectionKind::Cloud;
  if (cloud) {
    if (Status asked = askProvider(c); !asked.isOk()) {
      // The provider refused the hand-shake (a key it does not know, a circuit that does not
      // match): nothing will come of it, so nothing is kept.
      LP_RETURN_IF_ERROR(ctx_.configure(c, IntentAction::Remove));
      LP_RETURN_IF_ERROR(releaseEverything(c, ConnectionState::Failed, c.requested().cloud_provider,
                                           asked.message()));
      return asked;
    }
  }
  LP_RETURN_IF_ERROR(
      c.transition(cloud ? ConnectionState::AwaitingCounterparty : ConnectionState::Active,
                   ctx_.now(), "orchestrator",
                   cloud ? "configured; waiting for the customer to accept at the provider"
                         : "devices configured"));
  c.setOperState(cloud ? OperState::Down : OperState::Up);
  return ctx_.records.save(c, before, "connection.stateChanged", "activated", {}, {});
}

Status Lifecycle::acceptCounterparty(const std::string& id) {
  auto guard = ctx_.locks.lock(id);
  LP_ASSIGN_OR_RETURN(Connection c, ctx_.records.get(id));
  const std::uint64_t before = c.version();
  LP_RETURN_IF_ERROR(c.transition(ConnectionState::Active, ctx_.now(), c.requested().cloud_provider,
                                  "accepted by the provider"));
  c.setOperState(OperState::Up);
  return ctx_.records.save(c, before, "connection.stateChanged", "accepted", {}, {});
}

Status Lifecycle::terminate(const std::string& id, const std::string& actor,
                            const std::string& reason) {
  auto guard = ctx_.locks.lock(id);
  LP_ASSIGN_OR_RETURN(Connection c, beginTerminateLocked(id, actor, {}, reason));
  Status devices = ctx_.configure(c, IntentAction::Remove);
  if (!devices.isOk()) return devices;  // stays deprovisioning; recovery or a retry finishes it
  // The provider's side goes too (the customer stops paying for it there); unreachable, the
  // connection stays deprovisioning and a retry finishes it.
  LP_RETURN_IF_ERROR(removeAtProvider(c));
  return releaseEverything(c, ConnectionState::Terminated, "orchestrator",
                           "configuration removed, capacity released");
}

Result<Connection> Lifecycle::beginTerminate(const std::string& id, const std::string& actor,
                                             const AlsoInTransaction& also) {
  auto guard = ctx_.locks.lock(id);
  return beginTerminateLocked(id, actor, also);
}

Result<Connection> Lifecycle::beginTerminateLocked(const std::string& id, const std::string& actor,
                                                   const AlsoInTransaction& also,
                                                   const std::string& reason) {
  LP_ASSIGN_OR_RETURN(Connection c, ctx_.records.get(id));
  if (c.state() == ConnectionState::Deprovisioning) return c;
  const std::uint64_t before = c.version();
  LP_RETURN_IF_ERROR(c.transition(ConnectionState::Deprovisioning, ctx_.now(), actor, reason));
  LP_RETURN_IF_ERROR(
      ctx_.records.save(c, before, "connection.stateChanged", "terminating", {}, {}, also));
  return c;
}

Result<Hold> Lifecycle::singleHold(const Connection& c) const {
  if (c.current().holds.size() != 1) {
    return fail(internalError(fmt::format("connection {} has no single hold", c.id())));
  }
  auto hold = ctx_.deps.ledger->hold(c.current().holds.front());
  if (!hold) {
    return fail(internalError(fmt::format("connection {}: hold {} is not in the ledger", c.id(),
                                          c.current().holds.front())));
  }
  return *hold;
}

Status Lifecycle::keepAsItWas(Connection c) {
  auto guard = ctx_.locks.lock(c.id());
  // The store still holds the connection, its hold and its price as they were before the
  // change (they are written when a change completes): the devices are put back to that.
  LP_RETURN_IF_ERROR(ctx_.configure(c, IntentAction::Apply, "/kept"));
  const std::uint64_t before = c.version();
  LP_RETURN_IF_ERROR(c.transition(ConnectionState::Active, ctx_.now(), "orchestrator",
                                  "restarted during a change: kept as it was"));
  return ctx_.records.save(c, before, "connection.stateChanged", "kept as it was", {}, {});
}

}  // namespace lightpath
