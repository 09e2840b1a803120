// A test world for the orchestrator's tests: the demo network with a simulated device on every
// node, a SQLite store in a temporary directory, a manual clock and the default price book.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <string>

#include "lightpath/io/demo_network.h"
#include "lightpath/orchestrator/provisioner.h"
#include "lightpath/southbound/drivers/sim/sim_device.h"
#include "lightpath/store/sqlite/sqlite_store.h"

namespace lightpath::testing {

// The demo network with a simulated device on every node, a SQLite store in a temporary
// directory, and a manual clock. `restart()` builds a new provisioner (new ledger) on the same
// store and devices, as a process restart would.
struct World {
  std::shared_ptr<const Topology> topology = std::make_shared<const Topology>(*loadDemoNetwork());
  PathEngine engine{topology};
  WavelengthPlanner planner{engine, *loadTransceiverCatalog(), defaultEquipment()};
  ManualClock clock{TimePoint(std::chrono::seconds(1'800'000'000))};
  DeviceFleet fleet;
  std::map<std::string, std::shared_ptr<SimDevice>> devices;
  std::string dir;
  std::unique_ptr<Store> store;
  std::unique_ptr<Ledger> ledger;
  std::unique_ptr<Provisioner> provisioner;
  PriceBook book = *defaultPriceBook();

  World() {
    dir = (std::filesystem::temp_directory_path() /
           ("lightpath-prov-" + std::to_string(std::random_device{}())))
              .string();
    std::filesystem::create_directories(dir);
    for (const Node& n : topology->nodes()) {
      devices[n.id] = std::make_shared<SimDevice>(n.id, SimFaults{}, 1, &clock);
      fleet.add(n.id, devices[n.id]);
    }
    restart();
  }
  ~World() { std::filesystem::remove_all(dir); }

  void restart() {
    provisioner.reset();
    store.reset();
    store = std::move(*openSqliteStore(dir + "/lightpath.db"));
    ledger = std::make_unique<Ledger>();
    auto p = Provisioner::create({.topology = topology,
                                  .engine = &engine,
                                  .planner = &planner,
                                  .ledger = ledger.get(),
                                  .store = store.get(),
                                  .fleet = &fleet,
                                  .clock = &clock,
                                  .retry_delays = {std::chrono::milliseconds(1)},
                                  .device_timeout = std::chrono::milliseconds(100),
                                  .price_book = &book});
    ASSERT_TRUE(p) << p.error().toString();
    provisioner = std::move(*p);
  }
};

inline ConnectionSpec ethernet(std::uint64_t mbps = 10'000) {
  return {.kind = ConnectionKind::Ethernet,
          .a_end = "dc-ashburn-p1",
          .z_end = "dc-santa-clara-p1",
          .bandwidth_mbps = mbps};
}

}  // namespace lightpath::testing
