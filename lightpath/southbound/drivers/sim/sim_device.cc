// The simulated device.
#include "lightpath/southbound/drivers/sim/sim_device.h"

#include <thread>

#include <fmt/format.h>

namespace lightpath {

SimDevice::SimDevice(std::string name, SimFaults faults, std::uint64_t seed)
    : name_(std::move(name)), faults_(std::move(faults)), random_(seed) {}

void SimDevice::setFaults(SimFaults faults) {
  std::lock_guard lock(mutex_);
  faults_ = std::move(faults);
}

void SimDevice::tamper(ConfigEntry entry) {
  std::lock_guard lock(mutex_);
  running_[entry.key] = std::move(entry);
}

std::size_t SimDevice::preparedCount() const {
  std::lock_guard lock(mutex_);
  return prepared_.size();
}

Status SimDevice::validate(const DeviceChange& change) const {
  if (change.transaction.empty()) return invalidArgument(fmt::format("{}: a change needs a transaction id", name_));
  std::set<std::string> keys;
  for (const ConfigEntry& e : change.set) {
    if (e.key.empty() || e.owner.empty()) {
      return invalidArgument(fmt::format("{}: entries need a key and an owner", name_));
    }
    if (!keys.insert(e.key).second) return invalidArgument(fmt::format("{}: key '{}' set twice", name_, e.key));
  }
  return Status::ok();
}

Status SimDevice::maybeFail(const char* step) {
  // Called with the mutex held; sleeping here stalls the device, as a hung box would.
  if (faults_.latency.count() > 0) std::this_thread::sleep_for(faults_.latency);
  if (faults_.hang_at && *faults_.hang_at == step && faults_.hangs != 0) {
    if (faults_.hangs > 0) --faults_.hangs;
    std::this_thread::sleep_for(faults_.hang);
  }
  if (faults_.fail_at && *faults_.fail_at == step) {
    return unavailable(fmt::format("{}: {} failed (injected)", name_, step));
  }
  if (faults_.failure_rate > 0 && random_.uniform() < faults_.failure_rate) {
    return unavailable(fmt::format("{}: {} failed (injected at random)", name_, step));
  }
  return Status::ok();
}

Status SimDevice::prepare(const DeviceChange& change) {
  LP_RETURN_IF_ERROR(validate(change));
  std::lock_guard lock(mutex_);
  LP_RETURN_IF_ERROR(maybeFail("prepare"));
  if (prepared_.contains(change.transaction)) return Status::ok();  // idempotent
  std::size_t after = running_.size();
  for (const ConfigEntry& e : change.set) after += running_.contains(e.key) ? 0 : 1;
  for (const std::string& key : change.remove) after -= running_.contains(key) ? 1 : 0;
  if (after > faults_.max_entries) {
    return failedPrecondition(fmt::format("{}: table full ({} entries)", name_, faults_.max_entries));
  }
  prepared_[change.transaction] = change;
  return Status::ok();
}

Status SimDevice::apply(const std::string& transaction) {
  std::lock_guard lock(mutex_);
  auto it = prepared_.find(transaction);
  if (it == prepared_.end()) {
    return failedPrecondition(fmt::format("{}: nothing prepared for transaction {}", name_, transaction));
  }
  LP_RETURN_IF_ERROR(maybeFail("apply"));
  for (const std::string& key : it->second.remove) running_.erase(key);
  for (const ConfigEntry& e : it->second.set) running_[e.key] = e;
  prepared_.erase(it);
  return Status::ok();
}

Status SimDevice::abort(const std::string& transaction) {
  std::lock_guard lock(mutex_);
  prepared_.erase(transaction);
  return Status::ok();
}

Result<std::vector<ConfigEntry>> SimDevice::read(const std::vector<std::string>& keys) {
  std::lock_guard lock(mutex_);
  std::vector<ConfigEntry> out;
  for (const std::string& key : keys) {
    if (auto it = running_.find(key); it != running_.end()) out.push_back(it->second);
  }
  return out;
}

Result<std::vector<ConfigEntry>> SimDevice::running() {
  std::lock_guard lock(mutex_);
  std::vector<ConfigEntry> out;
  for (const auto& [key, e] : running_) out.push_back(e);
  return out;
}

}  // namespace lightpath
