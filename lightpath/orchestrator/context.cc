// The orchestrator's shared parts.
#include "lightpath/orchestrator/internal/context.h"

#include <chrono>
#include <random>

#include "lightpath/base/crypto.h"
#include "lightpath/base/ids.h"

namespace lightpath {
namespace {

std::uint64_t osSeed() {
  std::random_device device;
  return (std::uint64_t{device()} << 32) ^ device() ^
         static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
}

}  // namespace

OrchestratorContext::OrchestratorContext(ProvisionerDeps d)
    : deps(std::move(d)),
      planner({.topology = deps.topology,
               .engine = deps.engine,
               .planner = deps.planner,
               .ledger = deps.ledger,
               .price_book = deps.price_book,
               .packet_mbps_per_fiber = deps.packet_mbps_per_fiber,
               .health = &health}),
      records(*deps.store, *deps.clock,
              [this](const Connection& c) {
                if (connection_written) connection_written(c);
              }),
      // Device calls mostly wait on the network: enough threads that a fleet of real devices can
      // open its sessions at once.
      calls_(std::make_unique<DeviceCallPool>(32)),
      random_(deps.seed != 0 ? deps.seed : osSeed()) {}

std::string OrchestratorContext::newId(std::string_view prefix) {
  if (deps.seed == 0) return secureId(prefix);  // production: unpredictable ids
  std::lock_guard lock(random_mutex_);          // a seeded run: the same ids every time
  return lightpath::newId(prefix, random_);
}

Status OrchestratorContext::configure(const Connection& c, IntentAction action,
                                      const std::string& tag) const {
  LP_ASSIGN_OR_RETURN(std::vector<NodeChange> changes,
                      deviceIntent(c, *deps.fleet, now(), action, deps.sealer));
  for (NodeChange& change : changes) change.change.transaction += tag;
  return applyToDevices(changes);
}

std::map<std::string, Status> OrchestratorContext::nodeHealth() const {
  std::map<std::string, std::shared_ptr<DeviceCallPool::Pending>> asked;
  std::map<std::string, std::shared_ptr<Status>> answers;
  for (const auto& entry : deps.fleet->all()) {
    const std::string& node = entry.first;
    std::shared_ptr<Device> device = entry.second;
    if (!device->telemetry()) continue;
    auto answer = std::make_shared<Status>();
    answers[node] = answer;
    asked[node] = calls_->submit(node, [device, answer]() -> Status {
      auto up = device->telemetry()->nodeUp();
      *answer = !up ? up.error() : *up ? Status::ok() : unavailable("the node reports itself down");
      return Status::ok();
    });
  }
  const auto deadline = std::chrono::steady_clock::now() + deps.device_timeout;
  std::map<std::string, Status> health;
  for (auto& [node, pending] : asked) {
    Status called =
        DeviceCallPool::wait(pending, deadline, deps.device_timeout, "telemetry of " + node);
    health[node] = called.isOk() ? *answers[node] : called;
  }
  return health;
}

std::map<std::string, Result<OrchestratorContext::Octets>> OrchestratorContext::octets(
    const std::map<std::string, std::vector<std::string>>& keys_by_node) const {
  std::map<std::string, std::shared_ptr<DeviceCallPool::Pending>> asked;
  std::map<std::string, std::shared_ptr<Result<Octets>>> answers;
  for (const auto& [node, keys] : keys_by_node) {
    std::shared_ptr<Device> device = deps.fleet->device(node);
    if (!device || !device->telemetry()) continue;  // counts nothing
    auto answer = std::make_shared<Result<Octets>>(Octets{});
    answers[node] = answer;
    asked[node] = calls_->submit(node, [device, answer, keys = keys]() -> Status {
      *answer = device->telemetry()->octets(keys);
      return statusOf(*answer);
    });
  }
  const auto deadline = std::chrono::steady_clock::now() + deps.device_timeout;
  std::map<std::string, Result<Octets>> out;
  for (auto& [node, pending] : asked) {
    Status called =
        DeviceCallPool::wait(pending, deadline, deps.device_timeout, "counters of " + node);
    if (called.isOk())
      out.emplace(node, std::move(*answers[node]));
    else
      out.emplace(node, fail(called));
  }
  return out;
}

std::map<std::string, Result<std::vector<ConfigEntry>>> OrchestratorContext::readConfigs(
    const Reads& reads) const {
  using Read = Result<std::vector<ConfigEntry>>;
  std::map<std::string, std::shared_ptr<DeviceCallPool::Pending>> asked;
  std::map<std::string, std::shared_ptr<Read>> answers;
  for (const auto& [node, keys] : reads) {
    std::shared_ptr<Device> device = deps.fleet->device(node);
    if (!device) continue;
    auto answer = std::make_shared<Read>(std::vector<ConfigEntry>{});
    answers[node] = answer;
    asked[node] = calls_->submit(node, [device, answer, keys = keys]() -> Status {
      *answer = keys ? device->read(*keys) : device->running();
      return statusOf(*answer);
    });
  }
  const auto deadline = std::chrono::steady_clock::now() + deps.device_timeout;
  std::map<std::string, Read> out;
  for (auto& [node, pending] : asked) {
    Status called = DeviceCallPool::wait(pending, deadline, deps.device_timeout, "reading " + node);
    if (called.isOk())
      out.emplace(node, std::move(*answers[node]));
    else
      out.emplace(node, fail(called));
  }
  return out;
}

Status OrchestratorContext::applyToDevices(const std::vector<NodeChange>& changes) const {
  return applyAcrossDevices(*deps.fleet, changes, {calls_.get(), deps.device_timeout});
}

}  // namespace lightpath
