// The configuration entries every driver keeps for a connection, from the intent of each role:
// "xc/<connection>/<leg>" (in, out, slots/<fiber> = "first+count", transceiver),
// "evc/<connection>/<leg>" (in, out, vlan = number or "untagged", mbps) and
// "cloud/<connection>" (provider, key, vlan, mbps). An encrypting end adds "encryption" (the
// mode), "key/<id>" per installed key (its fingerprint; the key itself among the entry's secrets)
// and "active-key" (the id in use). The simulated device stores them as they are;
// a real device's dialect renders them into its own model and reads them back.
#pragma once

#include "lightpath/southbound/behaviours.h"
#include "lightpath/southbound/device.h"

namespace lightpath {

ConfigEntry crossConnectEntry(const CrossConnectIntent& intent);
ConfigEntry clientServiceEntry(const ClientServiceIntent& intent);
ConfigEntry cloudAttachmentEntry(const CloudAttachmentIntent& intent);

// "sha256:" and the first 16 hex digits of the SHA-256 of a key: tells keys apart without
// revealing them (a 256-bit key cannot be searched for).
std::string keyFingerprint(std::string_view secret);

}  // namespace lightpath
