// The devices file: how to reach each real device, named by the serve config (`devices:`).
//
//   [{"node": "boston-roadm", "host": "127.0.0.1", "port": 18301, "username": "root",
//     "key_file": "client_key", "known_hosts": "known_hosts", "dialect": "openroadm",
//     "timeout_ms": 5000}, ...]
//
// Relative paths are relative to the file. `known_hosts` defaults to the file "known_hosts"
// beside it; `timeout_ms` to 5000. Nodes it does not list keep the default driver (sim).
#pragma once

#include <map>
#include <string>

#include "lightpath/southbound/drivers/netconf/netconf_device.h"

namespace lightpath {

// InvalidArgument naming the file, the entry and the field for anything wrong in it.
Result<std::map<std::string, NetconfNode>> readDevicesFile(const std::string& path);

}  // namespace lightpath
