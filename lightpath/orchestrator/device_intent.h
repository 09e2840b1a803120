// What each device must hold for a connection: the intent per node of its route(s), turned into
// configuration entries by that node's driver through the behaviour its role needs — a
// cross-connect per ROADM for a wavelength (the transceiver at the ends and at regenerators), a
// client service per node for Ethernet and cloud hops, and the cloud attachment at the on-ramp.
// Vendor naming stays in the drivers; every entry is owned by the connection.
//
//   auto changes = deviceIntent(connection, fleet, clock.now(), IntentAction::Apply);
//   applyAcrossDevices(fleet, *changes, calls);          // all or nothing
//
// An encrypted connection's ends (the client ports of an Ethernet connection, the add / drop
// cross-connects of a wavelength) also hold its keys, opened with `sealer` (none: fingerprints
// only, enough to compare with what devices hold).
//
// Errors: NotFound when a node has no device, FailedPrecondition when its device cannot play
// the role or a key does not open. Pure: reads the fleet's drivers, changes nothing.
#pragma once

#include <vector>

#include "lightpath/base/seal.h"
#include "lightpath/service/connection.h"
#include "lightpath/southbound/multi_device.h"

namespace lightpath {

enum class IntentAction {
  Apply,   // set every entry
  Remove,  // remove every entry (by key)
};

// One change per node of the working leg, then of the protection leg; transaction ids name the
// connection, its version, the leg and the hop.
Result<std::vector<NodeChange>> deviceIntent(const Connection& c, const DeviceFleet& fleet,
                                             TimePoint now, IntentAction action,
                                             const Sealer* sealer = nullptr);

// Where an Ethernet connection's traffic leaves the network: the Z end's client service on the
// leg carrying it, whose counter says what was delivered. NotFound when it has no route or
// its node no device; FailedPrecondition when that device is not a client port.
struct DeliveryPoint {
  std::string node, key;
};
Result<DeliveryPoint> deliveryPoint(const Connection& c, const DeviceFleet& fleet);

}  // namespace lightpath
