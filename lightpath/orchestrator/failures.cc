// Failures as values: resolution to fibers and nodes, and the stored record.
#include "lightpath/orchestrator/failures.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "lightpath/service/connection_json.h"

namespace lightpath {

using nlohmann::json;

std::string_view toString(FailureTarget::Kind kind) {
  switch (kind) {
    case FailureTarget::Kind::Fiber:
      return "fiber";
    case FailureTarget::Kind::Srlg:
      return "srlg";
    case FailureTarget::Kind::Node:
      return "node";
  }
  return "fiber";
}

Result<DownSet> DownSet::of(const Topology& t, const std::vector<FailureTarget>& targets) {
  DownSet d;
  d.fibers_.assign(t.fibers().size(), 0);
  d.nodes_.assign(t.nodes().size(), 0);
  for (const FailureTarget& target : targets) {
    switch (target.kind) {
      case FailureTarget::Kind::Fiber: {
        auto f = t.findFiber(target.id);
        if (!f) return fail(invalidArgument(fmt::format("fiber: no fiber '{}'", target.id)));
        d.fibers_[*f] = 1;
        break;
      }
      case FailureTarget::Kind::Srlg: {
        if (!t.findSrlg(target.id))
          return fail(invalidArgument(fmt::format("srlg: no shared-risk group '{}'", target.id)));
        for (FiberIndex f = 0; f < t.fibers().size(); ++f) {
          const auto& groups = t.fiber(f).srlgs;
          if (std::find(groups.begin(), groups.end(), target.id) != groups.end()) d.fibers_[f] = 1;
        }
        break;
      }
      case FailureTarget::Kind::Node: {
        auto n = t.findNode(target.id);
        if (!n) return fail(invalidArgument(fmt::format("node: no node '{}'", target.id)));
        d.nodes_[*n] = 1;
        for (FiberIndex f : t.fibersAt(*n)) d.fibers_[f] = 1;
        break;
      }
    }
  }
  for (FiberIndex f = 0; f < d.fibers_.size(); ++f)
    if (d.fibers_[f]) d.fiber_list_.push_back(f);
  for (NodeIndex n = 0; n < d.nodes_.size(); ++n)
    if (d.nodes_[n]) d.node_list_.push_back(n);
  return d;
}

bool DownSet::crosses(const Topology& t, const std::vector<std::string>& fibers,
                      const std::vector<std::string>& nodes) const {
  if (empty()) return false;
  for (const std::string& id : fibers) {
    if (auto f = t.findFiber(id); f && fiberDown(*f)) return true;
  }
  for (const std::string& id : nodes) {
    if (auto n = t.findNode(id); n && nodeDown(*n)) return true;
  }
  return false;
}

namespace {

json effectJson(const FailureEffect& e) {
  json unrestorable = json::array();
  for (const auto& u : e.unrestorable) unrestorable.push_back({{"id", u.id}, {"reason", u.reason}});
  json shortfall = json::array();
  for (const auto& s : e.shortfall) shortfall.push_back({{"fiber", s.fiber}, {"mbps", s.mbps}});
  return {{"hit", e.hit},           {"switched", e.switched},       {"restored", e.restored},
          {"degraded", e.degraded}, {"reprotected", e.reprotected}, {"unrestorable", unrestorable},
          {"shortfall", shortfall}};
}

FailureEffect effectOf(const json& j) {
  FailureEffect e;
  e.hit = j.at("hit").get<std::vector<std::string>>();
  e.switched = j.at("switched").get<std::vector<std::string>>();
  e.restored = j.at("restored").get<std::vector<std::string>>();
  e.degraded = j.value("degraded", std::vector<std::string>{});
  e.reprotected = j.value("reprotected", std::vector<std::string>{});
  for (const json& u : j.at("unrestorable"))
    e.unrestorable.push_back({u.at("id").get<std::string>(), u.at("reason").get<std::string>()});
  for (const json& s : j.value("shortfall", json::array()))
    e.shortfall.push_back({s.at("fiber").get<std::string>(), s.at("mbps").get<std::uint64_t>()});
  return e;
}

}  // namespace

std::string effectToJson(const FailureEffect& e) {
  return effectJson(e).dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string failureToJson(const FailureRecord& f) {
  json j{{"id", f.id},
         {std::string(toString(f.target.kind)), f.target.id},
         {"reason", f.reason},
         {"actor", f.actor},
         {"at", formatTime(f.at)},
         {"state", f.repaired_at ? "repaired" : "active"},
         {"fibers", f.fibers},
         {"nodes", f.nodes},
         {"effect", effectJson(f.effect)}};
  if (f.repaired_at) {
    j["repaired_at"] = formatTime(*f.repaired_at);
    j["repaired_by"] = f.repaired_by;
    j["repair_effect"] = effectJson(f.repair_effect);
  }
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<FailureRecord> failureFromJson(std::string_view text) {
  try {
    const json j = json::parse(text);
    FailureRecord f;
    f.id = j.at("id").get<std::string>();
    bool found = false;
    for (auto kind :
         {FailureTarget::Kind::Fiber, FailureTarget::Kind::Srlg, FailureTarget::Kind::Node}) {
      if (j.contains(std::string(toString(kind)))) {
        f.target = {kind, j.at(std::string(toString(kind))).get<std::string>()};
        found = true;
      }
    }
    if (!found) return fail(invalidArgument("failure: no fiber, srlg or node"));
    f.reason = j.at("reason").get<std::string>();
    f.actor = j.at("actor").get<std::string>();
    LP_ASSIGN_OR_RETURN(f.at, parseTime(j.at("at").get<std::string>()));
    if (j.contains("repaired_at")) {
      LP_ASSIGN_OR_RETURN(f.repaired_at, parseTime(j.at("repaired_at").get<std::string>()));
      f.repaired_by = j.value("repaired_by", "");
      f.repair_effect = effectOf(j.at("repair_effect"));
    }
    f.fibers = j.at("fibers").get<std::vector<std::string>>();
    f.nodes = j.at("nodes").get<std::vector<std::string>>();
    f.effect = effectOf(j.at("effect"));
    return f;
  } catch (const json::exception& e) {
    return fail(invalidArgument(fmt::format("failure record: {}", e.what())));
  }
}

}  // namespace lightpath
