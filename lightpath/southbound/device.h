// The southbound port: what the orchestrator asks of a network device, whoever made it.
// A device is driven transactionally (FRRouting-style): validate (pure) -> prepare (stage the
// change, idempotent) -> apply (make it running), or abort (drop what was staged). Its running
// configuration can be read back, so drift between intent and devices is detectable.
//
// Configuration is a set of entries, each owned by a connection: a ROADM cross-connect of a
// spectrum slice, a client port's VLAN service, a cloud on-ramp attachment. Behaviours turn
// intent into entries; a driver is a name plus the behaviours it implements.
//
// Thread-safety: a Device may be called from several threads; implementations serialise.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lightpath/base/status.h"
#include "lightpath/southbound/behaviours.h"

namespace lightpath {

// One piece of running configuration.
struct ConfigEntry {
  std::string key;    // unique on the device: "xc/<connection>/<n>", "evc/<connection>", ...
  std::string owner;  // the connection it serves
  std::map<std::string, std::string> values;
  // Write-only values (encryption keys), by the name of the value holding their fingerprint:
  // sent to the device and nowhere else (never stored, logged or read back). Two entries
  // compare by their values, so a key is checked by its fingerprint.
  std::map<std::string, std::string> secrets;
  bool operator==(const ConfigEntry& o) const {
    return key == o.key && owner == o.owner && values == o.values;
  }
};

// A change to a device: entries to set (create or replace) and keys to remove.
struct DeviceChange {
  std::string transaction;  // idempotency key: preparing the same transaction twice is one
  std::vector<ConfigEntry> set;
  std::vector<std::string> remove;
};

class Device {
 public:
  virtual ~Device() = default;
  virtual const std::string& name() const = 0;

  // Pure checks against what the device supports (no I/O): InvalidArgument with the reason.
  virtual Status validate(const DeviceChange& change) const = 0;
  // Stages the change. Unavailable on transport trouble (retryable), FailedPrecondition when
  // the device refuses it. Idempotent per transaction id.
  virtual Status prepare(const DeviceChange& change) = 0;
  // Makes a prepared transaction running.
  virtual Status apply(const std::string& transaction) = 0;
  // Drops a prepared transaction; a no-op when there is none.
  virtual Status abort(const std::string& transaction) = 0;
  // The running configuration.
  virtual Result<std::vector<ConfigEntry>> running() = 0;
  // The running entries with these keys (those present), without reading the whole table.
  virtual Result<std::vector<ConfigEntry>> read(const std::vector<std::string>& keys) = 0;

  // The behaviours of its role (behaviours.h); null when it has not that role.
  virtual const CrossConnect* crossConnect() const { return nullptr; }
  virtual const ClientPort* clientPort() const { return nullptr; }
  virtual const CloudOnRamp* cloudOnRamp() const { return nullptr; }
  virtual Telemetry* telemetry() { return nullptr; }
};

// The devices of one network, by node id. Built by the composition root from the drivers it
// registers; the orchestrator asks it for the device of each node on a path.
class DeviceFleet {
 public:
  void add(std::string node, std::shared_ptr<Device> device) {
    devices_[std::move(node)] = std::move(device);
  }
  std::shared_ptr<Device> device(const std::string& node) const {
    auto it = devices_.find(node);
    return it == devices_.end() ? nullptr : it->second;
  }
  const std::map<std::string, std::shared_ptr<Device>>& all() const { return devices_; }

 private:
  std::map<std::string, std::shared_ptr<Device>> devices_;
};

}  // namespace lightpath
