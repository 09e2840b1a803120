// Wiring: topology -> path engine -> planner; store -> ledger (recovered); simulated devices.
#include "lightpath/server/stack.h"

#include <cctype>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>

#include "lightpath/io/demo_network.h"
#include "lightpath/io/topology_io.h"
#include "lightpath/store/sqlite/sqlite_store.h"

namespace lightpath {
namespace {

// A node id as a file name: safe characters kept, the rest %-escaped (so ids stay distinct).
std::string fileNameOf(const std::string& id) {
  std::string out;
  for (unsigned char ch : id) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || (ch == '.' && !out.empty())) out += static_cast<char>(ch);
    else out += fmt::format("%{:02X}", ch);
  }
  return out;
}

}  // namespace

Result<std::unique_ptr<Stack>> buildStack(const StackConfig& config) {
  auto stack = std::make_unique<Stack>();
  auto topology = config.topology_file.empty() ? loadDemoNetwork() : readTopologyFile(config.topology_file);
  if (!topology) return fail(topology.error());
  stack->topology = std::make_shared<const Topology>(std::move(*topology));
  stack->engine = std::make_unique<PathEngine>(stack->topology);
  auto catalog = loadTransceiverCatalog(config.transceivers_file);
  if (!catalog) return fail(catalog.error());
  stack->planner = std::make_unique<WavelengthPlanner>(*stack->engine, std::move(*catalog), LineSystem{});
  std::error_code error;
  std::filesystem::create_directories(config.data_dir, error);
  if (error) return fail(unavailable(fmt::format("{}: cannot create: {}", config.data_dir, error.message())));
  auto store = openSqliteStore((std::filesystem::path(config.data_dir) / "lightpath.db").string());
  if (!store) return fail(store.error());
  stack->store = std::move(*store);
  stack->ledger = std::make_unique<Ledger>();
  // The simulated devices keep their configuration in the data directory, so they outlive the
  // process as real devices would (a restart finds them as they were).
  const std::filesystem::path devices = std::filesystem::path(config.data_dir) / "devices";
  std::filesystem::create_directories(devices, error);
  if (error) return fail(unavailable(fmt::format("{}: cannot create: {}", devices.string(), error.message())));
  for (const Node& node : stack->topology->nodes()) {
    auto device = std::make_shared<SimDevice>(node.id);
    LP_RETURN_IF_ERROR(device->keepIn((devices / (fileNameOf(node.id) + ".jsonl")).string()));
    stack->sim_devices[node.id] = device;
    stack->fleet.add(node.id, device);
  }
  auto provisioner = Provisioner::create({.topology = stack->topology, .engine = stack->engine.get(),
                                          .planner = stack->planner.get(), .ledger = stack->ledger.get(),
                                          .store = stack->store.get(), .fleet = &stack->fleet,
                                          .clock = &stack->clock, .resume_workflows = config.resume_workflows,
                                          .check_devices = config.check_devices});
  if (!provisioner) return fail(provisioner.error());
  stack->provisioner = std::move(*provisioner);
  return stack;
}

}  // namespace lightpath
