// The composition root: configuration in, the wired objects out. The only place that knows
// every library; commands and (later) `lightpath serve` build their stack here.
//
//   auto stack = buildStack({.data_dir = "./lightpath-data"});   // demo network, SQLite, sim
//   devices
//   (*stack)->provisioner->order(...);
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lightpath/cloudsim/cloud_sim.h"
#include "lightpath/orchestrator/provisioner.h"
#include "lightpath/southbound/drivers/sim/sim_device.h"

namespace lightpath {

struct StackConfig {
  std::string data_dir = "lightpath-data";  // the SQLite store and the simulated devices' state
                                            // live here (created if missing)
  // "sqlite:PATH" or a PostgreSQL URL ("postgresql://user@host:port/db"); empty: SQLite in
  // data_dir. The PostgreSQL password comes from PGPASSWORD or a passfile, or the URL.
  std::string store;
  std::string topology_file;        // empty: the built-in demo network
  std::string transceivers_file;    // empty: the built-in catalog
  std::string equipment_file;       // GNPy eqpt_config.json; empty: the built-in library
  std::optional<double> margin_db;  // planning margin; default: the library's sys_margins
  std::string driver = "sim";       // the device driver of nodes the devices file lacks
  std::string devices_file;         // real devices (NETCONF), by node; empty: none
  std::chrono::milliseconds device_timeout{2000};  // the deadline of every device call
  std::chrono::seconds reconcile_interval{300};    // how often devices are checked for drift
  std::chrono::seconds work_lease{10};             // instances sharing a store: takeover after this
  std::string price_book_file;                     // empty: the built-in price book
  // The packet capacity each fiber carries for Ethernet (Mb/s; a share of its spectrum given
  // to packet transport).
  std::uint64_t packet_mbps_per_fiber = 1'600'000;
  bool resume_workflows = true;
  // Simulated devices keep their configuration in a shared store (every instance sees the same
  // lab); false: in the data directory (benchmarks of the store alone).
  bool sim_devices_in_store = true;
  // The master key (base/seal.h) that seals encrypted connections' keys; none: encryption is
  // refused (tools that only read).
  std::optional<Sealer> sealer;
  // How often an encrypted connection's key is replaced.
  std::chrono::seconds key_rotation{std::chrono::hours(24 * 30)};
  // The cloud providers' APIs Lightpath is a partner of. A provider without an endpoint here is
  // the simulator's (cloudsim/), kept in the store and served under /cloudsim/.
  std::vector<CloudEndpoint> cloud_endpoints;
  std::chrono::seconds cloud_accept_within{std::chrono::hours(24 * 7)};
  std::chrono::seconds cloud_poll{5};
  // The simulators': from the customer's acceptance to carrying traffic.
  std::chrono::milliseconds cloudsim_bring_up{1000};
};

// Closes the file (and so drops its lock) when the stack goes.
struct LockFile {
  int fd = -1;
  LockFile() = default;
  LockFile(const LockFile&) = delete;
  LockFile& operator=(const LockFile&) = delete;
  ~LockFile();
};

struct Stack {
  // One process per data directory: two would each hold a ledger of their own and book the same
  // capacity twice, and rewrite each other's device journals.
  LockFile lock;
  std::shared_ptr<const Topology> topology;
  std::unique_ptr<PathEngine> engine;
  std::unique_ptr<WavelengthPlanner> planner;
  std::unique_ptr<Ledger> ledger;
  std::unique_ptr<Store> store;
  PriceBook price_book;
  std::optional<Sealer> sealer;
  DeviceFleet fleet;
  SystemClock clock;
  std::unique_ptr<CloudSim> cloudsim;  // when a provider has no endpoint of its own
  CloudProviders clouds;
  std::unique_ptr<Provisioner> provisioner;
};

Result<std::unique_ptr<Stack>> buildStack(const StackConfig& config);

// Opens the store `config.store` names (see StackConfig::store).
Result<std::unique_ptr<Store>> openStore(const StackConfig& config);
// Whether `config` names a store that exists: a server's database is assumed to.
bool storeExists(const StackConfig& config);

}  // namespace lightpath
