// Failures as the restorer records them: the failure and its repair (each answered by a pass),
// and the restorer's own state in the store (what is down, connections waiting for capacity or
// to revert).
#include <fmt/format.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "lightpath/base/log.h"
#include "lightpath/orchestrator/internal/context.h"
#include "lightpath/orchestrator/restoration.h"
#include "lightpath/service/connection_json.h"

namespace lightpath {

Result<std::vector<FailureRecord>> Restorer::activeFailures() const {
  std::vector<FailureRecord> out;
  LP_RETURN_IF_ERROR(ctx_.records.store().read([&](StoreTransaction& tx) -> Status {
    for (std::size_t offset = 0;; offset += 500) {
      LP_ASSIGN_OR_RETURN(
          auto page, tx.documents({.kind = "failure", .offset = offset, .limit = 500}, nullptr));
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
  raised_.clear();
  for (const FailureRecord& f : active) {
    targets.push_back(f.target);
    if (f.actor == kTelemetryActor && f.target.kind == FailureTarget::Kind::Node)
      raised_[f.target.id] = f.id;
  }
  LP_RETURN_IF_ERROR(setDown(targets));
  LP_RETURN_IF_ERROR(loadState());
  return active.size();
}

Status Restorer::loadState() {
  std::optional<DocumentRecord> doc;
  LP_RETURN_IF_ERROR(ctx_.records.store().read([&](StoreTransaction& tx) -> Status {
    LP_ASSIGN_OR_RETURN(doc, tx.document("restoration", "state"));
    return Status::ok();
  }));
  down_ids_.clear();
  reverts_.clear();
  if (!doc) return Status::ok();
  const auto j = nlohmann::json::parse(doc->body, nullptr, false);
  if (!j.is_object() || !j.value("down", nlohmann::json()).is_array() ||
      !j.value("revert", nlohmann::json()).is_object())
    return internalError("the restorer's stored state is not {\"down\": [...], \"revert\": {...}}");
  for (const auto& id : j.at("down")) {
    if (id.is_string()) down_ids_.insert(id.get<std::string>());
  }
  for (const auto& [id, at] : j.at("revert").items()) {
    if (!at.is_string()) continue;
    if (auto t = parseTime(at.get<std::string>())) reverts_[id] = *t;
  }
  return Status::ok();
}

std::string Restorer::stateJson() const {
  nlohmann::json revert = nlohmann::json::object();
  for (const auto& [id, at] : reverts_) revert[id] = formatTime(at);
  return nlohmann::json{{"down", down_ids_}, {"revert", revert}}.dump();
}

Result<std::size_t> Restorer::watchHealth() {
  const std::map<std::string, Status> health = ctx_.nodeHealth();
  std::map<std::string, std::string> raised;
  {
    std::lock_guard lock(mutex_);
    raised = raised_;
  }
  std::size_t changed = 0;
  for (const auto& [node, status] : health) {
    const auto it = raised.find(node);
    // A node changes state after kPollsToDecide polls in a row agree (one slow answer is not
    // a node down).
    {
      std::lock_guard lock(mutex_);
      int& streak = polls_[node];
      streak = status.isOk() ? std::max(streak, 0) + 1 : std::min(streak, 0) - 1;
      if (std::abs(streak) < kPollsToDecide) continue;
    }
    if (status.isOk()) {
      if (it == raised.end()) continue;
      // Back: the failure telemetry raised is repaired (one an operator recorded stays).
      auto repaired = repair(it->second, kTelemetryActor, {});
      if (repaired || repaired.error().code() == StatusCode::FailedPrecondition) {
        std::lock_guard lock(mutex_);
        raised_.erase(node);
        changed += repaired.has_value();
      } else {
        log().warn("telemetry: repair of {} failed: {}", node, repaired.error().toString());
      }
      continue;
    }
    if (it != raised.end()) continue;  // down already, by telemetry
    auto failed = failure({FailureTarget::Kind::Node, node}, "telemetry: " + status.message(),
                          kTelemetryActor, {});
    if (!failed && failed.error().code() == StatusCode::AlreadyExists) continue;  // an operator's
    if (!failed) {
      log().warn("telemetry: {} is down ({}), but recording it failed: {}", node, status.message(),
                 failed.error().toString());
      continue;
    }
    log().warn("telemetry: {} is down ({}): failure {}", node, status.message(), failed->id);
    std::lock_guard lock(mutex_);
    raised_[node] = failed->id;
    ++changed;
  }
  return changed;
}

namespace {

std::string describe(const FailureRecord& f) {
  return fmt::format("failure {}: {} {}{}", f.id, toString(f.target.kind), f.target.id,
                     f.reason.empty() ? "" : ", " + f.reason);
}

}  // namespace

Result<std::vector<FailureTarget>> Restorer::downWith(const FailureTarget& target) const {
  LP_ASSIGN_OR_RETURN(auto active, activeFailures());
  std::vector<FailureTarget> targets;
  for (const FailureRecord& f : active) {
    if (f.target == target) {
      return fail(
          Status(StatusCode::AlreadyExists, fmt::format("{} '{}' is down already (failure {})",
                                                        toString(target.kind), target.id, f.id)));
    }
    targets.push_back(f.target);
  }
  targets.push_back(target);
  return targets;
}

Result<FailureRecord> Restorer::failure(const FailureTarget& target, const std::string& reason,
                                        const std::string& actor, const StoreWork& also) {
  const Topology& t = *ctx_.deps.topology;
  FailureRecord record;
  std::lock_guard lock(mutex_);
  LP_ASSIGN_OR_RETURN(auto targets, downWith(target));
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
  LP_RETURN_IF_ERROR(setDown(targets));
  LP_ASSIGN_OR_RETURN(record.effect, respondLocked(describe(record), {}));
  LP_RETURN_IF_ERROR(ctx_.records.store().transact([&](StoreTransaction& tx) {
    return tx.putDocument({"failure", record.id, "", failureToJson(record)});
  }));
  return record;
}

Result<FailureRecord> Restorer::repair(const std::string& id, const std::string& actor,
                                       const StoreWork& also) {
  FailureRecord record;
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
  record.repaired_by = actor;
  LP_RETURN_IF_ERROR(ctx_.records.store().transact([&](StoreTransaction& tx) -> Status {
    LP_RETURN_IF_ERROR(tx.putDocument({"failure", record.id, "", failureToJson(record)}));
    return also ? also(tx) : Status::ok();
  }));
  LP_RETURN_IF_ERROR(setDown(targets));
  // Whoever repairs it, telemetry no longer holds it (it raises it again if the node is down).
  std::erase_if(raised_, [&](const auto& node_failure) { return node_failure.second == id; });
  std::vector<FiberIndex> repaired;
  for (const std::string& id : record.fibers) {
    if (auto f = ctx_.deps.topology->findFiber(id)) repaired.push_back(*f);
  }
  LP_ASSIGN_OR_RETURN(record.repair_effect,
                      respondLocked("repair of " + describe(record), repaired));
  LP_RETURN_IF_ERROR(ctx_.records.store().transact([&](StoreTransaction& tx) {
    return tx.putDocument({"failure", record.id, "", failureToJson(record)});
  }));
  return record;
}

}  // namespace lightpath
