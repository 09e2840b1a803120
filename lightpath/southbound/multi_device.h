// One change across several devices, all or nothing: prepare everywhere, then apply
// everywhere; a failed prepare aborts what was staged, a failed apply also puts the devices
// already changed back as they were (compensation, in reverse order). No device keeps
// configuration the change would have made.
#pragma once

#include <chrono>
#include <vector>

#include "lightpath/southbound/device.h"

namespace lightpath {

struct NodeChange {
  std::string node;  // a node id of the fleet
  DeviceChange change;
};

// With a pool, every device call has a deadline: a call that times out counts as failed, and
// compensation covers a device whose apply timed out too (it may have applied it late); the
// compensating calls queue behind the late one, so the device ends as it was.
struct DeviceCalls {
  class DeviceCallPool* pool = nullptr;  // none: calls run inline, without deadlines
  std::chrono::milliseconds timeout{2000};
};

// Returns the first failure (with the node in the message) after cleaning up; ok when every
// device runs its change.
Status applyAcrossDevices(const DeviceFleet& fleet, const std::vector<NodeChange>& changes,
                          DeviceCalls calls = {});

}  // namespace lightpath
