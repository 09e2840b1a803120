// `lightpath simulate`.
#include "simulate_command.h"

#include <fmt/format.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "exit_codes.h"
#include "lightpath/io/topology_io.h"
#include "lightpath/sim/plot.h"
#include "lightpath/sim/presets.h"
#include "lightpath/sim/simulator.h"
#include "progress.h"

namespace lightpath::cli {
namespace {

struct SimulateFlags {
  std::string topology, preset, matrix, csv, plot;
  std::vector<std::string> policies{"ksp-ff"};
  std::vector<double> loads;
  // Unset flags keep the preset's value; set ones are passed on and validated by the simulator.
  std::optional<double> holding;
  std::optional<std::int64_t> slots, k, requests;
  std::uint64_t warmup = 0;
  int seeds = 1;
  std::vector<double> bitrates;
  std::string route_metric, route_order;
  bool bidirectional = false, json = false, warmup_set = false;
  // Fiber cuts (--failures): availability per policy beside blocking.
  bool failures = false, no_restore = false;
  double cuts_per_1000km_year = 2, repair_hours = 12, holding_hours = 730;
};

Result<std::vector<double>> readMatrix(const std::string& path, std::size_t nodes) {
  LP_ASSIGN_OR_RETURN(auto text, readFileText(path, 16u << 20));
  std::vector<double> values;
  std::istringstream lines(text);
  std::string line;
  std::size_t row = 0;
  while (std::getline(lines, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    ++row;
    std::istringstream cells(line);
    std::string cell;
    std::size_t column = 0;
    while (std::getline(cells, cell, ',')) {
      ++column;
      try {
        std::size_t used = 0;
        double v = std::stod(cell, &used);
        if (cell.find_first_not_of(" \t\r", used) != std::string::npos || !(v >= 0))
          throw std::invalid_argument("x");
        values.push_back(v);
      } catch (const std::exception&) {
        return fail(invalidArgument(fmt::format(
            "{}:{}: column {}: '{}' is not a non-negative number", path, row, column, cell)));
      }
    }
    if (column != nodes) {
      return fail(invalidArgument(
          fmt::format("{}:{}: {} columns; the network has {} nodes", path, row, column, nodes)));
    }
  }
  if (row != nodes) {
    return fail(
        invalidArgument(fmt::format("{}: {} rows; the network has {} nodes", path, row, nodes)));
  }
  return values;
}

Result<std::pair<SimulationSetup, double>> makeSetup(const SimulateFlags& flags) {
  std::pair<SimulationSetup, double> result;
  if (!flags.preset.empty()) {
    LP_ASSIGN_OR_RETURN(auto preset, presetSetup(flags.preset));
    result = std::move(preset);
  } else {
    result.first.name = "custom";
    result.first.traffic.bitrates_gbps = deepRmsaBitrates();
    result.second = 250;
  }
  SimulationSetup& setup = result.first;
  if (!flags.topology.empty()) {
    LP_ASSIGN_OR_RETURN(auto t, readTopologyFile(flags.topology));
    setup.topology = std::make_shared<const Topology>(std::move(t));
  }
  if (!setup.topology) return fail(invalidArgument("give --topology FILE or --preset NAME"));
  auto inRange = [](std::int64_t v, std::int64_t low, std::int64_t high,
                    const char* flag) -> Status {
    if (v < low || v > high)
      return invalidArgument(fmt::format("{} must be {} to {}, got {}", flag, low, high, v));
    return Status::ok();
  };
  if (flags.holding) setup.traffic.mean_holding = *flags.holding;
  if (flags.slots) {
    LP_RETURN_IF_ERROR(inRange(*flags.slots, 1, kMaxSlots, "--slots"));
    setup.slots = static_cast<std::uint32_t>(*flags.slots);
  }
  if (flags.k) {
    LP_RETURN_IF_ERROR(inRange(*flags.k, 1, 100, "--k"));
    setup.k = static_cast<int>(*flags.k);
  }
  if (flags.requests) {
    LP_RETURN_IF_ERROR(inRange(*flags.requests, 10, 1'000'000'000'000, "--requests"));
    setup.requests = static_cast<std::uint64_t>(*flags.requests);
  }
  if (flags.warmup_set) setup.warmup = flags.warmup;
  if (!flags.bitrates.empty()) setup.traffic.bitrates_gbps = flags.bitrates;
  if (flags.bidirectional) setup.bidirectional = true;
  if (!flags.route_metric.empty()) {
    LP_ASSIGN_OR_RETURN(auto m, parseMetric(flags.route_metric));
    setup.route_metric = m;
  }
  if (flags.route_order == "length")
    setup.route_order = RouteOrder::Length;
  else if (flags.route_order == "resources")
    setup.route_order = RouteOrder::Resources;
  else if (!flags.route_order.empty())
    return fail(invalidArgument("--route-order must be length or resources"));
  if (!flags.matrix.empty()) {
    LP_ASSIGN_OR_RETURN(auto m, readMatrix(flags.matrix, setup.topology->nodes().size()));
    setup.traffic.pair_weights = std::move(m);
  }
  if (flags.failures) {
    if (!(flags.cuts_per_1000km_year > 0) || !(flags.repair_hours > 0) ||
        !(flags.holding_hours > 0)) {
      return fail(invalidArgument(
          "--cuts-per-1000km-year, --repair-hours and --holding-hours must be positive"));
    }
    setup.failures = {.cuts_per_1000km_year = flags.cuts_per_1000km_year,
                      .repair_hours = flags.repair_hours,
                      .holding_hours = flags.holding_hours,
                      .restore = !flags.no_restore};
  }
  return result;
}

int run(const SimulateFlags& flags) {
  auto made = makeSetup(flags);
  if (!made) {
    fmt::print(stderr, "error: {}\n", made.error().message());
    return kExitRejected;
  }
  std::vector<RsaPolicy> policies;
  for (const std::string& name : flags.policies) {
    auto p = parseRsaPolicy(name);
    if (!p) {
      fmt::print(stderr, "error: {}\n", p.error().message());
      return kExitUsage;
    }
    policies.push_back(*p);
  }
  const std::vector<double> loads =
      flags.loads.empty() ? std::vector<double>{made->second} : flags.loads;
  for (double load : loads) {
    if (!(load > 0)) {
      fmt::print(stderr, "error: loads must be positive, got {}\n", load);
      return kExitUsage;
    }
  }
  if (flags.seeds < 1 || flags.seeds > 1000) {
    fmt::print(stderr, "error: --seeds must be 1 to 1000\n");
    return kExitUsage;
  }
  auto simulator = Simulator::create(made->first);
  if (!simulator) {
    fmt::print(stderr, "error: {}\n", simulator.error().message());
    return kExitRejected;
  }
  const SimulationSetup& setup = (*simulator)->setup();
  const ProgressBar progress("runs", !flags.json);
  const std::size_t total_runs = policies.size() * loads.size() * flags.seeds;
  std::size_t done = 0;

  std::ofstream csv;
  if (!flags.csv.empty()) {
    csv.open(flags.csv);
    if (!csv) {
      fmt::print(stderr, "error: {}: cannot write\n", flags.csv);
      return kExitRejected;
    }
    csv << "policy,load,seeds,requests,blocking,ci95,bitrate_blocking,utilization,fragmentation,"
           "requests_per_second"
        << (flags.failures ? ",availability,availability_unrestored,cuts,hit,restored" : "")
        << "\n";
  }
  if (!flags.json) {
    fmt::print("{} | {} nodes, {} slots, k={}, {} requests after {} warm-up, {} seed{}\n",
               setup.name, setup.topology->nodes().size(), setup.slots, setup.k, setup.requests,
               setup.warmup, flags.seeds, flags.seeds == 1 ? "" : "s");
    if (flags.failures) {
      fmt::print(
          "fiber cuts: {:g} per 1,000 km a year, repaired in {:g} h on average; demands "
          "held {:g} h on average; {}\n",
          flags.cuts_per_1000km_year, flags.repair_hours, flags.holding_hours,
          flags.no_restore ? "no restoration" : "restored on another of their k routes");
    }
    fmt::print("{:<10} {:>8} {:>10} {:>9} {:>10} {:>8} {:>8} {:>12}{}\n", "policy", "load",
               "blocking", "+-95%", "bit-rate", "util", "frag", "requests/s",
               flags.failures ? fmt::format(" {:>10} {:>12} {:>6} {:>7} {:>9}", "avail",
                                            "unrestored", "cuts", "hit", "restored")
                              : "");
  }
  std::vector<PlotSeries> series;
  for (RsaPolicy policy : policies) {
    PlotSeries line{std::string(toString(policy)), {}};
    for (double load : loads) {
      std::vector<RunResult> runs;
      for (int seed = 1; seed <= flags.seeds; ++seed) {
        runs.push_back((*simulator)->run(policy, load, static_cast<std::uint64_t>(seed)));
        progress.show(++done, total_runs);
      }
      progress.clear();
      const Estimate blocking = blockingEstimate(runs);
      double bitrate = 0, utilization = 0, frag = 0, seconds = 0, arrivals = 0;
      std::uint64_t requests = 0;
      for (const RunResult& r : runs) {
        bitrate += r.bitrate_blocking / runs.size();
        utilization += r.utilization / runs.size();
        frag += r.fragmentation / runs.size();
        seconds += r.seconds;
        requests += r.requests;
        arrivals += static_cast<double>(r.requests + setup.warmup);
      }
      const double rate = seconds > 0 ? arrivals / seconds : 0;
      double availability = 0, unrestored = 0;
      std::uint64_t cuts = 0, hit = 0, restored = 0;
      for (const RunResult& r : runs) {
        availability += r.availability / runs.size();
        unrestored += r.availability_unrestored / runs.size();
        cuts += r.cuts;
        hit += r.hit;
        restored += r.restored;
      }
      line.points.push_back({load, blocking.mean, blocking.ci95});
      if (flags.json) {
        nlohmann::ordered_json j{{"policy", toString(policy)},  {"load", load},
                                 {"seeds", flags.seeds},        {"requests", requests},
                                 {"blocking", blocking.mean},   {"ci95", blocking.ci95},
                                 {"bitrate_blocking", bitrate}, {"utilization", utilization},
                                 {"fragmentation", frag},       {"requests_per_second", rate}};
        if (flags.failures) {
          j["availability"] = availability;
          j["availability_unrestored"] = unrestored;
          j["cuts"] = cuts;
          j["hit"] = hit;
          j["restored"] = restored;
        }
        std::cout << j.dump() << "\n";
      } else {
        fmt::print(
            "{:<10} {:>8g} {:>10.5f} {:>9.5f} {:>10.5f} {:>8.3f} {:>8.3f} {:>12.0f}{}\n",
            toString(policy), load, blocking.mean, blocking.ci95, bitrate, utilization, frag, rate,
            flags.failures ? fmt::format(" {:>9.5f}% {:>11.5f}% {:>6} {:>7} {:>9}",
                                         100 * availability, 100 * unrestored, cuts, hit, restored)
                           : "");
      }
      if (csv) {
        csv << fmt::format("{},{},{},{},{},{},{},{},{},{}", toString(policy), load, flags.seeds,
                           requests, blocking.mean, blocking.ci95, bitrate, utilization, frag, rate)
            << (flags.failures
                    ? fmt::format(",{},{},{},{},{}", availability, unrestored, cuts, hit, restored)
                    : "")
            << "\n";
      }
    }
    series.push_back(std::move(line));
  }
  if (!flags.plot.empty()) {
    std::ofstream out(flags.plot);
    out << blockingPlotSvg(fmt::format("{}: blocking vs load", setup.name), series);
    if (!out) {
      fmt::print(stderr, "error: {}: cannot write\n", flags.plot);
      return kExitRejected;
    }
  }
  return kExitOk;
}

}  // namespace

void addSimulateCommand(CLI::App& app, int* exit_code) {
  static SimulateFlags flags;
  CLI::App* simulate = app.add_subcommand(
      "simulate", "dynamic RSA simulation: blocking vs load for spectrum assignment policies");
  simulate->add_option("--topology", flags.topology, "network file");
  std::string presets;
  for (const Preset& p : simulationPresets())
    presets += fmt::format("\n  {}: {}", p.name, p.description);
  simulate->add_option("--preset", flags.preset, "a published setting:" + presets);
  simulate
      ->add_option("--policy", flags.policies,
                   "first-fit, random, most-used, best-fit, exact-fit, ksp-ff, ff-ksp, ksp-lc")
      ->delimiter(',')
      ->capture_default_str();
  simulate->add_option("--load", flags.loads, "offered load(s) in Erlang")->delimiter(',');
  simulate->add_option("--holding", flags.holding, "mean holding time");
  simulate->add_option("--slots", flags.slots, "spectrum slots per link");
  simulate->add_option("--k", flags.k, "candidate routes per pair");
  simulate->add_option("--requests", flags.requests, "requests counted per run");
  simulate->add_option("--warmup", flags.warmup, "requests before counting")
      ->each([](const std::string&) { flags.warmup_set = true; });
  simulate->add_option("--seeds", flags.seeds, "independent runs per point")->capture_default_str();
  simulate->add_option("--bitrates", flags.bitrates, "demand bit rates in Gb/s, drawn uniformly")
      ->delimiter(',');
  simulate->add_option("--route-metric", flags.route_metric, "km or hops");
  simulate->add_option("--route-order", flags.route_order, "length or resources");
  simulate->add_flag("--bidirectional", flags.bidirectional,
                     "one spectrum per fiber pair, not per direction");
  simulate->add_option("--matrix", flags.matrix, "traffic matrix CSV (N x N relative weights)");
  simulate->add_flag("--failures", flags.failures,
                     "cut fibers at random and report availability per policy beside blocking");
  simulate
      ->add_option("--cuts-per-1000km-year", flags.cuts_per_1000km_year,
                   "with --failures: cuts per 1,000 km of fiber a year")
      ->capture_default_str();
  simulate->add_option("--repair-hours", flags.repair_hours, "with --failures: mean time to repair")
      ->capture_default_str();
  simulate
      ->add_option("--holding-hours", flags.holding_hours,
                   "with --failures: the demands' mean holding time in hours (sets the clock)")
      ->capture_default_str();
  simulate->add_flag("--no-restore", flags.no_restore,
                     "with --failures: demands on a cut wait for the repair");
  simulate->add_flag("--json", flags.json, "one JSON object per (policy, load)");
  simulate->add_option("--csv", flags.csv, "also write the results as CSV");
  simulate->add_option("--plot", flags.plot, "draw blocking vs load to an SVG file");
  simulate->callback([exit_code] { *exit_code = run(flags); });
}

}  // namespace lightpath::cli
