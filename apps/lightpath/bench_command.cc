// `lightpath bench provision`, `lightpath admin check`, `lightpath admin reconcile`.
#include "bench_command.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "exit_codes.h"
#include "failure_command.h"
#include "lightpath/base/random.h"
#include "lightpath/server/server.h"
#include "lightpath/server/stack.h"
#include "progress.h"
#include "restore_bench.h"

namespace lightpath::cli {
namespace {

using Clock = std::chrono::steady_clock;

struct BenchFlags {
  std::string data = "lightpath-data";
  std::string store;  // empty: SQLite in the data directory
  bool sim_devices_local = false;
  std::string topology;
  int connections = 1000;
  int concurrency = 1;
  std::string kind = "ethernet";
  std::uint64_t seed = 1;
  int mbps = 0;                  // ethernet bandwidth per order; 0: 100-1000 Mb/s at random
  int wavelength_gbps = 0;       // 0: 100 or 400 at random
  std::string protection;        // "none", "1+1"; empty: either at random (wavelengths)
  std::string tenant = "bench";  // whose connections `bench load` makes
  double packet_gbps_per_fiber = 1600;
  std::string ack_log;  // every acknowledged order id, one per line, written as it is acknowledged
  bool json = false;
};

double percentile(std::vector<double>& v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))];
}

// The orders a benchmark places: between client ports (Ethernet) or data-center sites
// (wavelengths), drawn from a seeded generator.
class OrderMix {
 public:
  static Result<OrderMix> of(const Topology& t, const BenchFlags& flags) {
    OrderMix mix(flags);
    for (const Port& p : t.ports()) mix.ports_.push_back(&p);
    for (const Site& s : t.sites()) {
      if (s.kind == SiteKind::Datacenter) mix.datacenters_.push_back(s.id);
    }
    if (mix.ports_.size() < 2 || (flags.kind != "ethernet" && mix.datacenters_.size() < 2)) {
      return fail(failedPrecondition(
          "the network needs client ports (and data-center sites for wavelengths)"));
    }
    return mix;
  }

  ConnectionSpec next(Random& random) const {
    auto pick = [&](const auto& from) {
      return from[random.below(static_cast<std::uint32_t>(from.size()))];
    };
    ConnectionSpec spec;
    const bool wavelength =
        flags_.kind == "wavelength" || (flags_.kind == "mixed" && random.below(4) == 0);
    if (wavelength) {
      spec.kind = ConnectionKind::Wavelength;
      spec.a_end = pick(datacenters_);
      do {
        spec.z_end = pick(datacenters_);
      } while (spec.z_end == spec.a_end);
      spec.bandwidth_mbps = flags_.wavelength_gbps > 0
                                ? static_cast<std::uint64_t>(flags_.wavelength_gbps) * 1000
                                : (random.below(2) ? 100'000 : 400'000);
      spec.protection = flags_.protection == "1+1" ? Protection::OnePlusOne
                        : flags_.protection == "none"
                            ? Protection::None
                            : (random.below(2) ? Protection::OnePlusOne : Protection::None);
      return spec;
    }
    const Port* a = pick(ports_);
    const Port* z = a;
    while (z->site == a->site) z = pick(ports_);
    spec.kind = ConnectionKind::Ethernet;
    spec.a_end = a->id;
    spec.z_end = z->id;
    spec.bandwidth_mbps = flags_.mbps > 0 ? static_cast<std::uint64_t>(flags_.mbps)
                                          : std::uint64_t{100} * (1 + random.below(10));
    return spec;
  }

 private:
  explicit OrderMix(const BenchFlags& flags) : flags_(flags) {}
  const BenchFlags& flags_;
  std::vector<const Port*> ports_;
  std::vector<std::string> datacenters_;
};

bool checkFlags(const BenchFlags& flags) {
  if (flags.connections < 1 || flags.concurrency < 1 || flags.concurrency > 256) {
    fmt::print(stderr, "error: --connections must be >= 1 and --concurrency 1 to 256\n");
    return false;
  }
  if (flags.kind != "ethernet" && flags.kind != "wavelength" && flags.kind != "mixed") {
    fmt::print(stderr, "error: --kind must be ethernet, wavelength or mixed\n");
    return false;
  }
  return true;
}

int runBench(const BenchFlags& flags) {
  if (!checkFlags(flags)) return kExitUsage;
  const auto started = Clock::now();
  auto stack = buildStack({.data_dir = flags.data,
                           .store = flags.store,
                           .topology_file = flags.topology,
                           .sim_devices_in_store = !flags.sim_devices_local});
  if (!stack) {
    fmt::print(stderr, "error: {}\n", stack.error().message());
    return kExitRejected;
  }
  const double startup_ms =
      std::chrono::duration<double, std::milli>(Clock::now() - started).count();
  const std::size_t holds_before = (*stack)->ledger->holdCount();
  auto mix = OrderMix::of(*(*stack)->topology, flags);
  if (!mix) {
    fmt::print(stderr, "error: {}\n", mix.error().message());
    return kExitRejected;
  }

  std::FILE* ack = nullptr;
  if (!flags.ack_log.empty()) {
    ack = std::fopen(flags.ack_log.c_str(), "a");
    if (!ack) {
      fmt::print(stderr, "error: {}: cannot write\n", flags.ack_log);
      return kExitRejected;
    }
  }
  std::mutex ack_mutex;
  std::atomic<int> next{0}, succeeded{0}, rejected{0}, failed{0};
  std::vector<std::vector<double>> latencies(flags.concurrency);
  std::vector<std::string> first_errors(flags.concurrency);
  const auto run_started = Clock::now();
  std::vector<std::thread> workers;
  for (int w = 0; w < flags.concurrency; ++w) {
    workers.emplace_back([&, w] {
      Random random(flags.seed * 1000003 + static_cast<std::uint64_t>(w));
      for (int i = next++; i < flags.connections; i = next++) {
        const ConnectionSpec spec = mix->next(random);
        const auto t0 = Clock::now();
        auto c = (*stack)->provisioner->order("bench", spec, "bench");
        if (!c) {
          ++rejected;
          if (first_errors[w].empty()) first_errors[w] = c.error().message();
          continue;
        }
        if (ack) {  // the caller has seen it acknowledged: it must survive anything from here
          std::lock_guard lock(ack_mutex);
          std::fprintf(ack, "%s\n", c->id().c_str());
          std::fflush(ack);
        }
        Status s = (*stack)->provisioner->activate(c->id());
        if (!s.isOk()) {
          ++failed;
          if (first_errors[w].empty()) first_errors[w] = s.message();
          continue;
        }
        latencies[w].push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        ++succeeded;
      }
    });
  }
  {
    // Progress while the workers order (a terminal only); `next` counts what was taken.
    const ProgressBar progress("orders", !flags.json);
    while (next.load() < flags.connections) {
      progress.show(static_cast<std::size_t>(next.load()),
                    static_cast<std::size_t>(flags.connections));
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }
  for (auto& worker : workers) worker.join();
  if (ack) std::fclose(ack);
  const double seconds = std::chrono::duration<double>(Clock::now() - run_started).count();
  std::vector<double> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  const double p50 = percentile(all, 0.50), p99 = percentile(all, 0.99),
               max = all.empty() ? 0 : all.back();
  std::string first_error;
  for (const std::string& e : first_errors) {
    if (first_error.empty()) first_error = e;
  }
  nlohmann::ordered_json out{{"connections", flags.connections},
                             {"kind", flags.kind},
                             {"concurrency", flags.concurrency},
                             {"succeeded", succeeded.load()},
                             {"rejected", rejected.load()},
                             {"failed", failed.load()},
                             {"p50_ms", p50},
                             {"p99_ms", p99},
                             {"max_ms", max},
                             {"orders_per_second", flags.connections / seconds},
                             {"startup_ms", startup_ms},
                             {"holds_at_start", holds_before},
                             {"holds_now", (*stack)->ledger->holdCount()}};
  if (!first_error.empty()) out["first_error"] = first_error;
  if (flags.json) {
    std::cout << out.dump(2) << "\n";
  } else {
    fmt::print("{} {} orders, concurrency {}: {} active, {} rejected, {} failed\n",
               flags.connections, flags.kind, flags.concurrency, succeeded.load(), rejected.load(),
               failed.load());
    fmt::print("order -> active   p50 {:.2f} ms   p99 {:.2f} ms   max {:.2f} ms\n", p50, p99, max);
    fmt::print("throughput        {:.0f} orders/s (durable commits)\n",
               flags.connections / seconds);
    fmt::print("start-up          {:.0f} ms with {} holds in the store\n", startup_ms,
               holds_before);
    if (!first_error.empty()) fmt::print("first refusal     {}\n", first_error);
  }
  return kExitOk;
}

// A large book in one go: connections straight to active in batches (Provisioner::load), the
// devices configured and the store written once per batch. For benchmarks that need 100,000s
// of connections in place; `admin check` accepts what it writes.
int runLoad(const BenchFlags& flags) {
  if (!checkFlags(flags)) return kExitUsage;
  if (!(flags.packet_gbps_per_fiber >= 1)) {
    fmt::print(stderr, "error: --packet-gbps-per-fiber must be at least 1\n");
    return kExitUsage;
  }
  auto stack = buildStack(
      {.data_dir = flags.data,
       .store = flags.store,
       .topology_file = flags.topology,
       // One change per node carries a whole batch (thousands of entries on a busy ROADM):
       // the deadline of a single order would fail it on a slow or shared machine.
       .device_timeout = std::chrono::minutes(2),
       .packet_mbps_per_fiber = static_cast<std::uint64_t>(flags.packet_gbps_per_fiber * 1000),
       .sim_devices_in_store = !flags.sim_devices_local});
  if (!stack) {
    fmt::print(stderr, "error: {}\n", stack.error().message());
    return kExitRejected;
  }
  auto mix = OrderMix::of(*(*stack)->topology, flags);
  if (!mix) {
    fmt::print(stderr, "error: {}\n", mix.error().message());
    return kExitRejected;
  }
  constexpr int kBatch = 2000;
  Random random(flags.seed);
  LoadReport total;
  const auto started = Clock::now();
  {
    const ProgressBar progress("connections", !flags.json);
    for (int done = 0; done < flags.connections; done += kBatch) {
      std::vector<ConnectionSpec> specs;
      for (int i = done; i < std::min(flags.connections, done + kBatch); ++i)
        specs.push_back(mix->next(random));
      auto report = (*stack)->provisioner->load(flags.tenant, specs, "bench");
      if (!report) {
        fmt::print(stderr, "error: after {} connections: {}\n", total.loaded,
                   report.error().message());
        return kExitRejected;
      }
      total.loaded += report->loaded;
      if (total.refused == 0) total.first_refusal = report->first_refusal;
      total.refused += report->refused;
      progress.show(static_cast<std::size_t>(done) + specs.size(),
                    static_cast<std::size_t>(flags.connections));
    }
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  nlohmann::ordered_json out{
      {"connections", flags.connections},
      {"kind", flags.kind},
      {"loaded", total.loaded},
      {"refused", total.refused},
      {"seconds", seconds},
      {"connections_per_second", static_cast<double>(total.loaded) / seconds},
      {"holds_now", (*stack)->ledger->holdCount()}};
  if (!total.first_refusal.empty()) out["first_refusal"] = total.first_refusal;
  if (flags.json) {
    std::cout << out.dump(2) << "\n";
  } else {
    fmt::print("{} {} connections loaded active in {:.1f} s ({:.0f}/s), {} refused; {} holds\n",
               total.loaded, flags.kind, seconds, static_cast<double>(total.loaded) / seconds,
               total.refused, (*stack)->ledger->holdCount());
    if (!total.first_refusal.empty()) fmt::print("first refusal     {}\n", total.first_refusal);
  }
  return kExitOk;
}

// Where admin commands find the store, the network and the devices: a serve config, or just a
// data directory of the demo network with simulated devices.
struct AdminFlags {
  std::string data;   // empty: the config's, else ./lightpath-data
  std::string store;  // empty: the config's, else the data directory's SQLite file
  std::string config_file;
};

// The stack of an existing data directory, as it is: no workflow resumed.
Result<std::unique_ptr<Stack>> openExisting(const AdminFlags& flags) {
  ServeConfig config;
  if (!flags.config_file.empty()) LP_RETURN_IF_ERROR(readServeConfig(flags.config_file, config));
  if (!flags.data.empty()) config.stack.data_dir = flags.data;
  if (!flags.store.empty()) config.stack.store = flags.store;
  if (!storeExists(config.stack)) {
    return fail(
        notFound(fmt::format("{}: no Lightpath store here (lightpath.db)", config.stack.data_dir)));
  }
  config.stack.resume_workflows = false;
  // Repairs push encrypted connections' keys: the same master key as the service's.
  LP_ASSIGN_OR_RETURN(MasterKey master, loadServeMasterKey(config));
  config.stack.sealer = std::move(master.sealer);
  return buildStack(config.stack);
}

int runCheck(const AdminFlags& data) {
  auto stack = openExisting(data);
  if (!stack) {
    fmt::print(stderr, "error: {}\n", stack.error().message());
    return kExitRejected;
  }
  const auto violations = (*stack)->provisioner->check();
  if (violations.empty()) {
    fmt::print("ok: {} holds, {} devices, every invariant holds\n", (*stack)->ledger->holdCount(),
               (*stack)->fleet.all().size());
    return kExitOk;
  }
  for (const std::string& v : violations) fmt::print("violation: {}\n", v);
  return kExitRejected;
}

int runReconcile(const AdminFlags& data, bool repair) {
  auto stack = openExisting(data);
  if (!stack) {
    fmt::print(stderr, "error: {}\n", stack.error().message());
    return kExitRejected;
  }
  const auto report = (*stack)->provisioner->reconcile(repair);
  for (const std::string& line : report.drift) fmt::print("drift: {}\n", line);
  for (const std::string& node : report.repaired) fmt::print("repaired: {}\n", node);
  for (const std::string& line : report.failed) fmt::print("failed: {}\n", line);
  if (report.drift.empty() && report.failed.empty()) {
    fmt::print("ok: {} devices hold what the services need\n", (*stack)->fleet.all().size());
  }
  return report.clean(repair) ? kExitOk : kExitRejected;
}

}  // namespace

void addBenchCommand(CLI::App& app, int* exit_code) {
  static BenchFlags flags;
  CLI::App* bench = app.add_subcommand("bench", "benchmarks of the running stack");
  bench->require_subcommand(1);
  CLI::App* provision = bench->add_subcommand(
      "provision", "order and activate connections in-process (store, ledger, simulated devices)");
  provision
      ->add_option("--data", flags.data, "data directory (the store); runs add to what is there")
      ->capture_default_str();
  provision->add_option("--store", flags.store,
                        "sqlite:PATH or postgresql://... (default: SQLite in the data directory)");
  provision->add_flag("--sim-devices-local", flags.sim_devices_local,
                      "keep the simulated devices in the data directory even on a shared store "
                      "(measures the store alone)");
  provision->add_option("--topology", flags.topology, "network file (default: the demo network)");
  provision->add_option("--connections", flags.connections, "orders to place")
      ->capture_default_str();
  provision->add_option("--concurrency", flags.concurrency, "orders in flight")
      ->capture_default_str();
  provision->add_option("--kind", flags.kind, "ethernet, wavelength or mixed")
      ->capture_default_str();
  provision->add_option("--seed", flags.seed, "seed of the order mix")->capture_default_str();
  provision->add_option("--mbps", flags.mbps,
                        "Ethernet bandwidth per order (default 100-1000 at random)");
  provision->add_option("--wavelength-gbps", flags.wavelength_gbps,
                        "line rate of wavelength orders (100, 400, 800)");
  provision->add_option("--protection", flags.protection,
                        "none or 1+1 (default: either, at random)");
  provision->add_option("--ack-log", flags.ack_log,
                        "append each acknowledged connection id to this file");
  provision->add_flag("--json", flags.json, "print one JSON object");
  provision->callback([exit_code] { *exit_code = runBench(flags); });
  CLI::App* load = bench->add_subcommand(
      "load", "write N active connections fast, in batches (a large book for other benchmarks)");
  load->add_option("--data", flags.data, "data directory (the store); adds to what is there")
      ->capture_default_str();
  load->add_option("--store", flags.store,
                   "sqlite:PATH or postgresql://... (default: SQLite in the data directory)");
  load->add_option("--topology", flags.topology, "network file (default: the demo network)");
  load->add_option("--connections", flags.connections, "connections to write")
      ->capture_default_str();
  load->add_option("--kind", flags.kind, "ethernet, wavelength or mixed")->capture_default_str();
  load->add_option("--seed", flags.seed, "seed of the mix")->capture_default_str();
  load->add_option("--mbps", flags.mbps, "Ethernet bandwidth (default 100-1000 at random)");
  load->add_option("--wavelength-gbps", flags.wavelength_gbps,
                   "line rate of wavelengths (100, 400, 800)");
  load->add_option("--protection", flags.protection, "none or 1+1 (default: either, at random)");
  load->add_option("--tenant", flags.tenant, "the tenant owning them")->capture_default_str();
  load->add_option("--packet-gbps-per-fiber", flags.packet_gbps_per_fiber,
                   "Ethernet capacity of each fiber (serve's packet_gbps_per_fiber: the same)")
      ->capture_default_str();
  load->add_flag("--json", flags.json, "print one JSON object");
  load->callback([exit_code] { *exit_code = runLoad(flags); });
  addRestoreBench(bench, exit_code);
}

void addAdminCommand(CLI::App& app, int* exit_code) {
  static AdminFlags flags;
  CLI::App* admin = app.add_subcommand("admin", "operator tools");
  admin->require_subcommand(1);
  CLI::App* check =
      admin->add_subcommand("check", "verify every invariant of a store: exit 0 when all hold");
  CLI::App* reconcile = admin->add_subcommand(
      "reconcile", "compare every device with what the services need; exit 0 when they agree");
  for (CLI::App* command : {check, reconcile}) {
    command->add_option("--data", flags.data,
                        "data directory (default: the config's, else ./lightpath-data)");
    command->add_option("--store", flags.store,
                        "sqlite:PATH or postgresql://... (default: the config's, else SQLite in "
                        "the data directory)");
    command->add_option("--config", flags.config_file,
                        "the serve config (data, store, topology, devices, ...); flags win");
  }
  check->callback([exit_code] { *exit_code = runCheck(flags); });
  static bool repair = false;
  reconcile->add_flag("--repair", repair,
                      "put drifted devices right (then exit 0 when every repair worked)");
  reconcile->callback([exit_code] { *exit_code = runReconcile(flags, repair); });
  addFailureCommands(admin, exit_code);
}

}  // namespace lightpath::cli
