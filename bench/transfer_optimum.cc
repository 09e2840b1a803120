// Bulk transfers against the optimum: generated workloads (transfers arriving over two days,
// each a few hours to a day long) on the demo network's data centers and on SNDlib networks
// (pairs drawn by their demand matrices), planned by Lightpath's admission (in order of arrival,
// k = 4 routes, spread evenly), by a greedy baseline (earliest deadline first, each on its single
// shortest route, as soon as possible) and bounded by the LP relaxation of the same
// time-expanded problem (GLPK: the same routes and slots, every transfer admissible in part).
//
//   transfer_optimum [--seed N] [--link-gbps G] [--slot-minutes M] [--write DIR] [--json] [--no-lp]
//
// --write DIR leaves each workload as DIR/<network>-<n>.json, the input of
// `lightpath transfers plan --workload`. --no-lp: the LP column is the offered volume (for trying a
// planner change quickly).
#include <fmt/format.h>
#include <glpk.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "lightpath/io/demo_network.h"
#include "lightpath/io/topology_io.h"
#include "lightpath/service/connection_json.h"
#include "lightpath/transfer/workload.h"

namespace lightpath {
namespace {

constexpr TimePoint kStart{std::chrono::seconds(1'800'000'000)};  // 2027-01-15T08:00:00Z

struct Pair {
  std::string a, z;
  double weight = 1;
};

// SNDlib's DEMANDS section: "<name> ( <a> <z> ) <routing unit> <value> <max path cost>".
std::vector<Pair> sndlibDemands(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::vector<Pair> pairs;
  bool inside = false;
  while (std::getline(in, line)) {
    if (line.rfind("DEMANDS (", 0) == 0) {
      inside = true;
      continue;
    }
    if (!inside) continue;
    if (line.rfind(')', 0) == 0) break;
    std::istringstream words(line);
    std::string name, open, a, z, close;
    double unit = 0, value = 0;
    if (words >> name >> open >> a >> z >> close >> unit >> value && value > 0)
      pairs.push_back({a, z, value});
  }
  return pairs;
}

// `count` transfers arriving over two days in order of their earliest start; each lasts 2 to
// 24 hours and asks on average 5% to 50% of a link's rate over its window.
std::vector<TransferOrder> generate(const std::vector<Pair>& pairs, int count, double link_gbps,
                                    unsigned seed) {
  std::mt19937_64 random(seed);
  std::vector<double> weights;
  for (const Pair& p : pairs) weights.push_back(p.weight);
  std::discrete_distribution<std::size_t> pick(weights.begin(), weights.end());
  std::uniform_int_distribution<int> arrival(0, 48 * 12 - 1);  // 5-minute steps
  std::uniform_int_distribution<int> length(2 * 12, 24 * 12);
  std::uniform_real_distribution<double> share(0.05, 0.5);
  std::vector<int> arrivals(count);
  for (int& a : arrivals) a = arrival(random);
  std::sort(arrivals.begin(), arrivals.end());
  std::vector<TransferOrder> orders;
  for (int i = 0; i < count; ++i) {
    const Pair& p = pairs[pick(random)];
    const bool reverse = random() % 2 == 1;
    TransferOrder o;
    o.id = fmt::format("t{:04}", i);
    o.a = reverse ? p.z : p.a;
    o.z = reverse ? p.a : p.z;
    const int steps = length(random);
    o.earliest = kStart + std::chrono::minutes(5 * arrivals[i]);
    o.deadline = o.earliest + std::chrono::minutes(5 * steps);
    const double gigabits = share(random) * link_gbps * 300.0 * steps;
    o.bytes = std::round(gigabits * 1e9 / 8 / 1e9) * 1e9;  // whole gigabytes
    orders.push_back(std::move(o));
  }
  return orders;
}

nlohmann::json workloadFile(const std::vector<TransferOrder>& orders) {
  nlohmann::json out = nlohmann::json::array();
  for (const TransferOrder& o : orders) {
    out.push_back({{"id", o.id},
                   {"a", o.a},
                   {"z", o.z},
                   {"bytes", o.bytes},
                   {"earliest", formatTime(o.earliest)},
                   {"deadline", formatTime(o.deadline)}});
  }
  return out;
}

// The LP relaxation: max sum v_i subject to each transfer's rates over its routes and slots
// carrying v_i, at most its size (admitted in part), and every (fiber direction, slot) within
// the link rate. Units (chosen so that the coefficients are near 1): Gb/s and Tb. Returns the
// bound in bytes and the solver's seconds.
std::pair<double, double> lpBound(const WorkloadProblem& problem) {
  const auto started = std::chrono::steady_clock::now();
  glp_term_out(GLP_OFF);
  glp_prob* lp = glp_create_prob();
  glp_set_obj_dir(lp, GLP_MAX);
  const double dt = problem.grid.slotSeconds();
  const double link_gbps = static_cast<double>(problem.link_mbps) / 1000;
  // Columns first; a (fiber direction, slot) row only where two or more columns meet (one
  // alone is its column's upper bound), which keeps the LP small enough for the solver.
  std::vector<int> ia{0}, ja{0};
  std::vector<double> ar{0};
  std::map<std::size_t, std::vector<int>> cell_columns;  // resource * slots + slot -> columns
  for (std::size_t i = 0; i < problem.orders.size(); ++i) {
    const TransferDemand& d = problem.demands[i];
    if (d.routes.empty()) continue;
    const int carried = glp_add_cols(lp, 1);  // v_i, Tb
    glp_set_col_bnds(lp, carried, GLP_DB, 0, d.megabits / 1e6);
    glp_set_obj_coef(lp, carried, 1);
    const int balance = glp_add_rows(lp, 1);  // sum x dt / 1000 - v_i = 0
    glp_set_row_bnds(lp, balance, GLP_FX, 0, 0);
    ia.push_back(balance), ja.push_back(carried), ar.push_back(-1);
    for (const auto& route : d.routes) {
      for (int s = d.first_slot; s < d.end_slot; ++s) {
        const int x = glp_add_cols(lp, 1);
        glp_set_col_bnds(lp, x, GLP_DB, 0, link_gbps);
        ia.push_back(balance), ja.push_back(x), ar.push_back(dt / 1000);
        for (std::uint32_t r : route) cell_columns[r * problem.grid.slots + s].push_back(x);
      }
    }
  }
  for (const auto& [cell, columns] : cell_columns) {
    if (columns.size() < 2) continue;
    const int row = glp_add_rows(lp, 1);
    glp_set_row_bnds(lp, row, GLP_UP, 0, link_gbps);
    for (int x : columns) ia.push_back(row), ja.push_back(x), ar.push_back(1);
  }
  glp_load_matrix(lp, static_cast<int>(ia.size()) - 1, ia.data(), ja.data(), ar.data());
  glp_smcp options;
  glp_init_smcp(&options);
  options.msg_lev = GLP_MSG_OFF;
  options.presolve = GLP_ON;
  // The interior-point method is fast here; where it stops short of an optimum, the simplex
  // (slower, sure) answers.
  double bound = -1;
  glp_iptcp interior;
  glp_init_iptcp(&interior);
  interior.msg_lev = GLP_MSG_OFF;
  if (glp_interior(lp, &interior) == 0 && glp_ipt_status(lp) == GLP_OPT) {
    bound = glp_ipt_obj_val(lp) * 1e12 / 8;
  } else if (glp_simplex(lp, &options) == 0 && glp_get_status(lp) == GLP_OPT) {
    bound = glp_get_obj_val(lp) * 1e12 / 8;
  }
  glp_delete_prob(lp);
  return {bound, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()};
}

struct Network {
  std::string name;
  std::shared_ptr<const Topology> topology;
  std::vector<Pair> pairs;
  std::vector<int> counts;
};

int run(int argc, char** argv) {
  unsigned seed = 1;
  double link_gbps = 400;
  std::string write;
  bool json = false, lp = true;
  int slot_minutes = 30;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--seed") && i + 1 < argc)
      seed = static_cast<unsigned>(std::atoi(argv[++i]));
    else if (!std::strcmp(argv[i], "--link-gbps") && i + 1 < argc)
      link_gbps = std::atof(argv[++i]);
    else if (!std::strcmp(argv[i], "--write") && i + 1 < argc)
      write = argv[++i];
    else if (!std::strcmp(argv[i], "--no-lp"))  // trying a planner change: the LP takes minutes
      lp = false;
    else if (!std::strcmp(argv[i], "--json"))
      json = true;
    else if (!std::strcmp(argv[i], "--slot-minutes") && i + 1 < argc)
      slot_minutes = std::atoi(argv[++i]);
    else {
      fmt::print(stderr,
                 "usage: transfer_optimum [--seed N] [--link-gbps G] [--slot-minutes M] [--write "
                 "DIR] [--json] [--no-lp]\n");
      return 2;
    }
  }
  std::vector<Network> networks;
  {
    Network demo{"demo (CORONET + 13 DCs)",
                 std::make_shared<const Topology>(*loadDemoNetwork()),
                 {},
                 {50, 100, 150, 200}};
    std::vector<std::string> dcs;
    for (const Site& s : demo.topology->sites()) {
      if (s.id.rfind("dc-", 0) == 0) dcs.push_back(s.id);
    }
    for (const auto& a : dcs) {
      for (const auto& z : dcs) {
        if (a < z) demo.pairs.push_back({a, z, 1});
      }
    }
    networks.push_back(std::move(demo));
  }
  // Sizes from light load to overload on each network (the bigger the network, the more it takes).
  const std::vector<std::pair<const char*, std::vector<int>>> sndlib = {
      {"nobel-us", {100, 200, 300}}, {"janos-us", {200, 400}}, {"germany50", {400}}};
  for (const auto& [name, counts] : sndlib) {
    const std::string path = fmt::format("{}/topologies/sndlib/{}.txt", LIGHTPATH_TEST_DATA, name);
    auto topology = readTopologyFile(path);
    if (!topology) {
      fmt::print(stderr, "{}: {}\n", path, topology.error().message());
      return 1;
    }
    networks.push_back({name, std::make_shared<const Topology>(std::move(*topology)),
                        sndlibDemands(path), counts});
  }
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  if (!json) {
    fmt::print("link {:g} Gb/s per fiber direction, {}-minute slots, k = 4, seed {}\n\n", link_gbps,
               slot_minutes, seed);
    fmt::print(
        "| network | transfers | offered PB | LP bound PB | Lightpath PB | (as soon as possible) | "
        "greedy EDF PB | Lightpath / LP | Lightpath / greedy | admission mean ms | LP s |\n");
    fmt::print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  }
  for (const Network& net : networks) {
    const PathEngine engine(net.topology);
    for (int count : net.counts) {
      auto orders = generate(net.pairs, count, link_gbps, seed);
      if (!write.empty()) {
        std::string file = net.name.substr(0, net.name.find(' '));
        std::ofstream(fmt::format("{}/{}-{}.json", write, file, count))
            << workloadFile(orders).dump(1) << "\n";
      }
      auto problem =
          buildWorkloadProblem(engine, orders,
                               {.link_mbps = static_cast<std::uint64_t>(link_gbps * 1000),
                                .slot = std::chrono::seconds(60 * slot_minutes)});
      if (!problem) {
        fmt::print(stderr, "{}: {}\n", net.name, problem.error().message());
        return 1;
      }
      const WorkloadOutcome ours = planInArrivalOrder(*problem);
      const WorkloadOutcome soonest = planInArrivalOrder(*problem, TransferFill::Earliest);
      const WorkloadOutcome greedy = planEarliestDeadlineFirst(*problem);
      const auto [bound, lp_seconds] =
          lp ? lpBound(*problem) : std::pair<double, double>{offeredBytes(*problem), 0};
      const double soonest_bytes = admittedBytes(*problem, soonest);
      const double offered = offeredBytes(*problem), mine = admittedBytes(*problem, ours),
                   theirs = admittedBytes(*problem, greedy);
      const double per_transfer_ms = ours.elapsed_ms / count;
      nlohmann::ordered_json row{{"network", net.name},
                                 {"transfers", count},
                                 {"offered_bytes", offered},
                                 {"lp_bound_bytes", bound},
                                 {"lightpath_bytes", mine},
                                 {"lightpath_earliest_bytes", soonest_bytes},
                                 {"greedy_bytes", theirs},
                                 {"lightpath_over_lp", mine / bound},
                                 {"lightpath_over_greedy", mine / theirs},
                                 {"admission_mean_ms", per_transfer_ms},
                                 {"lp_seconds", lp_seconds}};
      rows.push_back(row);
      if (!json) {
        fmt::print(
            "| {} | {} | {:.2f} | {:.2f} | {:.2f} | {:.2f} | {:.2f} | {:.1f}% | {:+.1f}% | {:.3f} "
            "| {:.1f} |\n",
            net.name, count, offered / 1e15, bound / 1e15, mine / 1e15, soonest_bytes / 1e15,
            theirs / 1e15, 100 * mine / bound, 100 * (mine / theirs - 1), per_transfer_ms,
            lp_seconds);
        std::fflush(stdout);
      }
    }
  }
  if (json) std::cout << rows.dump(1) << "\n";
  return 0;
}

}  // namespace
}  // namespace lightpath

int main(int argc, char** argv) { return lightpath::run(argc, argv); }
