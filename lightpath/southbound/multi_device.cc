// Two-phase change across devices with compensation.
#include "lightpath/southbound/multi_device.h"

#include <fmt/format.h>

#include <map>
#include <numeric>
#include <optional>

#include "lightpath/southbound/call_pool.h"

namespace lightpath {
namespace {
constexpr int kUndoAttempts = 10;
}  // namespace

Status applyAcrossDevices(const DeviceFleet& fleet, const std::vector<NodeChange>& changes,
                          DeviceCalls calls) {
  std::vector<std::shared_ptr<Device>> devices;
  for (const NodeChange& c : changes) {
    auto device = fleet.device(c.node);
    if (!device) return notFound(fmt::format("no device for node '{}'", c.node));
    LP_RETURN_IF_ERROR(device->validate(c.change).withContext(c.node));
    devices.push_back(std::move(device));
  }
  // One step on every device: in parallel under one deadline with a pool, else inline in
  // order. `step(i)` must return a call that owns what it uses: one that times out runs on
  // after this function has returned.
  using Call = std::function<Status(Device&)>;
  std::vector<bool> late(changes.size());  // the last step's call on it is still running
  auto onEach = [&](const char* what, const std::vector<std::size_t>& which,
                    const std::function<Call(std::size_t)>& step) {
    std::vector<Status> results(changes.size());
    if (!calls.pool) {
      for (std::size_t i : which) results[i] = step(i)(*devices[i]);
      return results;
    }
    std::vector<std::shared_ptr<DeviceCallPool::Pending>> pending(changes.size());
    for (std::size_t i : which) {
      pending[i] = calls.pool->submit(
          changes[i].node, [device = devices[i], call = step(i)] { return call(*device); });
    }
    const auto deadline = std::chrono::steady_clock::now() + calls.timeout;
    for (std::size_t i : which) {
      bool timed_out = false;
      results[i] = DeviceCallPool::wait(pending[i], deadline, calls.timeout,
                                        fmt::format("{}: {}", changes[i].node, what), &timed_out);
      late[i] = timed_out;
    }
    return results;
  };
  auto firstFailure = [](const std::vector<Status>& results) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < results.size(); ++i) {
      if (!results[i].isOk()) return i;
    }
    return std::nullopt;
  };
  std::vector<std::size_t> all(changes.size());
  std::iota(all.begin(), all.end(), 0);
  auto abortAll = [&](const std::vector<std::size_t>& which, bool undo_transaction) {
    (void)onEach("abort", which, [&](std::size_t i) -> Call {
      return [transaction = changes[i].change.transaction + (undo_transaction ? "/undo" : "")](
                 Device& d) { return d.abort(transaction); };
    });
  };

  // What each change will overwrite, to put it back if a device fails.
  std::vector<std::vector<std::string>> keys(changes.size());
  for (std::size_t i = 0; i < changes.size(); ++i) {
    for (const ConfigEntry& e : changes[i].change.set) keys[i].push_back(e.key);
    keys[i].insert(keys[i].end(), changes[i].change.remove.begin(), changes[i].change.remove.end());
  }
  auto read = std::make_shared<std::vector<Result<std::vector<ConfigEntry>>>>(
      changes.size(), std::vector<ConfigEntry>{});
  std::vector<Status> reads = onEach("read", all, [&](std::size_t i) -> Call {
    return [read, i, keys = keys[i]](Device& d) {
      (*read)[i] = d.read(keys);
      return statusOf((*read)[i]);
    };
  });
  if (auto i = firstFailure(reads)) return reads[*i].withContext(changes[*i].node);
  std::vector<DeviceChange> undo(changes.size());
  for (std::size_t i = 0; i < changes.size(); ++i) {
    std::map<std::string, ConfigEntry> before;
    for (ConfigEntry& e : *(*read)[i]) before[e.key] = std::move(e);
    undo[i].transaction = changes[i].change.transaction + "/undo";
    for (const ConfigEntry& e : changes[i].change.set) {
      if (auto it = before.find(e.key); it != before.end())
        undo[i].set.push_back(it->second);
      else
        undo[i].remove.push_back(e.key);
    }
    for (const std::string& key : changes[i].change.remove) {
      if (auto it = before.find(key); it != before.end()) undo[i].set.push_back(it->second);
    }
  }

  std::vector<Status> prepared = onEach("prepare", all, [&](std::size_t i) -> Call {
    return [change = changes[i].change](Device& d) { return d.prepare(change); };
  });
  if (auto i = firstFailure(prepared)) {
    abortAll(all, false);
    return prepared[*i].withContext(changes[*i].node);
  }
  std::vector<Status> applied = onEach("apply", all, [&](std::size_t i) -> Call {
    return
        [transaction = changes[i].change.transaction](Device& d) { return d.apply(transaction); };
  });
  auto failed = firstFailure(applied);
  if (!failed) return Status::ok();

  // Drop what is still only staged, then undo every device that changed. A device whose apply
  // timed out may apply late: undo it too (its undo queues behind the late apply).
  const std::vector<bool> applied_late = late;
  abortAll(all, false);
  std::vector<std::size_t> changed;
  for (std::size_t i = 0; i < changes.size(); ++i) {
    if (applied[i].isOk() || applied_late[i]) changed.push_back(i);
  }
  // Compensation must not give up on a passing fault: try it a few times.
  std::vector<Status> undone(changes.size(), unavailable("not tried"));
  auto stuck = [&](std::size_t i) {
    return internalError(fmt::format(
        "{}: {}; and undoing it on '{}' failed too ({}): reconcile the device",
        changes[*failed].node, applied[*failed].message(), changes[i].node, undone[i].message()));
  };
  for (int attempt = 0; attempt < kUndoAttempts && !changed.empty(); ++attempt) {
    undone = onEach("undo", changed, [&](std::size_t i) -> Call {
      return [back = undo[i]](Device& d) {
        Status p = d.prepare(back);
        return p.isOk() ? d.apply(back.transaction) : p;
      };
    });
    std::vector<std::size_t> again;
    for (std::size_t i : changed) {
      if (undone[i].isOk()) continue;
      if (undone[i].code() != StatusCode::Unavailable) return stuck(i);
      again.push_back(i);
    }
    if (!again.empty()) abortAll(again, true);
    changed = std::move(again);
  }
  if (!changed.empty()) return stuck(changed.front());
  return applied[*failed].withContext(changes[*failed].node);
}

}  // namespace lightpath
