// Wiring: topology -> path engine -> planner; store -> ledger (recovered); simulated devices.
#include "lightpath/server/stack.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <malloc.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <system_error>

#include "lightpath/base/crypto.h"
#include "lightpath/base/log.h"
#include "lightpath/base/parallel.h"
#include "lightpath/io/demo_network.h"
#include "lightpath/io/topology_io.h"
#include "lightpath/optical/line_design.h"
#include "lightpath/southbound/drivers/netconf/devices_file.h"
#include "lightpath/store/postgres/postgres_store.h"
#include "lightpath/store/sqlite/sqlite_store.h"

namespace lightpath {

LockFile::~LockFile() {
  if (fd >= 0) ::close(fd);
}

namespace {

bool isPostgres(const std::string& store) {
  return store.starts_with("postgresql://") || store.starts_with("postgres://");
}

std::string sqlitePath(const StackConfig& config) {
  if (config.store.starts_with("sqlite:")) return config.store.substr(7);
  return (std::filesystem::path(config.data_dir) / "lightpath.db").string();
}

// Each provider's adapter: to its configured endpoint, else to the simulator, reached in-process
// (the customers reach the same simulator over HTTP, under /cloudsim/). Lightpath is the
// simulator's partner with a secret made for this process, so its own SigV4 signatures are
// checked in full.
Status connectClouds(const StackConfig& config, Stack& stack) {
  std::vector<CloudEndpoint> endpoints = config.cloud_endpoints;
  std::set<std::string> configured;
  for (const CloudEndpoint& e : config.cloud_endpoints) configured.insert(e.provider);
  if (configured.size() < 3) {
    CloudSimOptions sim{.store = stack.store.get(),
                        .state_file = {},
                        .aws_partner_account = "999999999999",
                        .partner_token = randomHex(16),
                        .aws_secrets = {},
                        .bring_up = config.cloudsim_bring_up,
                        .clock = nullptr};
    const std::string aws_secret = randomHex(20);
    sim.aws_secrets[sim.aws_partner_account] = aws_secret;
    LP_ASSIGN_OR_RETURN(stack.cloudsim, CloudSim::open(sim));
    CloudSim* cloudsim = stack.cloudsim.get();
    CloudTransport transport = [cloudsim](const std::string& method, const std::string& path,
                                          const std::map<std::string, std::string>& headers,
                                          const std::string& body) {
      HttpRequest request{method, path, {}, headers, body, "in-process"};
      HttpResponse response = cloudsim->handle(request);
      return CloudHttpReply{response.status, std::move(response.body)};
    };
    for (const char* provider : {"aws", "azure", "google"}) {
      if (configured.count(provider)) continue;
      const bool aws = std::string_view(provider) == "aws";
      endpoints.push_back({.provider = provider,
                           .url = std::string("http://lightpath/cloudsim/") + provider,
                           .access_key_id = aws ? sim.aws_partner_account : "lightpath",
                           .secret = aws ? aws_secret : sim.partner_token,
                           .timeout = std::chrono::milliseconds(5000),
                           .transport = transport});
    }
  }
  for (const CloudEndpoint& e : endpoints) {
    LP_ASSIGN_OR_RETURN(auto provider, makeCloudProvider(e));
    stack.clouds[e.provider] = std::move(provider);
  }
  return Status::ok();
}

}  // namespace

Result<std::unique_ptr<Store>> openStore(const StackConfig& config) {
  if (isPostgres(config.store)) return openPostgresStore({.url = config.store});
  if (!config.store.empty() && !config.store.starts_with("sqlite:")) {
    return fail(invalidArgument(
        fmt::format("store '{}': use sqlite:PATH or postgresql://USER@HOST:PORT/DATABASE",
                    redactedUrl(config.store))));
  }
  return openSqliteStore(sqlitePath(config));
}

bool storeExists(const StackConfig& config) {
  return isPostgres(config.store) || std::filesystem::exists(sqlitePath(config));
}

Result<std::unique_ptr<Stack>> buildStack(const StackConfig& config) {
  auto stack = std::make_unique<Stack>();
  auto topology =
      config.topology_file.empty() ? loadDemoNetwork() : readTopologyFile(config.topology_file);
  if (!topology) return fail(topology.error());
  stack->topology = std::make_shared<const Topology>(std::move(*topology));
  stack->engine = std::make_unique<PathEngine>(stack->topology);
  LP_ASSIGN_OR_RETURN(auto catalog, loadTransceiverCatalog(config.transceivers_file));
  LP_ASSIGN_OR_RETURN(OpticalEquipment equipment, loadEquipment(config.equipment_file));
  if (config.margin_db) equipment.load.sys_margins_db = *config.margin_db;
  LP_RETURN_IF_ERROR(checkLineDesign(*stack->topology, equipment));
  // A GNPy equipment file's transceiver modes replace the default catalog.
  if (!config.equipment_file.empty() && !equipment.transceivers.empty() &&
      config.transceivers_file.empty()) {
    catalog = equipment.transceivers;
  }
  stack->planner =
      std::make_unique<WavelengthPlanner>(*stack->engine, std::move(catalog), std::move(equipment));
  std::error_code error;
  std::filesystem::create_directories(config.data_dir, error);
  if (error)
    return fail(
        unavailable(fmt::format("{}: cannot create: {}", config.data_dir, error.message())));
  const std::string lock_path =
      (std::filesystem::path(config.data_dir) / "lightpath.lock").string();
  stack->lock.fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (stack->lock.fd < 0)
    return fail(unavailable(fmt::format("{}: cannot open: {}", lock_path, std::strerror(errno))));
  if (::flock(stack->lock.fd, LOCK_EX | LOCK_NB) != 0) {
    return fail(failedPrecondition(
        fmt::format("{} is in use by another Lightpath process (a running lightpath serve?): "
                    "stop it first",
                    config.data_dir)));
  }
  LP_ASSIGN_OR_RETURN(stack->store, openStore(config));
  stack->ledger = std::make_unique<Ledger>();
  // The simulated devices keep their configuration in the data directory, so they outlive the
  // process as real devices would (a restart finds them as they were).
  const std::filesystem::path devices = std::filesystem::path(config.data_dir) / "devices";
  std::filesystem::create_directories(devices, error);
  if (error)
    return fail(
        unavailable(fmt::format("{}: cannot create: {}", devices.string(), error.message())));
  Result<PriceBook> book = defaultPriceBook();
  if (!config.price_book_file.empty()) {
    std::ifstream in(config.price_book_file, std::ios::binary);
    if (!in)
      return fail(notFound(fmt::format("{}: cannot read the price book", config.price_book_file)));
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    book = parsePriceBook(text, config.price_book_file);
  }
  if (!book) return fail(book.error());
  stack->price_book = std::move(*book);
  stack->sealer = config.sealer;
  DriverRegistry drivers;
  LP_RETURN_IF_ERROR(registerSimDriver(drivers));
  std::map<std::string, NetconfNode> real;
  if (!config.devices_file.empty()) {
    LP_ASSIGN_OR_RETURN(real, readDevicesFile(config.devices_file));
    for (const auto& [node, access] : real) {
      if (!stack->topology->findNode(node) ||
          stack->topology->node(*stack->topology->findNode(node)).id != node)
        return fail(invalidArgument(
            fmt::format("{}: node '{}' is not in the network", config.devices_file, node)));
    }
  }
  std::set<std::string> real_nodes;
  for (const auto& [node, access] : real) real_nodes.insert(node);
  LP_RETURN_IF_ERROR(registerNetconfDriver(drivers, std::move(real)));
  // What a start costs, by part (logged): time, and the heap in use (what each part keeps;
  // the resident size would count what the start read and freed, until it is trimmed).
  auto heapMb = [] { return static_cast<double>(::mallinfo2().uordblks) / (1 << 20); };
  const double devices_mb = heapMb();
  const auto devices_from = std::chrono::steady_clock::now();
  // The devices are built on every core: a large book's simulated devices read hundreds of
  // megabytes of journals (a few seconds of one core at a million connections). Drivers'
  // factories only read what they were given.
  const std::span<const Node> nodes = stack->topology->nodes();
  std::vector<std::shared_ptr<Device>> built(nodes.size());
  LP_RETURN_IF_ERROR(parallelFor(nodes.size(), [&](std::size_t i) -> Status {
    LP_ASSIGN_OR_RETURN(
        built[i],
        drivers.create(real_nodes.contains(nodes[i].id) ? "netconf" : config.driver,
                       {.node = nodes[i],
                        .state_dir = devices.string(),
                        .topology = stack->topology.get(),
                        .store = config.sim_devices_in_store ? stack->store.get() : nullptr,
                        .clock = &stack->clock}));
    return Status::ok();
  }));
  for (std::size_t i = 0; i < nodes.size(); ++i) stack->fleet.add(nodes[i].id, std::move(built[i]));
  const auto ledger_from = std::chrono::steady_clock::now();
  const double ledger_mb = heapMb();
  LP_RETURN_IF_ERROR(connectClouds(config, *stack));
  LP_ASSIGN_OR_RETURN(auto provisioner,
                      Provisioner::create({.topology = stack->topology,
                                           .engine = stack->engine.get(),
                                           .planner = stack->planner.get(),
                                           .ledger = stack->ledger.get(),
                                           .store = stack->store.get(),
                                           .fleet = &stack->fleet,
                                           .clock = &stack->clock,
                                           .packet_mbps_per_fiber = config.packet_mbps_per_fiber,
                                           .resume_workflows = config.resume_workflows,
                                           .device_timeout = config.device_timeout,
                                           .price_book = &stack->price_book,
                                           .reconcile_interval = config.reconcile_interval,
                                           .work_lease = config.work_lease,
                                           .sealer = stack->sealer ? &*stack->sealer : nullptr,
                                           .key_rotation = config.key_rotation,
                                           .clouds = &stack->clouds,
                                           .cloud_accept_within = config.cloud_accept_within,
                                           .cloud_poll = config.cloud_poll}));
  stack->provisioner = std::move(provisioner);
  const auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
  const auto trim_from = std::chrono::steady_clock::now();
  // What the start read (journals, stored holds) goes back to the system, not just to the heap.
  ::malloc_trim(0);
  log().info(
      "start: devices {:.0f} ms (+{:.0f} MB), ledger and recovery {:.0f} ms (+{:.0f} MB, {} "
      "holds), trim {:.0f} ms",
      ms(ledger_from - devices_from), ledger_mb - devices_mb, ms(trim_from - ledger_from),
      heapMb() - ledger_mb, stack->ledger->holdCount(),
      ms(std::chrono::steady_clock::now() - trim_from));
  return stack;
}

}  // namespace lightpath
