// Failures answered: decide and reserve, devices in one change, then the outcome stored at once.
#include "lightpath/orchestrator/restoration.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "lightpath/base/log.h"
#include "lightpath/orchestrator/hold_records.h"
#include "lightpath/orchestrator/internal/context.h"
#include "lightpath/service/connection_json.h"

namespace lightpath {
namespace {

// A 1+1 switch, modelled as bidirectional APS: loss of signal detected, the far end told over
// the protection leg, both selectors moved.
constexpr double kDetectMs = 10, kSelectMs = 10;

// Who is restored first when capacity is short: the SLA class's priority (the price book's),
// then the oldest order.
int slaRank(const PriceBook* book, const std::string& sla) {
  const SlaClass* c = book ? book->slaClass(sla) : nullptr;
  return c ? c->priority : std::numeric_limits<int>::max();
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

// No route: what a down connection keeps (its price, its keys).
Realization routeless(const Realization& r) {
  Realization out;
  out.price = r.price;
  out.keys = r.keys;
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

// The device change that takes `before`'s entries away and puts `after`'s in place (entries
// both need stay), per node.
Result<std::map<std::string, DeviceChange>> rerouteChanges(const Connection& before,
                                                           const Connection* after,
                                                           const DeviceFleet& fleet, TimePoint now,
                                                           const Sealer* sealer) {
  std::map<std::string, DeviceChange> by_node;
  std::map<std::string, std::set<std::string>> kept;
  if (after) {
    LP_ASSIGN_OR_RETURN(auto applies,
                        deviceIntent(*after, fleet, now, IntentAction::Apply, sealer));
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

std::vector<NodeChange> asNodeChanges(const std::map<std::string, DeviceChange>& by_node,
                                      const std::string& transaction) {
  std::vector<NodeChange> out;
  for (const auto& [node, change] : by_node) {
    if (change.set.empty() && change.remove.empty()) continue;
    out.push_back({node, change});
    out.back().change.transaction = transaction;
  }
  return out;
}

}  // namespace

struct Restorer::Decision {
  enum class Kind { Switch, Degrade, Protect, Restore, Down, Revert };
  Kind kind = Kind::Down;
  Connection before;                  // as stored
  Connection after;                   // as it will be stored
  Realization next;                   // the route after (Degrade: as it was)
  OperState oper = OperState::Up;     // after
  std::vector<HoldRecord> new_holds;  // Restore
  std::vector<Hold> old_holds;        // Restore, Down: given back on the ledger
  std::string reason;                 // the outcome, for its event
  double switch_ms = 0;               // Switch
  bool devices_ok = true;
  std::map<std::string, DeviceChange> devices;  // Switch, Restore, Down

  // The event its outcome is told by.
  std::string event() const {
    switch (kind) {
      case Kind::Switch:
        return "connection.switched";
      case Kind::Degrade:
        return "connection.degraded";
      case Kind::Protect:
        return "connection.protected";
      case Kind::Restore:
        return "connection.restored";
      case Kind::Down:
        return "connection.down";
      case Kind::Revert:
        return "connection.reverted";
    }
    return "connection.stateChanged";
  }
};

struct Restorer::Pass {
  std::set<std::string> gone;  // looked for, but terminated or no more
  std::vector<Decision> decisions;
  FailureEffect effect;
  TimePoint at;
  std::string why;
};

Restorer::Restorer(OrchestratorContext& ctx) : ctx_(ctx) {}
Restorer::~Restorer() = default;

Result<std::map<std::string, Connection>> Restorer::readLive(const std::set<std::string>& ids,
                                                             std::set<std::string>& gone) const {
  std::map<std::string, Connection> live;
  LP_RETURN_IF_ERROR(ctx_.records.store().read([&](StoreTransaction& tx) -> Status {
    for (const std::string& id : ids) {
      LP_ASSIGN_OR_RETURN(auto record, tx.connection(id));
      std::optional<Connection> c;
      if (record) {
        LP_ASSIGN_OR_RETURN(c, connectionFromJson(record->body));
      }
      if (c && !stateInfo(c->state()).terminal)
        live.emplace(id, std::move(*c));
      else
        gone.insert(id);
    }
    return Status::ok();
  }));
  return live;
}

Result<Restorer::Pass> Restorer::decide(const RoutePlanner& planner, Ledger& ledger,
                                        const DownSet& down, const std::vector<FiberIndex>& touched,
                                        const std::string& why) {
  // The connections to look at: those holding capacity on the fibers touched (the ledger knows
  // them without reading the rest) and those down since an earlier failure.
  const TimePoint now = ctx_.now();
  std::set<std::string> ids(down_ids_.begin(), down_ids_.end());
  for (FiberIndex f : touched) {
    for (ResourceKind kind : {ResourceKind::LinkBandwidth, ResourceKind::SpectrumSlots}) {
      for (const Ledger::Use& use : ledger.usesAt({kind, f}, now)) ids.insert(use.owner);
    }
  }
  std::set<std::string> gone;
  LP_ASSIGN_OR_RETURN(auto live, readLive(ids, gone));
  const Topology& t = *ctx_.deps.topology;
  Pass pass;
  pass.at = now;
  pass.why = why;
  pass.gone = std::move(gone);
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
    const bool protection =
        protected_now && down.crosses(t, r.protection_fibers, r.protection_nodes);
    Decision d{.before = c, .next = r};
    if (!working && !protection) {
      if (!protected_now || c.operState() != OperState::Degraded) continue;
      d.kind = Decision::Kind::Protect;
      d.reason = "protection leg back in service";
      if (c.requested().wait_to_restore && r.on_protection) {  // revertive
        d.next.revert_at = now + *c.requested().wait_to_restore;
        d.reason += fmt::format("; back on the working leg at {}", formatTime(*d.next.revert_at));
      }
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
      d.next.on_protection = !r.on_protection;
      d.next.revert_at.reset();
      d.oper = OperState::Degraded;
      d.switch_ms = kDetectMs + d.next.latency_ms + kSelectMs;
      d.reason = fmt::format("switched to the protection leg in {:.1f} ms ({})", d.switch_ms, why);
      pass.decisions.push_back(std::move(d));
      continue;
    }
    to_restore.push_back(&c);
  }
  const PriceBook* book = ctx_.deps.price_book;
  std::stable_sort(
      to_restore.begin(), to_restore.end(), [book](const Connection* a, const Connection* b) {
        const int ra = slaRank(book, a->requested().sla), rb = slaRank(book, b->requested().sla);
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
    // A transfer's leg took the route its plan chose, not one the customer pinned: any surviving
    // route that carries its bandwidth steps keeps the transfer's deadline.
    if (spec.tags.contains("transfer")) spec.route.clear();
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
      d.next.keys = r.keys;    // and its keys: the ends are the same
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
  if (pass.decisions.empty() && pass.gone.empty()) return Status::ok();
  // Each connection as it will be, and what its devices must change.
  for (Decision& d : pass.decisions) {
    Connection& c = d.after = d.before;
    switch (d.kind) {
      case K::Switch:
      case K::Restore:
        c.setCurrent(d.next);
        c.setOperState(d.oper);
        c.setOutages(opened(c.outages(), pass.at, pass.why));
        break;
      case K::Revert:  // bridged first, then selected: no outage counted
        c.setCurrent(d.next);
        c.setOperState(d.oper);
        break;
      case K::Down:
        c.setCurrent(routeless(c.current()));
        c.setOperState(OperState::Down);
        c.setOutages(opened(c.outages(), pass.at, pass.why));
        break;
      case K::Degrade:
      case K::Protect:
        c.setCurrent(d.next);
        c.setOperState(d.oper);
        break;
    }
    if (d.kind == K::Switch || d.kind == K::Restore || d.kind == K::Down || d.kind == K::Revert) {
      auto devices = rerouteChanges(d.before, d.kind == K::Down ? nullptr : &c, *ctx_.deps.fleet,
                                    pass.at, ctx_.deps.sealer);
      if (devices) {
        d.devices = std::move(*devices);
      } else {
        d.devices_ok = false;
        d.reason = "devices: " + devices.error().message();
      }
    }
  }
  // The devices first: one change per device for the whole pass; one connection at a time if
  // a device refuses it (all or nothing, so the first try left nothing behind). A kill before
  // the store has the outcome leaves devices ahead of it: the restart's pass and reconcile
  // bring them back in line.
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
    for (Decision& d : pass.decisions) {
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
  // Then the outcome, all in one transaction, with its events.
  const TimePoint done = ctx_.now();
  std::vector<ConnectionRecords::Change> changes;
  for (Decision& d : pass.decisions) {
    std::vector<std::uint64_t> old_ids;
    for (const Hold& h : d.old_holds) old_ids.push_back(h.id);
    if (!d.devices_ok && d.kind != K::Down) {
      // The devices kept the old route's entries: take them off, give the new capacity back.
      if (!ctx_.configure(d.before, IntentAction::Remove, "/down").isOk())
        log().warn("{}: old entries left for reconcile", d.before.id());
      for (const HoldRecord& h : d.new_holds) (void)ctx_.deps.ledger->release(h.id);
      d.new_holds.clear();
      d.after.setCurrent(routeless(d.before.current()));
      d.after.setOperState(OperState::Down);
      auto& e = pass.effect;
      for (auto* list : {&e.switched, &e.restored, &e.degraded, &e.reprotected})
        list->erase(std::remove(list->begin(), list->end(), d.before.id()), list->end());
      e.unrestorable.push_back({d.before.id(), d.reason});
      d.kind = K::Down;
    }
    if (d.kind == K::Switch) {
      d.after.setOutages(closed(
          d.after.outages(),
          pass.at + std::chrono::microseconds(static_cast<std::int64_t>(d.switch_ms * 1000))));
    } else if (d.kind == K::Restore) {
      d.after.setOutages(closed(d.after.outages(), done));
    }
    changes.push_back({.connection = &d.after,
                       .expected_version = d.before.version(),
                       .event_type = d.event(),
                       .reason = d.reason,
                       .put_holds = d.new_holds,
                       .delete_holds = old_ids});
    if (d.kind == K::Down) down_ids_.insert(d.before.id());
    if (d.kind == K::Restore) down_ids_.erase(d.before.id());
    if (d.after.current().revert_at)
      reverts_[d.before.id()] = *d.after.current().revert_at;
    else
      reverts_.erase(d.before.id());
  }
  for (const std::string& id : pass.gone) {  // terminated meanwhile
    down_ids_.erase(id);
    reverts_.erase(id);
  }
  const std::string state = stateJson();
  Status saved = ctx_.records.saveAll(changes, [&](StoreTransaction& tx) {
    return tx.putDocument({"restoration", "state", "", state});
  });
  if (!saved.isOk()) {
    // Nothing was stored: the ledger goes back to what the store says; devices are left to
    // reconcile (the next pass or a restart redoes the work).
    for (Decision& d : pass.decisions) {
      for (const HoldRecord& h : d.new_holds) (void)ctx_.deps.ledger->release(h.id);
      for (const Hold& h : d.old_holds)
        (void)ctx_.deps.ledger->restore(h.id, h.owner, h.claims, h.window);
    }
    (void)loadState();
    return saved;
  }
  return Status::ok();
}

Result<std::size_t> Restorer::revertDue(TimePoint now) {
  std::lock_guard lock(mutex_);
  std::vector<std::string> due;
  for (const auto& [id, at] : reverts_) {
    if (at <= now) due.push_back(id);
  }
  if (due.empty()) return std::size_t{0};
  auto connections = ctx_.locks.lockAll();
  const auto down = ctx_.health.down();
  const Topology& t = *ctx_.deps.topology;
  Pass pass{.at = ctx_.now(), .why = "wait-to-restore over"};
  LP_ASSIGN_OR_RETURN(auto live, readLive({due.begin(), due.end()}, pass.gone));
  for (auto& [id, c] : live) {
    const Realization& r = c.current();
    if (c.state() != ConnectionState::Active || !r.on_protection || !r.revert_at ||
        down->crosses(t, r.fibers, r.nodes) ||
        down->crosses(t, r.protection_fibers, r.protection_nodes)) {
      pass.gone.insert(id);  // nothing to revert (any more)
      continue;
    }
    Decision d{.kind = Decision::Kind::Revert, .before = c, .next = swapped(r)};
    d.next.on_protection = false;
    d.next.revert_at.reset();
    d.oper = OperState::Up;
    d.reason = "back on the working leg: wait-to-restore over (revertive)";
    pass.decisions.push_back(std::move(d));
  }
  const std::size_t reverted = pass.decisions.size();
  LP_RETURN_IF_ERROR(execute(pass));
  return reverted;
}

Result<FailureEffect> Restorer::respond(const std::string& why,
                                        const std::vector<FiberIndex>& also_touched) {
  std::lock_guard lock(mutex_);
  return respondLocked(why, also_touched);
}

Result<FailureEffect> Restorer::respondLocked(const std::string& why,
                                              const std::vector<FiberIndex>& also_touched) {
  auto connections = ctx_.locks.lockAll();
  const auto down = ctx_.health.down();
  std::vector<FiberIndex> touched = down->fibers();
  touched.insert(touched.end(), also_touched.begin(), also_touched.end());
  std::optional<Pass> pass;
  {
    std::lock_guard planning(ctx_.planning_mutex);
    LP_ASSIGN_OR_RETURN(pass, decide(ctx_.planner, *ctx_.deps.ledger, *down, touched, why));
  }
  LP_RETURN_IF_ERROR(execute(*pass));
  return pass->effect;
}

Result<FailureEffect> Restorer::analyze(const FailureTarget& target) {
  std::lock_guard lock(mutex_);
  LP_ASSIGN_OR_RETURN(auto targets, downWith(target));
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
  LP_ASSIGN_OR_RETURN(Pass pass, decide(planner, *ledger, down, down.fibers(), "what-if"));
  return pass.effect;
}

}  // namespace lightpath
