// The driver registry.
#include "lightpath/southbound/registry.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace lightpath {

Status DriverRegistry::add(const std::string& name, DriverFactory factory) {
  if (name.empty() || !factory) return invalidArgument("a driver needs a name and a factory");
  if (!factories_.emplace(name, std::move(factory)).second) {
    return alreadyExists(fmt::format("driver '{}' is registered already", name));
  }
  return Status::ok();
}

Result<std::shared_ptr<Device>> DriverRegistry::create(const std::string& name,
                                                       const DriverContext& context) const {
  auto it = factories_.find(name);
  if (it == factories_.end()) {
    return fail(notFound(fmt::format("node '{}': no driver '{}' (there are: {})", context.node.id,
                                     name, fmt::join(names(), ", "))));
  }
  auto device = it->second(context);
  if (!device)
    return fail(
        device.error().withContext(fmt::format("node '{}' ({} driver)", context.node.id, name)));
  return device;
}

std::vector<std::string> DriverRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& [name, factory] : factories_) out.push_back(name);
  return out;
}

}  // namespace lightpath
