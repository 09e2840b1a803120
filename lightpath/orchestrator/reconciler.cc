// Invariants and device drift: what the services need against what the devices hold.
#include "lightpath/orchestrator/reconciler.h"

#include <fmt/format.h>

#include <set>

#include "lightpath/orchestrator/internal/context.h"

namespace lightpath {
namespace {

// What differs, said the way an operator looks for it: an encrypting end that does not use the
// connection's current key (it missed a rotation) is named as such.
std::string differs(const std::string& node, const ConfigEntry& held, const ConfigEntry& wanted) {
  auto value = [](const ConfigEntry& e, const std::string& name) {
    auto it = e.values.find(name);
    return it == e.values.end() ? std::string("none") : it->second;
  };
  if (wanted.values.contains("active-key") &&
      value(held, "active-key") != value(wanted, "active-key")) {
    return fmt::format("{}: entry '{}' of {} uses key {}, not the connection's current key {}",
                       node, held.key, held.owner, value(held, "active-key"),
                       value(wanted, "active-key"));
  }
  return fmt::format("{}: entry '{}' of {} differs from what the service needs", node, held.key,
                     held.owner);
}

}  // namespace

std::vector<std::string> Reconciler::check() const {
  std::vector<std::string> violations = ctx_.deps.ledger->checkInvariants();
  auto live = ctx_.records.live();
  if (!live) return {live.error().message()};
  // Capacity: every live connection's holds are in the ledger, and no hold without one.
  std::size_t live_holds = 0;
  for (const auto& [id, c] : *live) {
    for (std::uint64_t h : c.current().holds) {
      ++live_holds;
      auto hold = ctx_.deps.ledger->hold(h);
      if (!hold || hold->owner != id)
        violations.push_back(fmt::format("{}: hold {} missing from the ledger", id, h));
    }
  }
  if (ctx_.deps.ledger->holdCount() != live_holds) {
    violations.push_back(fmt::format("the ledger has {} holds, live connections {}",
                                     ctx_.deps.ledger->holdCount(), live_holds));
  }
  std::map<std::string, DeviceChange> unused;
  ReconcileReport devices = deviceDrift(*live, unused);
  for (std::string& line : devices.drift) violations.push_back(std::move(line));
  for (std::string& line : devices.failed) violations.push_back(std::move(line));
  return violations;
}

ReconcileReport Reconciler::reconcile(bool repair) {
  // No workflow may change a connection between reading the store and the devices (the service
  // reconciles while it runs): a connection deleted in between would look like missing entries.
  auto connections = ctx_.locks.lockAll();
  auto live = ctx_.records.live();
  if (!live) return {.failed = {live.error().message()}};
  std::map<std::string, DeviceChange> fixes;
  ReconcileReport report = deviceDrift(*live, fixes);
  if (!repair) return report;
  for (auto& [node, fix] : fixes) {
    fix.transaction = ctx_.newId("reconcile");
    Status s = ctx_.applyToDevices({{node, std::move(fix)}});
    if (s.isOk())
      report.repaired.push_back(node);
    else
      report.failed.push_back(fmt::format("{}: repair failed: {}", node, s.message()));
  }
  return report;
}

ReconcileReport Reconciler::deviceDrift(const std::map<std::string, Connection>& live,
                                        std::map<std::string, DeviceChange>& fixes) const {
  ReconcileReport report;
  // What each device should hold: the entries of every configured connection.
  std::map<std::string, std::map<std::string, ConfigEntry>> intended;
  std::set<std::string> rotating;  // their keys are the rotation's business until it ends
  for (const auto& [id, c] : live) {
    if (c.state() != ConnectionState::Active && c.state() != ConnectionState::AwaitingCounterparty)
      continue;
    if (c.current().keys && c.current().keys->rotating()) {
      rotating.insert(id);
      continue;
    }
    auto changes =
        deviceIntent(c, *ctx_.deps.fleet, ctx_.now(), IntentAction::Apply, ctx_.deps.sealer);
    if (!changes) {
      report.failed.push_back(fmt::format("{}: {}", id, changes.error().message()));
      continue;
    }
    for (NodeChange& nc : *changes) {
      for (ConfigEntry& e : nc.change.set) intended[nc.node][e.key] = std::move(e);
    }
  }
  auto configs = ctx_.runningConfigs();
  for (auto& [node, running] : configs) {
    if (!running) {
      report.failed.push_back(fmt::format("{}: cannot read the running configuration: {}", node,
                                          running.error().message()));
      continue;
    }
    std::map<std::string, ConfigEntry> wanted = intended[node];
    DeviceChange fix;
    for (ConfigEntry& e : *running) {
      if (rotating.contains(e.owner)) continue;
      auto it = wanted.find(e.key);
      if (it != wanted.end()) {
        if (it->second != e) {
          report.drift.push_back(differs(node, e, it->second));
          fix.set.push_back(it->second);
        }
        wanted.erase(it);
      } else if (!live.contains(e.owner)) {
        report.drift.push_back(fmt::format("{}: entry '{}' for {}, which is not a live connection",
                                           node, e.key, e.owner));
        fix.remove.push_back(e.key);
      } else if (const ConnectionState state = live.at(e.owner).state();
                 state == ConnectionState::Active ||
                 state == ConnectionState::AwaitingCounterparty) {
        report.drift.push_back(
            fmt::format("{}: entry '{}' is not part of {}", node, e.key, e.owner));
        fix.remove.push_back(e.key);
      }
    }
    for (auto& [key, e] : wanted) {
      report.drift.push_back(fmt::format("{}: {} is {}, but the node has no entry '{}' for it",
                                         e.owner, node, toString(live.at(e.owner).state()), key));
      fix.set.push_back(std::move(e));
    }
    if (!fix.set.empty() || !fix.remove.empty()) fixes[node] = std::move(fix);
  }
  for (const auto& [node, entries] : intended) {
    if (!ctx_.deps.fleet->device(node) && !entries.empty()) {
      report.failed.push_back(fmt::format("{}: needed by {}, but there is no device for it", node,
                                          entries.begin()->second.owner));
    }
  }
  return report;
}

}  // namespace lightpath
