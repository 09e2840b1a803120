// The configuration entries every driver keeps for a connection, from the intent of each role:
// "xc/<connection>/<leg>" (in, out, slots/<fiber> = "first+count", transceiver),
// "evc/<connection>/<leg>" (in, out, vlan = number or "untagged", mbps) and
// "cloud/<connection>" (provider, key, vlan, mbps). The simulated device stores them as they are;
// a real device's dialect renders them into its own model and reads them back.
#pragma once

#include "lightpath/southbound/behaviours.h"
#include "lightpath/southbound/device.h"

namespace lightpath {

ConfigEntry crossConnectEntry(const CrossConnectIntent& intent);
ConfigEntry clientServiceEntry(const ClientServiceIntent& intent);
ConfigEntry cloudAttachmentEntry(const CloudAttachmentIntent& intent);

}  // namespace lightpath
