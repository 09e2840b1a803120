// Invariants and device drift: what the services need against what the devices hold, swept a
// page of connections and a device at a time.
#include "lightpath/orchestrator/reconciler.h"

#include <absl/container/flat_hash_set.h>
#include <absl/hash/hash.h>
#include <fmt/format.h>

#include <map>
#include <optional>
#include <set>
#include <utility>

#include "lightpath/orchestrator/internal/context.h"
#include "lightpath/service/connection_json.h"

namespace lightpath {
namespace {

// Connections a page holds: one read transaction decodes them, one round of device reads checks
// their entries.
constexpr std::size_t kPage = 1000;

constexpr ConnectionState kStates[] = {ConnectionState::Draft,
                                       ConnectionState::Provisioning,
                                       ConnectionState::AwaitingCounterparty,
                                       ConnectionState::Active,
                                       ConnectionState::Modifying,
                                       ConnectionState::Deprovisioning,
                                       ConnectionState::Terminated,
                                       ConnectionState::Failed,
                                       ConnectionState::Rejected,
                                       ConnectionState::Cancelled};

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

// The states whose connections have their entries on the devices (others are in a workflow,
// which owns their entries, or ended).
bool configured(const Connection& c) {
  return c.state() == ConnectionState::Active || c.state() == ConnectionState::AwaitingCounterparty;
}
// A rotation's keys are its own business until it ends.
bool rotating(const Connection& c) { return c.current().keys && c.current().keys->rotating(); }

// One sweep. Pass 1 (pages): each configured connection's entries are read back by key and
// compared; the (node, key) of each is kept, hashed. Pass 2 (devices): an entry whose (node, key)
// no live connection needed is a suspect. Suspects are checked again under their connection's
// lock (the connection from the store, its entries from the device) before they are reported:
// no lock is held over the whole sweep, so orders go on while it runs.
class DriftSweep {
 public:
  DriftSweep(OrchestratorContext& ctx, bool repair, std::function<bool()> stopped)
      : ctx_(ctx), repair_(repair), stopped_(std::move(stopped)) {}

  Status pages(const std::function<void(const Connection&)>& visit) {
    for (ConnectionState state : kStates) {
      if (stateInfo(state).terminal) continue;
      std::optional<std::string> after;
      for (;;) {
        if (stopped()) return aborted("the drift check was stopped");
        std::vector<Connection> page;
        std::size_t rows = 0;
        // Each page in its own read transaction: no snapshot is held over the sweep.
        LP_RETURN_IF_ERROR(ctx_.records.store().read([&](StoreTransaction& tx) -> Status {
          LP_ASSIGN_OR_RETURN(auto records, tx.connections({.state = std::string(toString(state)),
                                                            .after_id = after,
                                                            .limit = kPage},
                                                           nullptr));
          rows = records.size();
          if (!records.empty()) after = records.back().id;
          page.reserve(rows);
          for (const ConnectionRecord& r : records) {
            LP_ASSIGN_OR_RETURN(Connection c, connectionFromJson(r.body));
            page.push_back(std::move(c));
          }
          return Status::ok();
        }));
        if (visit) {
          for (const Connection& c : page) visit(c);
        }
        checkPage(page);
        if (rows < kPage) break;
      }
    }
    return Status::ok();
  }

  void devices() {
    for (const auto& [node, device] : ctx_.deps.fleet->all()) {
      if (stopped()) {
        report_.failed.emplace_back("the drift check was stopped");
        return;
      }
      if (unreadable_.contains(node)) continue;
      auto read = ctx_.readConfigs({{node, std::nullopt}});
      auto& entries = read.at(node);
      if (!entries) {
        unreadable(node, entries.error().message());
        continue;
      }
      std::map<std::string, std::vector<std::string>> extras;  // keys by owner
      for (ConfigEntry& e : *entries) {
        if (!needed_.contains(entryHash(node, e.key))) extras[e.owner].push_back(std::move(e.key));
      }
      read.clear();
      // A page of owners at a time, each page one change to the node.
      std::vector<std::pair<std::string, std::vector<std::string>>> page;
      for (auto& owner : extras) {
        page.emplace_back(owner.first, std::move(owner.second));
        if (page.size() == kPage) {
          recheckExtras(node, page);
          page.clear();
        }
      }
      if (!page.empty()) recheckExtras(node, page);
    }
  }

  ReconcileReport finish() && {
    report_.repaired.assign(repaired_.begin(), repaired_.end());
    return std::move(report_);
  }

 private:
  bool stopped() const { return stopped_ && stopped_(); }

  void checkPage(const std::vector<Connection>& page) {
    std::vector<std::vector<NodeChange>> intents;
    OrchestratorContext::Reads reads;
    for (const Connection& c : page) {
      if (!configured(c) || rotating(c)) continue;
      auto changes = intent(c);
      if (!changes) continue;
      for (const NodeChange& nc : *changes) {
        for (const ConfigEntry& e : nc.change.set) {
          needed_.insert(entryHash(nc.node, e.key));
          if (!readable(nc.node, c.id())) continue;
          auto& keys = reads[nc.node];
          if (!keys) keys.emplace();
          keys->push_back(e.key);
        }
      }
      intents.push_back(std::move(*changes));
    }
    if (reads.empty()) return;
    auto held = readByKey(reads);
    std::set<std::string> suspects;
    for (const std::vector<NodeChange>& changes : intents) {
      for (const NodeChange& nc : changes) {
        auto node = held.find(nc.node);
        if (node == held.end()) continue;
        for (const ConfigEntry& e : nc.change.set) {
          auto it = node->second.find(e.key);
          if (it == node->second.end() || it->second != e) suspects.insert(e.owner);
        }
      }
    }
    if (!suspects.empty()) recheckNeeds({suspects.begin(), suspects.end()});
  }

  // Connections whose entries looked missing or changed: under their locks, read again and put
  // right, one change per node for them all (a device that restarted empty is refilled a page at
  // a time, not an entry at a time).
  void recheckNeeds(const std::vector<std::string>& ids) {
    auto guard = ctx_.locks.lockMany(ids);
    std::vector<std::pair<ConnectionState, std::vector<NodeChange>>> intents;
    OrchestratorContext::Reads reads;
    for (const std::string& id : ids) {
      auto c = ctx_.records.get(id);
      if (!c) {
        if (c.error().code() != StatusCode::NotFound)
          report_.failed.push_back(fmt::format("{}: {}", id, c.error().message()));
        continue;
      }
      if (!configured(*c) || rotating(*c)) continue;  // a workflow took it since its page
      auto changes = intent(*c);
      if (!changes) continue;
      for (const NodeChange& nc : *changes) {
        if (!readable(nc.node, id)) continue;
        auto& keys = reads[nc.node];
        if (!keys) keys.emplace();
        for (const ConfigEntry& e : nc.change.set) keys->push_back(e.key);
      }
      intents.emplace_back(c->state(), std::move(*changes));
    }
    auto held = readByKey(reads);
    std::map<std::string, DeviceChange> fixes;
    for (auto& [state, changes] : intents) {
      for (NodeChange& nc : changes) {
        auto node = held.find(nc.node);
        if (node == held.end()) continue;
        for (ConfigEntry& e : nc.change.set) {
          auto it = node->second.find(e.key);
          if (it == node->second.end()) {
            report_.drift.push_back(
                fmt::format("{}: {} is {}, but the node has no entry '{}' for it", e.owner, nc.node,
                            toString(state), e.key));
          } else if (it->second != e) {
            report_.drift.push_back(differs(nc.node, it->second, e));
          } else {
            continue;
          }
          fixes[nc.node].set.push_back(std::move(e));
        }
      }
    }
    for (auto& [node, fix] : fixes) apply(node, std::move(fix));
  }

  // Entries on `node` that no live connection needed in pass 1, keys by owner: under the
  // owners' locks, those the owner does not need now (or it is not live) and the node still
  // holds are drift, removed in one change.
  void recheckExtras(const std::string& node,
                     std::vector<std::pair<std::string, std::vector<std::string>>>& by_owner) {
    std::vector<std::string> owners;
    owners.reserve(by_owner.size());
    for (const auto& [owner, keys] : by_owner) owners.push_back(owner);
    auto guard = ctx_.locks.lockMany(owners);
    std::vector<std::string> suspects;
    std::set<std::string> live;  // owners not ended
    for (auto& [owner, keys] : by_owner) {
      auto c = ctx_.records.get(owner);
      if (c) {
        if (!stateInfo(c->state()).terminal) {
          if (!configured(*c) || rotating(*c)) continue;  // its workflow's entries
          auto changes = intent(*c);
          if (!changes) continue;
          std::set<std::string> wanted;
          for (const NodeChange& nc : *changes) {
            if (nc.node != node) continue;
            for (const ConfigEntry& e : nc.change.set) wanted.insert(e.key);
          }
          // Configured since its page was read: needed after all.
          std::erase_if(keys, [&](const std::string& key) { return wanted.contains(key); });
          live.insert(owner);
        }
      } else if (c.error().code() != StatusCode::NotFound) {
        report_.failed.push_back(fmt::format("{}: {}", owner, c.error().message()));
        continue;
      }
      for (std::string& key : keys) suspects.push_back(std::move(key));
    }
    if (suspects.empty()) return;
    auto read = ctx_.readConfigs({{node, std::move(suspects)}});
    auto& held = read.at(node);
    if (!held) {
      unreadable(node, held.error().message());
      return;
    }
    DeviceChange fix;
    for (const ConfigEntry& e : *held) {
      report_.drift.push_back(
          live.contains(e.owner)
              ? fmt::format("{}: entry '{}' is not part of {}", node, e.key, e.owner)
              : fmt::format("{}: entry '{}' for {}, which is not a live connection", node, e.key,
                            e.owner));
      fix.remove.push_back(e.key);
    }
    apply(node, std::move(fix));
  }

  // The entries read, by node and key; a node that cannot be read is reported and left out.
  std::map<std::string, std::map<std::string, ConfigEntry>> readByKey(
      const OrchestratorContext::Reads& reads) {
    std::map<std::string, std::map<std::string, ConfigEntry>> held;
    for (auto& [node, entries] : ctx_.readConfigs(reads)) {
      if (!entries) {
        unreadable(node, entries.error().message());
        continue;
      }
      auto& by_key = held[node];
      for (ConfigEntry& e : *entries) by_key.emplace(e.key, std::move(e));
    }
    return held;
  }

  Result<std::vector<NodeChange>> intent(const Connection& c) {
    auto changes =
        deviceIntent(c, *ctx_.deps.fleet, ctx_.now(), IntentAction::Apply, ctx_.deps.sealer);
    if (!changes)
      report_.failed.push_back(fmt::format("{}: {}", c.id(), changes.error().message()));
    return changes;
  }

  // Whether `node` can be read: it has a device that answered so far (each problem said once).
  bool readable(const std::string& node, const std::string& needed_by) {
    if (unreadable_.contains(node)) return false;
    if (ctx_.deps.fleet->device(node)) return true;
    if (missing_.insert(node).second) {
      report_.failed.push_back(
          fmt::format("{}: needed by {}, but there is no device for it", node, needed_by));
    }
    return false;
  }

  void unreadable(const std::string& node, const std::string& why) {
    if (unreadable_.insert(node).second) {
      report_.failed.push_back(
          fmt::format("{}: cannot read the running configuration: {}", node, why));
    }
  }

  void apply(const std::string& node, DeviceChange fix) {
    if (!repair_ || (fix.set.empty() && fix.remove.empty())) return;
    fix.transaction = ctx_.newId("reconcile");
    Status s = ctx_.applyToDevices({{node, std::move(fix)}});
    if (s.isOk())
      repaired_.insert(node);
    else
      report_.failed.push_back(fmt::format("{}: repair failed: {}", node, s.message()));
  }

  // 8 bytes an entry, not its strings: a million connections' entries in tens of megabytes. A
  // collision could hide one extra entry from one sweep, at odds of one in ~10^12.
  static std::uint64_t entryHash(std::string_view node, std::string_view key) {
    return absl::Hash<std::pair<std::string_view, std::string_view>>{}({node, key});
  }

  OrchestratorContext& ctx_;
  const bool repair_;
  const std::function<bool()> stopped_;
  ReconcileReport report_;
  absl::flat_hash_set<std::uint64_t> needed_;
  std::set<std::string> unreadable_, missing_, repaired_;
};

}  // namespace

std::vector<std::string> Reconciler::check() const {
  std::vector<std::string> violations = ctx_.deps.ledger->checkInvariants();
  // Capacity: every live connection's holds are in the ledger, and no hold without one.
  std::size_t live_holds = 0;
  ReconcileReport devices = sweep(
      false,
      [&](const Connection& c) {
        for (std::uint64_t h : c.current().holds) {
          ++live_holds;
          auto hold = ctx_.deps.ledger->hold(h);
          if (!hold || hold->owner != c.id())
            violations.push_back(fmt::format("{}: hold {} missing from the ledger", c.id(), h));
        }
      },
      {});
  if (ctx_.deps.ledger->holdCount() != live_holds) {
    violations.push_back(fmt::format("the ledger has {} holds, live connections {}",
                                     ctx_.deps.ledger->holdCount(), live_holds));
  }
  for (std::string& line : devices.drift) violations.push_back(std::move(line));
  for (std::string& line : devices.failed) violations.push_back(std::move(line));
  return violations;
}

ReconcileReport Reconciler::reconcile(bool repair, const std::function<bool()>& stopped) const {
  return sweep(repair, {}, stopped);
}

ReconcileReport Reconciler::sweep(bool repair, const std::function<void(const Connection&)>& visit,
                                  const std::function<bool()>& stopped) const {
  DriftSweep sweep(ctx_, repair, stopped);
  // Without every page, pass 2 would take needed entries for extras: it does not run.
  if (Status paged = sweep.pages(visit); !paged.isOk()) return {.failed = {paged.message()}};
  sweep.devices();
  return std::move(sweep).finish();
}

}  // namespace lightpath
