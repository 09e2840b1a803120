// Drivers by name. The composition root registers the drivers it links and builds each node's
// device from the one the configuration names; nothing else knows which drivers exist.
//
//   DriverRegistry registry;
//   registerSimDriver(registry);
//   auto device = registry.create("sim", {.node = node, .state_dir = "data/devices"});
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "lightpath/base/clock.h"
#include "lightpath/model/elements.h"
#include "lightpath/southbound/device.h"
#include "lightpath/store/store.h"

namespace lightpath {

class Topology;
struct DriverContext {
  const Node& node;
  std::string state_dir;               // where a driver may keep state of its own; empty: nowhere
  const Topology* topology = nullptr;  // the network (fiber bands, for frequencies)
  Store* store = nullptr;              // the service's store (simulated devices may keep state)
  const Clock* clock = nullptr;        // the service's (simulated devices count traffic on it)
};
using DriverFactory = std::function<Result<std::shared_ptr<Device>>(const DriverContext&)>;

class DriverRegistry {
 public:
  // AlreadyExists when the name is taken.
  Status add(const std::string& name, DriverFactory factory);
  // NotFound naming the drivers there are; else the factory's answer, with the node in errors.
  Result<std::shared_ptr<Device>> create(const std::string& name,
                                         const DriverContext& context) const;
  std::vector<std::string> names() const;

 private:
  std::map<std::string, DriverFactory> factories_;
};

}  // namespace lightpath
