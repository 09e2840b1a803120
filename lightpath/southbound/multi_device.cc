// Two-phase change across devices with compensation.
#include "lightpath/southbound/multi_device.h"

#include <fmt/format.h>

namespace lightpath {
namespace {
constexpr int kUndoAttempts = 10;
}  // namespace

Status applyAcrossDevices(const DeviceFleet& fleet, const std::vector<NodeChange>& changes) {
  std::vector<std::shared_ptr<Device>> devices;
  for (const NodeChange& c : changes) {
    auto device = fleet.device(c.node);
    if (!device) return notFound(fmt::format("no device for node '{}'", c.node));
    LP_RETURN_IF_ERROR(device->validate(c.change).withContext(c.node));
    devices.push_back(std::move(device));
  }
  // What each change will overwrite, to put it back if a later device fails.
  std::vector<DeviceChange> undo(changes.size());
  for (std::size_t i = 0; i < changes.size(); ++i) {
    std::vector<std::string> keys;
    for (const ConfigEntry& e : changes[i].change.set) keys.push_back(e.key);
    keys.insert(keys.end(), changes[i].change.remove.begin(), changes[i].change.remove.end());
    auto running = devices[i]->read(keys);
    if (!running) return running.error().withContext(changes[i].node);
    std::map<std::string, ConfigEntry> before;
    for (ConfigEntry& e : *running) before[e.key] = std::move(e);
    undo[i].transaction = changes[i].change.transaction + "/undo";
    for (const ConfigEntry& e : changes[i].change.set) {
      if (auto it = before.find(e.key); it != before.end()) undo[i].set.push_back(it->second);
      else undo[i].remove.push_back(e.key);
    }
    for (const std::string& key : changes[i].change.remove) {
      if (auto it = before.find(key); it != before.end()) undo[i].set.push_back(it->second);
    }
  }
  auto abortPrepared = [&](std::size_t count) {
    for (std::size_t j = 0; j < count; ++j) (void)devices[j]->abort(changes[j].change.transaction);
  };
  for (std::size_t i = 0; i < changes.size(); ++i) {
    if (Status s = devices[i]->prepare(changes[i].change); !s.isOk()) {
      abortPrepared(i + 1);
      return s.withContext(changes[i].node);
    }
  }
  for (std::size_t i = 0; i < changes.size(); ++i) {
    if (Status s = devices[i]->apply(changes[i].change.transaction); !s.isOk()) {
      // Drop what is still only staged, then undo the devices already changed, last first.
      for (std::size_t j = i; j < changes.size(); ++j) (void)devices[j]->abort(changes[j].change.transaction);
      for (std::size_t j = i; j-- > 0;) {
        // Compensation must not give up on a passing fault: try it a few times.
        Status undone;
        for (int attempt = 0; attempt < kUndoAttempts; ++attempt) {
          undone = devices[j]->prepare(undo[j]);
          if (undone.isOk()) undone = devices[j]->apply(undo[j].transaction);
          if (undone.isOk() || undone.code() != StatusCode::Unavailable) break;
          (void)devices[j]->abort(undo[j].transaction);
        }
        if (!undone.isOk()) {
          return internalError(fmt::format("{}: {}; and undoing it on '{}' failed too ({}): reconcile the device",
                                           changes[i].node, s.message(), changes[j].node, undone.message()));
        }
      }
      return s.withContext(changes[i].node);
    }
  }
  return Status::ok();
}

}  // namespace lightpath
