// Restoration against the optimum: on NSFNET (14 nodes, 21 fiber pairs) loaded with Ethernet
// connections to 30%, 50% and 70% of its packet capacity, every single fiber cut is answered by
// Lightpath's restoration (the what-if analysis, which is what a cut then does) and by an exact
// search: the most hit connections that can be carried at once over the surviving capacity,
// each on one of its 200 shortest surviving routes (branch and bound; a case whose search
// exceeds its budget is left out and counted).
//
//   restoration_optimum [--seed N] [--json]
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>

#include "lightpath/base/log.h"
#include "lightpath/io/demo_network.h"
#include "lightpath/orchestrator/provisioner.h"
#include "lightpath/sim/presets.h"
#include "lightpath/southbound/drivers/sim/sim_device.h"
#include "lightpath/store/sqlite/sqlite_store.h"

namespace lightpath {
namespace {

constexpr std::uint64_t kFiberMbps = 40'000;  // packet capacity per fiber: a few per link
constexpr int kCandidateRoutes = 200;
constexpr std::uint64_t kSearchBudget = 20'000'000;

// NSFNET with four 100G client ports at every node.
std::shared_ptr<const Topology> nsfnetWithPorts() {
  auto preset = presetSetup("deeprmsa-nsfnet");
  const Topology& t = *preset->first.topology;
  TopologyBuilder b;
  b.setName(t.name());
  for (const Site& s : t.sites()) b.addSite(s);
  for (const Node& n : t.nodes()) b.addNode(n);
  for (const Fiber& f : t.fibers()) b.addFiber(f);
  for (const Node& n : t.nodes()) {
    for (int i = 1; i <= 4; ++i) {
      b.addPort(
          {.id = fmt::format("{}-p{}", n.id, i), .site = n.site, .node = n.id, .speed = Gbps(100)});
    }
  }
  return std::make_shared<const Topology>(*std::move(b).build());
}

struct Demand {
  NodeIndex a, z;
  std::uint64_t mbps;
};

// The most of `demands` carried at once, each on one of its candidate routes, over `free`.
struct Search {
  const std::vector<std::vector<Path>>& routes;
  const std::vector<Demand>& demands;
  std::vector<std::int64_t> free;
  std::size_t best = 0;
  std::uint64_t nodes = 0;
  bool exhausted = false;

  void run(std::size_t i, std::size_t carried) {
    if (++nodes > kSearchBudget) {
      exhausted = true;
      return;
    }
    best = std::max(best, carried);
    if (i == demands.size() || carried + (demands.size() - i) <= best) return;
    const auto need = static_cast<std::int64_t>(demands[i].mbps);
    for (const Path& p : routes[i]) {
      if (!std::all_of(p.fibers.begin(), p.fibers.end(),
                       [&](FiberIndex f) { return free[f] >= need; }))
        continue;
      for (FiberIndex f : p.fibers) free[f] -= need;
      run(i + 1, carried + 1);
      for (FiberIndex f : p.fibers) free[f] += need;
      if (exhausted) return;
    }
    run(i + 1, carried);  // this one not carried
  }
};

struct Totals {
  std::size_t cases = 0, hit = 0, lightpath = 0, optimum = 0, left_out = 0, better = 0;
  std::size_t short_cases = 0;  // cases where Lightpath restored fewer than the optimum
  double utilization = 0;       // the load reached
};

Totals runLoad(const std::shared_ptr<const Topology>& topology, double load, std::uint64_t seed) {
  const std::string dir = (std::filesystem::temp_directory_path() /
                           fmt::format("lightpath-optimum-{}", std::random_device{}()))
                              .string();
  std::filesystem::create_directories(dir);
  PathEngine engine(topology);
  WavelengthPlanner planner(engine, *loadTransceiverCatalog(), defaultEquipment());
  ManualClock clock(TimePoint(std::chrono::seconds(1'800'000'000)));
  DeviceFleet fleet;
  for (const Node& n : topology->nodes()) fleet.add(n.id, std::make_shared<SimDevice>(n.id));
  auto store = std::move(*openSqliteStore(dir + "/lightpath.db"));
  Ledger ledger;
  PriceBook book = *defaultPriceBook();
  auto p = std::move(*Provisioner::create({.topology = topology,
                                           .engine = &engine,
                                           .planner = &planner,
                                           .ledger = &ledger,
                                           .store = store.get(),
                                           .fleet = &fleet,
                                           .clock = &clock,
                                           .seed = seed,
                                           .packet_mbps_per_fiber = kFiberMbps,
                                           .price_book = &book}));
  // Load: 5 or 10 Gb/s between random nodes until the mean fiber is `load` full.
  std::mt19937_64 random(seed);
  const Topology& t = *topology;
  std::map<std::string, Demand> demand_of;
  auto utilization = [&] {
    double sum = 0;
    for (FiberIndex f = 0; f < t.fibers().size(); ++f)
      sum += ledger.utilization({ResourceKind::LinkBandwidth, f}, clock.now());
    return sum / static_cast<double>(t.fibers().size());
  };
  for (int refused = 0; utilization() < load && refused < 200;) {
    const auto a = static_cast<NodeIndex>(random() % t.nodes().size());
    auto z = static_cast<NodeIndex>(random() % (t.nodes().size() - 1));
    z += z >= a;
    const std::uint64_t mbps = random() % 2 ? 5'000 : 10'000;
    ConnectionSpec spec{.kind = ConnectionKind::Ethernet,
                        .a_end = fmt::format("{}-p{}", t.node(a).id, 1 + random() % 4),
                        .z_end = fmt::format("{}-p{}", t.node(z).id, 1 + random() % 4),
                        .bandwidth_mbps = mbps};
    auto c = p->order("bench", spec, "bench");
    if (!c || !p->activate(c->id()).isOk()) {
      ++refused;
      continue;
    }
    demand_of[c->id()] = {a, z, mbps};
  }
  Totals totals;
  totals.utilization = utilization();
  PathWorkspace ws;
  for (FiberIndex cut = 0; cut < t.fibers().size(); ++cut) {
    auto effect = p->analyzeFailure({FailureTarget::Kind::Fiber, t.fiber(cut).id});
    if (!effect || effect->hit.empty()) continue;
    // The surviving capacity once every hit connection's capacity is given back.
    std::vector<std::int64_t> free(t.fibers().size());
    for (FiberIndex f = 0; f < t.fibers().size(); ++f)
      free[f] = f == cut ? 0
                         : static_cast<std::int64_t>(ledger.freeQuantity(
                               {ResourceKind::LinkBandwidth, f}, {clock.now(), TimePoint::max()}));
    std::vector<Demand> demands;
    std::vector<std::vector<Path>> routes;
    for (const std::string& id : effect->hit) {
      const Demand& d = demand_of.at(id);
      auto c = p->get(id);
      for (const std::string& fiber : c->current().fibers)
        free[*t.findFiber(fiber)] += static_cast<std::int64_t>(d.mbps);
      demands.push_back(d);
      PathRequest request{.from = d.a, .to = d.z, .metric = Metric::Latency};
      request.constraints.exclude_fibers = {cut};
      auto found = engine.kShortestPaths(request, kCandidateRoutes, ws);
      routes.push_back(found ? *found : std::vector<Path>{});
    }
    free[cut] = 0;
    Search search{routes, demands, free};
    search.best = 0;
    search.run(0, 0);
    ++totals.cases;
    if (search.exhausted) {
      ++totals.left_out;
      continue;
    }
    totals.hit += demands.size();
    totals.lightpath += effect->restored.size();
    totals.optimum += search.best;
    totals.better += effect->restored.size() > search.best;  // a route beyond the candidates
    totals.short_cases += effect->restored.size() < search.best;
  }
  p.reset();
  std::filesystem::remove_all(dir);
  return totals;
}

}  // namespace
}  // namespace lightpath

int main(int argc, char** argv) {
  using namespace lightpath;
  std::uint64_t seed = 1;
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--json") == 0) json = true;
    if (std::strcmp(argv[i], "--seed") == 0 && i + 1 < argc) seed = std::stoull(argv[++i]);
  }
  log().set_level(spdlog::level::err);
  const auto topology = nsfnetWithPorts();
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  if (!json) {
    fmt::print("{:>6} {:>8} {:>7} {:>6} {:>10} {:>8} {:>11} {:>10} {:>9} {:>9}\n", "load",
               "reached", "cases", "hit", "lightpath", "optimum", "share (lp)", "share (opt)",
               "short", "left out");
  }
  for (double load : {0.3, 0.5, 0.7}) {
    const Totals r = runLoad(topology, load, seed);
    const double lp = r.hit ? static_cast<double>(r.lightpath) / r.hit : 1;
    const double opt = r.hit ? static_cast<double>(r.optimum) / r.hit : 1;
    if (json) {
      out.push_back({{"load", load},
                     {"utilization", r.utilization},
                     {"short_cases", r.short_cases},
                     {"cases", r.cases},
                     {"hit", r.hit},
                     {"restored", r.lightpath},
                     {"optimum", r.optimum},
                     {"share", lp},
                     {"optimum_share", opt},
                     {"left_out", r.left_out},
                     {"beyond_candidates", r.better}});
    } else {
      fmt::print("{:>5.0f}% {:>7.1f}% {:>7} {:>6} {:>10} {:>8} {:>10.1f}% {:>10.1f}% {:>9} {:>9}\n",
                 100 * load, 100 * r.utilization, r.cases, r.hit, r.lightpath, r.optimum, 100 * lp,
                 100 * opt, r.short_cases, r.left_out);
    }
  }
  if (json) std::cout << out.dump(2) << "\n";
  return 0;
}
