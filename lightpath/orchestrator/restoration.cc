// Failures answered: decide and reserve, persist as modifying, devices in one change, outcome.
#include "lightpath/orchestrator/restoration.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "lightpath/base/log.h"
#include "lightpath/orchestrator/hold_records.h"
#include "lightpath/orchestrator/internal/context.h"

namespace lightpath {
namespace {

constexpr std::string_view kRestoring = "restoring";
// A 1+1 switch, modelled as bidirectional APS: loss of signal detected, the far end told over
// the protection leg, both selectors moved.
constexpr double kDetectMs = 10, kSelectMs = 10;

// Who is restored first when capacity is short: the SLA class, then the oldest order.
int slaRank(const std::string& sla) {
  if (sla == "platinum") return 0;
  if (sla == "gold") return 1;
  if (sla == "silver") return 2;
  return 3;
}

TimePoint orderedAt(const Connection& c) {
  return c.history().empty() ? TimePoint{} : c.history().front().at;
}

// The protection leg becomes the working one (and the dead working leg the protection).
Realization swapped(Realization r) {
  std::swap(r.nodes, r.protection_nodes);
  std::swap(r.fibers, r.protection_fibers);
  std::swap(r.km, r.protection_km);
  r.latency_ms = fiberLatency(Km(r.km)).value() / 1000.0;
  if (r.qot.size() == 2) std::swap(r.qot[0], r.qot[1]);
  return r;
}

// No route: what a down connection keeps (its price).
Realization routeless(const Realization& r) {
  Realization out;
  out.price = r.price;
  return out;
}

std::vector<Outage> opened(std::vector<Outage> outages, TimePoint at, const std::string& why) {
  if (outages.empty() || outages.back().end) outages.push_back({at, std::nullopt, why});
  return outages;
}

std::vector<Outage> closed(std::vector<Outage> outages, TimePoint at) {
  if (!outages.empty() && !outages.back().end) outages.back().end = at;
  return outages;
}

// Up, or degraded while a 1+1 connection lacks a working protection leg.
OperState operStateOf(const Connection& c, const DownSet& down, const Topology& t) {
  if (c.requested().protection == Protection::None) return OperState::Up;
  const Realization& r = c.current();
  if (r.protection_nodes.empty() || down.crosses(t, r.protection_fibers, r.protection_nodes))
    return OperState::Degraded;
  return OperState::Up;
}

// The device change that takes `before`'s entries away and puts `after`'s in place (entries
// both need stay), per node.
Result<std::map<std::string, DeviceChange>> rerouteChanges(const Connection& before,
                                                          const Connection* after,
                                                          const DeviceFleet& fleet, TimePoint now) {
  std::map<std::string, DeviceChange> by_node;
  std::map<std::string, std::set<std::string>> kept;
  if (after) {
    LP_ASSIGN_OR_RETURN(auto applies, deviceIntent(*after, fleet, now, IntentAction::Apply));
    for (NodeChange& nc : applies) {
      for (ConfigEntry& e : nc.change.set) {
        kept[nc.node].insert(e.key);
        by_node[nc.node].set.push_back(std::move(e));
      }
    }
  }
  LP_ASSIGN_OR_RETURN(auto removes, deviceIntent(before, fleet, now, IntentAction::Remove));
  for (NodeChange& nc : removes) {
    for (std::string& key : nc.change.remove) {
      if (!kept[nc.node].contains(key)) by_node[nc.node].remove.push_back(std::move(key));
    }
  }
  return by_node;
}

std::vector<NodeChange> asNodeChanges(std::map<std::string, DeviceChange> by_node,
                                      const std::string& transaction) {
  std::vector<NodeChange> out;
  for (auto& [node, change] : by_node) {
    if (change.set.empty() && change.remove.empty()) continue;
    change.transaction = transaction;
    out.push_back({node, std::move(change)});
  }
  return out;
}

}  // namespace

struct Restorer::Decision {
  enum class Kind { Switch, Degrade, Protect, Restore, Down };
  Kind kind = Kind::Down;
  Connection before;                      // as stored
  Realization next;                       // Switch, Restore: the route after
  OperState oper = OperState::Up;         // after
  std::vector<HoldRecord> new_holds;      // Restore
  std::vector<Hold> old_holds;            // Restore, Down: given back on the ledger
  std::string reason;                     // the outcome, for its event
  double switch_ms = 0;                   // Switch
  bool devices_ok = true;
  std::map<std::string, DeviceChange> devices;  // Switch, Restore, Down
};

struct Restorer::Pass {
  std::vector<Decision> decisions;
  FailureEffect effect;
  TimePoint at;
  std::string why;
};

Restorer::Restorer(OrchestratorContext& ctx) : ctx_(ctx) {}
Restorer::~Restorer() = default;

bool Restorer::isRestoring(const Connection& c) {
  return c.state() == ConnectionState::Modifying && !c.history().empty() &&
         c.history().back().reason.starts_with(kRestoring);
}

Result<Restorer::Pass> Restorer::decide(const RoutePlanner& planner, Ledger& ledger,
                                        const DownSet& down, const std::string& why) {
  LP_ASSIGN_OR_RETURN(auto live, ctx_.records.live());
  const Topology& t = *ctx_.deps.topology;
  Pass pass;
  pass.at = ctx_.now();
  pass.why = why;
  std::vector<const Connection*> to_restore;
  for (const auto& [id, c] : live) {
    if (c.state() != ConnectionState::Active) continue;
    const Realization& r = c.current();
    if (r.nodes.empty()) {
      if (c.operState() == OperState::Down) to_restore.push_back(&c);  // down since earlier
      continue;
    }
    const bool protected_now = !r.protection_nodes.empty();
    const bool working = down.crosses(t, r.fibers, r.nodes);
    const bool protection = protected_now && down.crosses(t, r.protection_fibers, r.protection_nodes);
    Decision d{.before = c};
    if (!working && !protection) {
      if (!protected_now || c.operState() != OperState::Degraded) continue;
      d.kind = Decision::Kind::Protect;
      d.reason = "protection leg back in service";
      pass.decisions.push_back(std::move(d));
      continue;
    }
    if (!working) {  // only the protection leg is hit
      if (c.operState() == OperState::Degraded) continue;
      pass.effect.hit.push_back(id);
      d.kind = Decision::Kind::Degrade;
      d.oper = OperState::Degraded;
      d.reason = fmt::format("protection leg down ({}): unprotected", why);
      pass.decisions.push_back(std::move(d));
      continue;
    }
    pass.effect.hit.push_back(id);
    if (protected_now && !protection) {
      d.kind = Decision::Kind::Switch;
      d.next = swapped(r);
      d.oper = OperState::Degraded;
      d.switch_ms = kDetectMs + d.next.latency_ms + kSelectMs;
      d.reason = fmt::format("switched to the protection leg in {:.1f} ms ({})", d.switch_ms, why);
      pass.decisions.push_back(std::move(d));
      continue;
    }
    to_restore.push_back(&c);
  }
  std::stable_sort(to_restore.begin(), to_restore.end(), [](const Connection* a, const Connection* b) {
    const int ra = slaRank(a->requested().sla), rb = slaRank(b->requested().sla);
    if (ra != rb) return ra < rb;
    return orderedAt(*a) < orderedAt(*b);
  });
  // Every dead route's capacity is given back first, so the first in line may use any of it.
  std::vector<std::vector<Hold>> released(to_restore.size());
  for (std::size_t i = 0; i < to_restore.size(); ++i) {
    for (std::uint64_t h : to_restore[i]->current().holds) {
      if (auto hold = ledger.hold(h)) {
        released[i].push_back(*hold);
        (void)ledger.release(h);
      }
    }
  }
  std::map<std::string, std::uint64_t> shortfall;
  for (std::size_t i = 0; i < to_restore.size(); ++i) {
    const Connection& c = *to_restore[i];
    const Realization& r = c.current();
    ConnectionSpec spec = c.requested();
    if (r.vlan) spec.vlan = r.vlan;  // the customer's VLAN stays
    const Window window{ctx_.now(), spec.end.value_or(TimePoint::max())};
    Decision d{.before = c, .old_holds = std::move(released[i])};
    std::string first_error;
    bool found = false;
    // As ordered; then without protection; then without the latency bound (a reported breach).
    for (int attempt = 0; attempt < 3 && !found; ++attempt) {
      ConnectionSpec a = spec;
      if (attempt >= 1) a.protection = Protection::None;
      if (attempt == 1 && spec.protection == Protection::None) continue;
      if (attempt == 2) {
        if (!spec.max_latency) break;
        a.max_latency.reset();
      }
      auto plan = planner.plan(a, window, ws_);
      Result<std::vector<HoldRecord>> held =
          plan ? reserveParts(ledger, c.id(), holdParts(a, window, plan->claims))
               : Result<std::vector<HoldRecord>>(fail(plan.error()));
      if (!held) {
        if (first_error.empty()) first_error = held.error().message();
        continue;
      }
      found = true;
      d.kind = Decision::Kind::Restore;
      d.new_holds = std::move(*held);
      d.next = std::move(plan->realization);
      d.next.price = r.price;  // the customer's price stays
      for (const HoldRecord& h : d.new_holds) d.next.holds.push_back(h.id);
      d.oper = a.protection == spec.protection ? OperState::Up : OperState::Degraded;
      d.reason = fmt::format("restored on a new route: {:.0f} km, {:.2f} ms ({})", d.next.km,
                             d.next.latency_ms, why);
      if (a.protection != spec.protection) d.reason += "; unprotected: no diverse route left";
      if (attempt == 2) {
        d.reason += fmt::format("; SLA breach: latency {:.2f} ms is over the bound of {:g} ms",
                                d.next.latency_ms, spec.max_latency->value() / 1000.0);
      }
    }
    if (!found) {
      d.kind = Decision::Kind::Down;
      d.oper = OperState::Down;
      d.reason = "no route on surviving capacity: " + first_error;
      // What packet capacity it lacks on its best surviving route.
      if (spec.kind != ConnectionKind::Wavelength && !r.nodes.empty()) {
        auto a = t.findNode(r.nodes.front()), z = t.findNode(r.nodes.back());
        if (a && z && *a != *z && !down.nodeDown(*a) && !down.nodeDown(*z)) {
          PathRequest request{.from = *a, .to = *z, .metric = Metric::Latency};
          request.constraints.exclude_fibers = down.fibers();
          request.constraints.exclude_nodes = down.nodes();
          if (auto path = ctx_.deps.engine->shortestPath(request, ws_)) {
            const std::uint64_t need = peakBandwidth(spec);
            for (FiberIndex f : path->fibers) {
              const std::uint64_t free =
                  ledger.freeQuantity({ResourceKind::LinkBandwidth, f}, window);
              if (free < need) shortfall[t.fiber(f).id] += need - free;
            }
          }
        }
      }
    }
    pass.decisions.push_back(std::move(d));
  }
  for (const auto& [fiber, mbps] : shortfall) pass.effect.shortfall.push_back({fiber, mbps});
  for (const Decision& d : pass.decisions) {
    using K = Decision::Kind;
    const std::string& id = d.before.id();
    if (d.kind == K::Switch) pass.effect.switched.push_back(id);
    if (d.kind == K::Restore) pass.effect.restored.push_back(id);
    if (d.kind == K::Degrade || (d.kind == K::Switch) ||
        (d.kind == K::Restore && d.oper == OperState::Degraded))
      pass.effect.degraded.push_back(id);
    if (d.kind == K::Down) pass.effect.unrestorable.push_back({id, d.reason});
    if (d.kind == K::Protect) pass.effect.reprotected.push_back(id);
  }
  return pass;
}

Status Restorer::execute(Pass& pass) {
  using K = Decision::Kind;
  const Topology& t = *ctx_.deps.topology;
  const auto down = ctx_.health.down();
  // (1) Durable first: routes that change are stored as modifying (recovery finishes them),
  // the rest as they end.
  std::vector<Connection> first;
  first.reserve(pass.decisions.size());
  std::vector<ConnectionRecords::Change> changes;
  for (Decision& d : pass.decisions) {
    Connection c = d.before;
    ConnectionRecords::Change change{.expected_version = d.before.version()};
    std::vector<std::uint64_t> old_ids;
    for (const Hold& h : d.old_holds) old_ids.push_back(h.id);
    switch (d.kind) {
      case K::Switch:
      case K::Restore:
        c.setCurrent(d.next);
        LP_RETURN_IF_ERROR(c.transition(ConnectionState::Modifying, pass.at, "orchestrator",
                                        fmt::format("{}: {}", kRestoring, pass.why)));
        c.setOperState(OperState::Down);
        c.setOutages(opened(c.outages(), pass.at, pass.why));
        change.event_type = "connection.stateChanged";
        change.reason = fmt::format("{}: {}", kRestoring, pass.why);
        change.put_holds = d.new_holds;
        change.delete_holds = old_ids;
        break;
      case K::Down:
        c.setCurrent(routeless(c.current()));
        c.setOperState(OperState::Down);
        c.setOutages(opened(c.outages(), pass.at, pass.why));
        change.event_type = "connection.down";
        change.reason = d.reason;
        change.delete_holds = old_ids;
        break;
      case K::Degrade:
      case K::Protect:
        c.setOperState(d.oper);
        change.event_type = d.kind == K::Degrade ? "connection.degraded" : "connection.protected";
        change.reason = d.reason;
        break;
    }
    if (d.kind == K::Switch || d.kind == K::Restore || d.kind == K::Down) {
      auto devices = rerouteChanges(d.before, d.kind == K::Down ? nullptr : &c, *ctx_.deps.fleet,
                                    pass.at);
      if (devices) d.devices = std::move(*devices);
      else d.devices_ok = false;
    }
    first.push_back(std::move(c));
    change.connection = &first.back();
    changes.push_back(std::move(change));
  }
  if (changes.empty()) return Status::ok();
  Status saved = ctx_.records.saveAll(changes);
  if (!saved.isOk()) {
    // Nothing was stored: the ledger goes back to what the store says.
    for (Decision& d : pass.decisions) {
      for (const HoldRecord& h : d.new_holds) (void)ctx_.deps.ledger->release(h.id);
      for (const Hold& h : d.old_holds)
        (void)ctx_.deps.ledger->restore(h.id, h.owner, h.claims, h.window);
    }
    return saved;
  }
  // (2) The devices: one change per device for the whole pass; one connection at a time if a
  // device refuses it (all or nothing, so the first try left nothing behind).
  std::map<std::string, DeviceChange> merged;
  for (const Decision& d : pass.decisions) {
    for (const auto& [node, change] : d.devices) {
      DeviceChange& m = merged[node];
      m.set.insert(m.set.end(), change.set.begin(), change.set.end());
      m.remove.insert(m.remove.end(), change.remove.begin(), change.remove.end());
    }
  }
  const std::string transaction = ctx_.newId("restore");
  if (!ctx_.applyToDevices(asNodeChanges(merged, transaction)).isOk()) {
    for (std::size_t i = 0; i < pass.decisions.size(); ++i) {
      Decision& d = pass.decisions[i];
      if (d.devices.empty() || !d.devices_ok) continue;
      Status s = ctx_.applyToDevices(
          asNodeChanges(d.devices, fmt::format("{}/{}", transaction, d.before.id())));
      if (!s.isOk()) {
        d.devices_ok = false;
        d.reason = "devices: " + s.message();
        log().warn("restoration of {}: {}", d.before.id(), s.toString());
      }
    }
  }
  // (3) The outcome, with its events.
  std::vector<Connection> last;
  last.reserve(pass.decisions.size());
  changes.clear();
  for (std::size_t i = 0; i < pass.decisions.size(); ++i) {
    Decision& d = pass.decisions[i];
    if (d.kind != K::Switch && d.kind != K::Restore) continue;
    Connection c = first[i];
    ConnectionRecords::Change change{.expected_version = c.version()};
    if (d.devices_ok) {
      LP_RETURN_IF_ERROR(
          c.transition(ConnectionState::Active, ctx_.now(), "orchestrator", d.reason));
      c.setOperState(d.kind == K::Switch ? OperState::Degraded : operStateOf(c, *down, t));
      const TimePoint end = d.kind == K::Switch
                                ? pass.at + std::chrono::microseconds(
                                                static_cast<std::int64_t>(d.switch_ms * 1000))
                                : ctx_.now();
      c.setOutages(closed(c.outages(), end));
      change.event_type = d.kind == K::Switch ? "connection.switched" : "connection.restored";
    } else {
      // The devices kept the old route's entries: take them off, give the new capacity back.
      if (!ctx_.configure(d.before, IntentAction::Remove, "/down").isOk())
        log().warn("{}: old entries left for reconcile", d.before.id());
      for (const HoldRecord& h : d.new_holds) {
        (void)ctx_.deps.ledger->release(h.id);
        change.delete_holds.push_back(h.id);
      }
      c.setCurrent(routeless(c.current()));
      LP_RETURN_IF_ERROR(
          c.transition(ConnectionState::Active, ctx_.now(), "orchestrator", d.reason));
      c.setOperState(OperState::Down);
      change.event_type = "connection.down";
      auto& e = pass.effect;
      for (auto* list : {&e.switched, &e.restored, &e.degraded})
        list->erase(std::remove(list->begin(), list->end(), d.before.id()), list->end());
      e.unrestorable.push_back({d.before.id(), d.reason});
    }
    change.reason = d.reason;
    last.push_back(std::move(c));
    change.connection = &last.back();
    changes.push_back(std::move(change));
  }
  return changes.empty() ? Status::ok() : ctx_.records.saveAll(changes);
}

Result<FailureEffect> Restorer::respond(const std::string& why) {
  std::lock_guard lock(mutex_);
  auto connections = ctx_.locks.lockAll();
  std::optional<Pass> pass;
  {
    std::lock_guard planning(ctx_.planning_mutex);
    LP_ASSIGN_OR_RETURN(pass, decide(ctx_.planner, *ctx_.deps.ledger, *ctx_.health.down(), why));
  }
  LP_RETURN_IF_ERROR(execute(*pass));
  return pass->effect;
}

Status Restorer::finishRestoring(Connection c) {
  auto guard = ctx_.locks.lock(c.id());
  LP_RETURN_IF_ERROR(ctx_.configure(c, IntentAction::Apply, "/restored"));
  const std::uint64_t before = c.version();
  LP_RETURN_IF_ERROR(c.transition(ConnectionState::Active, ctx_.now(), "orchestrator",
                                  "restoration finished after a restart"));
  c.setOperState(operStateOf(c, *ctx_.health.down(), *ctx_.deps.topology));
  c.setOutages(closed(c.outages(), ctx_.now()));
  return ctx_.records.save(c, before, "connection.restored", "restoration finished after a restart",
                           {}, {});
}

Result<std::vector<FailureRecord>> Restorer::activeFailures() const {
  std::vector<FailureRecord> out;
  LP_RETURN_IF_ERROR(ctx_.records.store().read([&](StoreTransaction& tx) -> Status {
    for (std::size_t offset = 0;; offset += 500) {
      LP_ASSIGN_OR_RETURN(auto page,
                          tx.documents({.kind = "failure", .offset = offset, .limit = 500}, nullptr));
      for (const DocumentRecord& d : page) {
        LP_ASSIGN_OR_RETURN(FailureRecord f, failureFromJson(d.body));
        if (!f.repaired_at) out.push_back(std::move(f));
      }
      if (page.size() < 500) return Status::ok();
    }
  }));
  return out;
}

Status Restorer::setDown(const std::vector<FailureTarget>& targets) {
  LP_ASSIGN_OR_RETURN(DownSet down, DownSet::of(*ctx_.deps.topology, targets));
  ctx_.health.set(std::make_shared<const DownSet>(std::move(down)));
  return Status::ok();
}

Result<std::size_t> Restorer::load() {
  std::lock_guard lock(mutex_);
  LP_ASSIGN_OR_RETURN(auto active, activeFailures());
  std::vector<FailureTarget> targets;
  for (const FailureRecord& f : active) targets.push_back(f.target);
  LP_RETURN_IF_ERROR(setDown(targets));
  return active.size();
}

namespace {

std::string describe(const FailureRecord& f) {
  return fmt::format("failure {}: {} {}{}", f.id, toString(f.target.kind), f.target.id,
                     f.reason.empty() ? "" : ", " + f.reason);
}

}  // namespace

Result<FailureRecord> Restorer::failure(const FailureTarget& target,
                                        const std::string& reason, const std::string& actor, const StoreWork& also) {
  const Topology& t = *ctx_.deps.topology;
  FailureRecord record;
  {
    std::lock_guard lock(mutex_);
    LP_ASSIGN_OR_RETURN(auto active, activeFailures());
    std::vector<FailureTarget> targets;
    for (const FailureRecord& f : active) {
      if (f.target == target) {
        return fail(Status(StatusCode::AlreadyExists,
                           fmt::format("{} '{}' is down already (failure {})",
                                       toString(target.kind), target.id, f.id)));
      }
      targets.push_back(f.target);
    }
    LP_ASSIGN_OR_RETURN(DownSet own, DownSet::of(t, {target}));
    record = {.id = ctx_.newId("fail"),
              .target = target,
              .reason = reason,
              .actor = actor,
              .at = ctx_.now()};
    for (FiberIndex f : own.fibers()) record.fibers.push_back(t.fiber(f).id);
    for (NodeIndex n : own.nodes()) record.nodes.push_back(t.node(n).id);
    LP_RETURN_IF_ERROR(ctx_.records.store().transact([&](StoreTransaction& tx) -> Status {
      LP_RETURN_IF_ERROR(tx.putDocument({"failure", record.id, "", failureToJson(record)}));
      return also ? also(tx) : Status::ok();
    }));
    targets.push_back(target);
    LP_RETURN_IF_ERROR(setDown(targets));
  }
  LP_ASSIGN_OR_RETURN(record.effect, respond(describe(record)));
  LP_RETURN_IF_ERROR(ctx_.records.store().transact([&](StoreTransaction& tx) {
    return tx.putDocument({"failure", record.id, "", failureToJson(record)});
  }));
  return record;
}

Result<FailureRecord> Restorer::repair(const std::string& id, const std::string& actor,
                                       const StoreWork& also) {
  FailureRecord record;
  {
    std::lock_guard lock(mutex_);
    LP_ASSIGN_OR_RETURN(auto active, activeFailures());
    std::vector<FailureTarget> targets;
    bool found = false;
    for (FailureRecord& f : active) {
      if (f.id == id) {
        record = std::move(f);
        found = true;
      } else {
        targets.push_back(f.target);
      }
    }
    if (!found) {
      std::optional<DocumentRecord> doc;
      LP_RETURN_IF_ERROR(ctx_.records.store().read([&](StoreTransaction& tx) -> Status {
        LP_ASSIGN_OR_RETURN(doc, tx.document("failure", id));
        return Status::ok();
      }));
      if (doc) return fail(failedPrecondition(fmt::format("failure {} is repaired already", id)));
      return fail(notFound(fmt::format("no failure '{}'", id)));
    }
    record.repaired_at = ctx_.now();
    LP_RETURN_IF_ERROR(ctx_.records.store().transact([&](StoreTransaction& tx) -> Status {
      LP_RETURN_IF_ERROR(tx.putDocument({"failure", record.id, "", failureToJson(record)}));
      return also ? also(tx) : Status::ok();
    }));
    (void)actor;
    LP_RETURN_IF_ERROR(setDown(targets));
  }
  LP_ASSIGN_OR_RETURN(record.repair_effect, respond("repair of " + describe(record)));
  LP_RETURN_IF_ERROR(ctx_.records.store().transact([&](StoreTransaction& tx) {
    return tx.putDocument({"failure", record.id, "", failureToJson(record)});
  }));
  return record;
}

Result<FailureEffect> Restorer::analyze(const FailureTarget& target) {
  std::lock_guard lock(mutex_);
  LP_ASSIGN_OR_RETURN(auto active, activeFailures());
  std::vector<FailureTarget> targets;
  for (const FailureRecord& f : active) targets.push_back(f.target);
  targets.push_back(target);
  LP_ASSIGN_OR_RETURN(DownSet down, DownSet::of(*ctx_.deps.topology, targets));
  NetworkHealth what_if;
  what_if.set(std::make_shared<const DownSet>(down));
  auto connections = ctx_.locks.lockAll();
  std::unique_ptr<Ledger> ledger;
  {
    std::lock_guard planning(ctx_.planning_mutex);
    ledger = ctx_.deps.ledger->copy();
  }
  const RoutePlanner planner = ctx_.planner.over(ledger.get(), &what_if);
  LP_ASSIGN_OR_RETURN(Pass pass, decide(planner, *ledger, down, "what-if"));
  return pass.effect;
}

}  // namespace lightpath
