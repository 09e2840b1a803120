// One change across several devices, all or nothing: prepare everywhere, then apply
// everywhere; a failed prepare aborts what was staged, a failed apply also puts the devices
// already changed back as they were (compensation, in reverse order). No device keeps
// configuration the change would have made.
#pragma once

#include <vector>

#include "lightpath/southbound/device.h"

namespace lightpath {

struct NodeChange {
  std::string node;  // a node id of the fleet
  DeviceChange change;
};

// Returns the first failure (with the node in the message) after cleaning up; ok when every
// device runs its change.
Status applyAcrossDevices(const DeviceFleet& fleet, const std::vector<NodeChange>& changes);

}  // namespace lightpath
