// `lightpath bench restore`: live connections on a network, the shared-risk group whose cut
// hits the most of them cut, and how long until every one was switched, restored or known
// unrestorable (store, ledger and devices all committed).
#include "restore_bench.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <set>
#include <thread>

#include "exit_codes.h"
#include "lightpath/base/random.h"
#include "lightpath/server/stack.h"

namespace lightpath::cli {
namespace {

using SteadyClock = std::chrono::steady_clock;

struct RestoreFlags {
  std::string data, topology;
  int connections = 3000;
  int cycles = 1;  // cut and repair this many times; times are medians
  std::uint64_t seed = 1;
  bool json = false;
};

double msSince(SteadyClock::time_point t0) {
  return std::chrono::duration<double, std::milli>(SteadyClock::now() - t0).count();
}

// Orders and activates `n` Ethernet connections between random client ports, every third 1+1;
// returns the live ones.
std::vector<Connection> load(Stack& stack, int n, std::uint64_t seed) {
  std::vector<const Port*> ports;
  for (const Port& p : stack.topology->ports()) ports.push_back(&p);
  std::mutex mutex;
  std::vector<Connection> live;
  std::atomic<int> next{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&, w] {
      Random random(seed * 7919 + static_cast<std::uint64_t>(w));
      for (int i = next++; i < n; i = next++) {
        const Port* a = ports[random.below(static_cast<std::uint32_t>(ports.size()))];
        const Port* z = a;
        while (z->site == a->site)
          z = ports[random.below(static_cast<std::uint32_t>(ports.size()))];
        ConnectionSpec spec{.kind = ConnectionKind::Ethernet,
                            .a_end = a->id,
                            .z_end = z->id,
                            .bandwidth_mbps = std::uint64_t{100} * (1 + random.below(10)),
                            .protection = i % 3 == 0 ? Protection::OnePlusOne : Protection::None};
        if (i % 5 == 0) spec.sla = "gold";
        auto c = stack.provisioner->order("bench", spec, "bench");
        if (!c || !stack.provisioner->activate(c->id()).isOk()) continue;
        auto active = stack.provisioner->get(c->id());
        std::lock_guard lock(mutex);
        if (active) live.push_back(std::move(*active));
      }
    });
  }
  for (auto& w : workers) w.join();
  return live;
}

// The shared-risk group (or, in a network without any, the fiber) on the most routes.
std::pair<FailureTarget, std::size_t> worstTarget(const Topology& t,
                                                  const std::vector<Connection>& live) {
  std::map<std::string, std::size_t> by_srlg, by_fiber;
  for (const Connection& c : live) {
    std::set<std::string> srlgs, fibers;
    for (const auto* leg : {&c.current().fibers, &c.current().protection_fibers}) {
      for (const std::string& id : *leg) {
        fibers.insert(id);
        if (auto f = t.findFiber(id))
          srlgs.insert(t.fiber(*f).srlgs.begin(), t.fiber(*f).srlgs.end());
      }
    }
    for (const std::string& s : srlgs) ++by_srlg[s];
    for (const std::string& f : fibers) ++by_fiber[f];
  }
  const bool srlg = !by_srlg.empty();
  const auto& counts = srlg ? by_srlg : by_fiber;
  std::pair<FailureTarget, std::size_t> best{{}, 0};
  for (const auto& [id, n] : counts) {
    if (n > best.second)
      best = {{srlg ? FailureTarget::Kind::Srlg : FailureTarget::Kind::Fiber, id}, n};
  }
  return best;
}

int runRestoreBench(const RestoreFlags& flags) {
  if (flags.connections < 1 || flags.cycles < 1) {
    fmt::print(stderr, "error: --connections and --cycles must be >= 1\n");
    return kExitUsage;
  }
  std::string data = flags.data;
  const bool scratch = data.empty();
  if (scratch) {
    data = (std::filesystem::temp_directory_path() /
            fmt::format("lightpath-restore-{}", std::random_device{}()))
               .string();
  }
  int code = kExitOk;
  {
    auto stack = buildStack({.data_dir = data, .topology_file = flags.topology});
    if (!stack) {
      fmt::print(stderr, "error: {}\n", stack.error().message());
      return kExitRejected;
    }
    const auto loading = SteadyClock::now();
    const std::vector<Connection> live = load(**stack, flags.connections, flags.seed);
    const double load_s = msSince(loading) / 1000;
    const auto [target, on_it] = worstTarget(*(*stack)->topology, live);
    if (on_it == 0) {
      fmt::print(stderr, "error: no connection could be placed\n");
      return kExitRejected;
    }
    // The first cycle's answer is reported; times are medians over the cycles (after a repair
    // the connections stay where they went, so later cuts hit a different set).
    std::vector<double> what_if_times, last_times, repair_times;
    std::optional<FailureRecord> failure;
    std::optional<FailureRecord> repaired;
    bool matches = true;
    std::vector<std::string> violations;
    for (int cycle = 0; cycle < flags.cycles; ++cycle) {
      auto t0 = SteadyClock::now();
      auto what_if = (*stack)->provisioner->analyzeFailure(target);
      what_if_times.push_back(msSince(t0));
      t0 = SteadyClock::now();
      auto cut = (*stack)->provisioner->recordFailure(target, "bench restore", "bench");
      last_times.push_back(msSince(t0));
      if (!cut || !what_if) {
        fmt::print(stderr, "error: {}\n", (cut ? what_if.error() : cut.error()).message());
        return kExitRejected;
      }
      matches = matches && *what_if == cut->effect;
      for (std::string& v : (*stack)->provisioner->check()) violations.push_back(std::move(v));
      t0 = SteadyClock::now();
      auto repair = (*stack)->provisioner->repairFailure(cut->id, "bench");
      repair_times.push_back(msSince(t0));
      if (!repair) {
        fmt::print(stderr, "error: {}\n", repair.error().message());
        return kExitRejected;
      }
      if (!failure) {
        failure = *cut;
        repaired = *repair;
      }
    }
    auto median = [](std::vector<double> v) {
      std::sort(v.begin(), v.end());
      return v[v.size() / 2];
    };
    const double what_if_ms = median(what_if_times), last_ms = median(last_times),
                 repair_ms = median(repair_times);
    const FailureEffect& e = failure->effect;
    nlohmann::ordered_json out{
        {"connections", live.size()},
        {"cut", fmt::format("{} {}", toString(target.kind), target.id)},
        {"services_hit", e.hit.size()},
        {"switched", e.switched.size()},
        {"restored", e.restored.size()},
        {"unrestorable", e.unrestorable.size()},
        // One pass commits every outcome together: the first is committed with the last.
        {"first_ms", last_ms},
        {"last_ms", last_ms},
        {"what_if_ms", what_if_ms},
        {"what_if_matches", matches},
        {"cycles", flags.cycles},
        {"repair_ms", repair_ms},
        {"reprotected", repaired ? repaired->repair_effect.reprotected.size() : 0},
        {"invariants_hold", violations.empty()},
        {"load_seconds", load_s}};
    if (flags.json) {
      std::cout << out.dump(2) << "\n";
    } else {
      fmt::print("{} live connections; cut {}: {} hit\n", live.size(),
                 out["cut"].get<std::string>(), e.hit.size());
      fmt::print("switched {}, restored {}, unrestorable {} in {:.1f} ms (what-if {:.1f} ms, {})\n",
                 e.switched.size(), e.restored.size(), e.unrestorable.size(), last_ms, what_if_ms,
                 matches ? "the same answer" : "A DIFFERENT ANSWER");
      fmt::print("repair {:.1f} ms; invariants {}\n", repair_ms,
                 violations.empty() ? "hold" : violations.front());
    }
    if (!violations.empty() || !matches) code = kExitRejected;
  }
  if (scratch) std::filesystem::remove_all(data);
  return code;
}

}  // namespace

void addRestoreBench(CLI::App* bench, int* exit_code) {
  static RestoreFlags flags;
  CLI::App* restore = bench->add_subcommand(
      "restore", "cut the shared-risk group under the most live connections and time the answer");
  restore->add_option("--data", flags.data, "data directory (default: a scratch one, removed)");
  restore->add_option("--topology", flags.topology, "network file (default: the demo network)");
  restore->add_option("--connections", flags.connections, "connections to load first")
      ->capture_default_str();
  restore->add_option("--seed", flags.seed, "seed of the connection mix")->capture_default_str();
  restore->add_option("--cycles", flags.cycles, "cut and repair this many times (medians)")
      ->capture_default_str();
  restore->add_flag("--json", flags.json, "print one JSON object");
  restore->callback([exit_code] { *exit_code = runRestoreBench(flags); });
}

}  // namespace lightpath::cli
