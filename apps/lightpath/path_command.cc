// `lightpath path`.
#include "path_command.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "exit_codes.h"
#include "lightpath/io/demo_network.h"
#include "lightpath/io/topology_io.h"
#include "lightpath/optical/lightpath_plan.h"
#include "lightpath/pce/path_engine.h"

namespace lightpath::cli {
namespace {

struct PathFlags {
  std::string topology;
  std::string from, to;
  std::string metric = "km";
  int k = 1;
  std::string diverse;
  double max_latency_ms = 0;
  int max_hops = 0;
  std::vector<std::string> exclude;
  std::vector<std::string> via;
  double node_latency_us = 0;
  std::string pairs;
  bool json = false;
  bool qot = false;
  std::string equipment;  // GNPy eqpt_config.json; empty: the built-in library
  double rate_gbps = 0;   // 0: the highest rate a mode reads without regeneration
  double margin_db = -1;  // < 0: the library's sys_margins
};

// What --qot needs beside the engine: the equipment library and the transceiver catalog.
struct Optics {
  OpticalEquipment equipment;
  std::vector<TransceiverSpec> catalog;
};

// Mode, regenerators and GSNR of one path (see addPathCommand's --qot). Adds the fields to
// `out` and, for people, prints a line.
void addQot(const Topology& t, const Optics& optics, const PathFlags& flags, const Path& p,
            nlohmann::ordered_json& out, bool print_human) {
  std::vector<double> rates;
  if (flags.rate_gbps > 0) {
    rates.push_back(flags.rate_gbps);
  } else {
    for (const TransceiverSpec& trx : optics.catalog) rates.push_back(trx.line_rate.value());
    std::sort(rates.rbegin(), rates.rend());
    rates.erase(std::unique(rates.begin(), rates.end()), rates.end());
  }
  // The highest rate that reads end to end; failing that, the lowest rate with regenerators.
  Result<LightpathPlan> plan = fail(failedPrecondition("no transceiver in the catalog"));
  for (double rate : rates) {
    plan = planLightpath(t, p.nodes, p.fibers, Gbps(rate), optics.catalog, optics.equipment);
    if (plan && plan->regenerators() == 0) break;
  }
  const double system_margin = optics.equipment.load.sys_margins_db;
  if (!plan) {
    out["qot_error"] = plan.error().message();
    if (print_human) fmt::print("{:<11} no transceiver mode: {}\n", "", plan.error().message());
    return;
  }
  const TransceiverSpec& trx = *plan->transceiver;
  const QotEstimate whole = estimateGsnr(t, p.fibers, trx, optics.equipment);
  double margin = 1e9;
  for (const LightpathSegment& s : plan->segments) {
    margin = std::min(margin, s.qot.gsnr.value() - trx.min_gsnr.value());
  }
  nlohmann::ordered_json regenerators = nlohmann::ordered_json::array();
  for (std::size_t s = 1; s < plan->segments.size(); ++s) {
    regenerators.push_back(t.node(p.nodes[plan->segments[s].from]).id);
  }
  out["gsnr_db"] = whole.gsnr.value();
  out["gsnr_signal_db"] = whole.gsnr_signal.value();
  out["osnr_db"] = whole.osnr_ase.value();
  out["mode"] = trx.id;
  out["margin_db"] = margin;
  out["system_margin_db"] = system_margin;
  out["regenerators"] = regenerators;
  if (print_human) {
    fmt::print("{:<11} GSNR {:.2f} dB (0.1 nm), {:.2f} dB ({:g} GBd); OSNR {:.2f} dB; {} spans\n",
               "", whole.gsnr.value(), whole.gsnr_signal.value(), trx.baud_gbd,
               whole.osnr_ase.value(), whole.spans);
    std::string regen;
    for (const auto& r : regenerators) regen += (regen.empty() ? "" : ", ") + r.get<std::string>();
    fmt::print("{:<11} mode {}: {:.2f} dB over its {:g} dB threshold (planning margin {:g} dB){}\n",
               "", trx.id, margin, trx.min_gsnr.value(), system_margin,
               regen.empty() ? "" : "; regenerators at " + regen);
  }
}

nlohmann::ordered_json pathJson(const Topology& t, const Path& p) {
  nlohmann::ordered_json nodes = nlohmann::ordered_json::array(),
                         fibers = nlohmann::ordered_json::array();
  for (NodeIndex n : p.nodes) nodes.push_back(t.node(n).id);
  for (FiberIndex f : p.fibers) fibers.push_back(t.fiber(f).id);
  return {{"nodes", nodes},
          {"fibers", fibers},
          {"km", p.length.value()},
          {"latency_ms", p.latency.value() / 1000.0},
          {"hops", p.hops()}};
}

void printPath(const Topology& t, const std::string& label, const Path& p) {
  std::string route;
  for (NodeIndex n : p.nodes) route += (route.empty() ? "" : " -> ") + t.node(n).id;
  fmt::print("{:<11} {}\n", label, route);
  fmt::print("{:<11} {:.1f} km, {:.3f} ms one-way, {} hops\n", "", p.length.value(),
             p.latency.value() / 1000.0, p.hops());
}

// Builds the request from flags and names; the ends come separately for batch mode.
Result<PathRequest> makeRequest(const PathEngine& engine, const PathFlags& flags,
                                const std::string& from, const std::string& to) {
  PathRequest request;
  LP_ASSIGN_OR_RETURN(auto a, engine.resolveNode(from));
  LP_ASSIGN_OR_RETURN(auto z, engine.resolveNode(to));
  request.from = a;
  request.to = z;
  LP_ASSIGN_OR_RETURN(auto metric, parseMetric(flags.metric));
  request.metric = metric;
  if (flags.max_latency_ms > 0)
    request.constraints.max_latency = Micros(flags.max_latency_ms * 1000.0);
  if (flags.max_hops > 0) request.constraints.max_hops = flags.max_hops;
  for (const std::string& id : flags.exclude) {
    LP_RETURN_IF_ERROR(engine.addExclusion(id, request.constraints));
  }
  for (const std::string& id : flags.via) {
    if (auto f = engine.topology().findFiber(id)) {
      request.constraints.via.push_back({.is_fiber = true, .index = *f});
    } else {
      auto n = engine.resolveNode(id);
      if (!n)
        return fail(
            invalidArgument(fmt::format("--via '{}': no fiber, node or site has that id", id)));
      request.constraints.via.push_back({.is_fiber = false, .index = *n});
    }
  }
  return request;
}

// Runs one request; returns the JSON answer ({"paths": [...]} or {"error": ...}).
nlohmann::ordered_json solve(const PathEngine& engine, const PathFlags& flags, const Optics* optics,
                             const std::string& from, const std::string& to, PathWorkspace& ws,
                             bool print_human) {
  const Topology& t = engine.topology();
  auto describe = [&](const std::string& label, const Path& p) {
    if (print_human) printPath(t, label, p);
    nlohmann::ordered_json out = pathJson(t, p);
    if (optics) addQot(t, *optics, flags, p, out, print_human);
    return out;
  };
  auto request = makeRequest(engine, flags, from, to);
  if (!request) return {{"error", request.error().message()}};
  nlohmann::ordered_json paths = nlohmann::ordered_json::array();
  if (!flags.diverse.empty()) {
    auto diversity = parseDiversity(flags.diverse);
    if (!diversity) return {{"error", diversity.error().message()}};
    auto pair = engine.diversePair(*request, *diversity, ws);
    if (!pair) return {{"error", pair.error().message()}};
    paths.push_back(describe("working", pair->working));
    paths.push_back(describe("protection", pair->protection));
    if (print_human) {
      fmt::print("{:<11} {}-diverse, total {:.1f} km{}\n", "", flags.diverse,
                 pair->working.length.value() + pair->protection.length.value(),
                 pair->optimal ? " (optimal)" : " (best found; not proven optimal)");
    }
    return {{"paths", paths}, {"optimal", pair->optimal}};
  }
  if (flags.k > 1) {
    auto found = engine.kShortestPaths(*request, flags.k, ws);
    if (!found) return {{"error", found.error().message()}};
    for (std::size_t i = 0; i < found->size(); ++i) {
      paths.push_back(describe(fmt::format("route {}", i + 1), (*found)[i]));
    }
    return {{"paths", paths}};
  }
  auto path = engine.shortestPath(*request, ws);
  if (!path) return {{"error", path.error().message()}};
  paths.push_back(describe("route", *path));
  return {{"paths", paths}};
}

int run(const PathFlags& flags) {
  Result<Topology> topology =
      flags.topology.empty() ? loadDemoNetwork() : readTopologyFile(flags.topology);
  if (!topology) {
    fmt::print(stderr, "error: {}\n", topology.error().message());
    return kExitRejected;
  }
  if (flags.k < 1 || flags.k > 1000) {
    fmt::print(stderr, "error: --k must be 1 to 1000, got {}\n", flags.k);
    return kExitUsage;
  }
  std::optional<Optics> optics;
  if (flags.qot) {
    auto equipment = loadEquipment(flags.equipment);
    if (!equipment) {
      fmt::print(stderr, "error: {}\n", equipment.error().message());
      return kExitRejected;
    }
    if (flags.margin_db >= 0) equipment->load.sys_margins_db = flags.margin_db;
    std::vector<TransceiverSpec> catalog = equipment->transceivers;
    if (catalog.empty()) {
      auto built_in = loadTransceiverCatalog();
      if (!built_in) {
        fmt::print(stderr, "error: {}\n", built_in.error().message());
        return kExitRejected;
      }
      catalog = std::move(*built_in);
    }
    optics = Optics{std::move(*equipment), std::move(catalog)};
  } else if (!flags.equipment.empty() || flags.rate_gbps > 0 || flags.margin_db >= 0) {
    fmt::print(stderr, "error: --equipment, --rate and --margin go with --qot\n");
    return kExitUsage;
  }
  if (optics) {
    if (Status designed = checkLineDesign(*topology, optics->equipment); !designed.isOk()) {
      fmt::print(stderr, "error: {}\n", designed.message());
      return kExitRejected;
    }
  }
  PathEngineOptions options;
  options.graph.node_latency = Micros(flags.node_latency_us);
  const PathEngine engine(std::make_shared<const Topology>(std::move(*topology)), options);
  PathWorkspace ws;

  if (!flags.pairs.empty()) {
    // Batch: one "A Z" per line in, one JSON object per line out.
    std::ifstream in(flags.pairs);
    if (!in) {
      fmt::print(stderr, "error: {}: cannot open\n", flags.pairs);
      return kExitRejected;
    }
    int failures = 0, line_number = 0;
    std::string line;
    while (std::getline(in, line)) {
      ++line_number;
      std::istringstream words(line);
      std::string from, to, extra;
      if (!(words >> from)) continue;
      nlohmann::ordered_json answer;
      if (!(words >> to) || (words >> extra)) {
        answer = {
            {"error", fmt::format("{}:{}: expected two node names", flags.pairs, line_number)}};
      } else {
        answer = solve(engine, flags, optics ? &*optics : nullptr, from, to, ws, false);
      }
      nlohmann::ordered_json out{{"from", from}, {"to", to}};
      out.update(answer);
      failures += out.contains("error");
      std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    }
    return failures == 0 ? kExitOk : kExitRejected;
  }

  if (flags.from.empty() || flags.to.empty()) {
    fmt::print(stderr, "error: --a and --z are required (or --pairs FILE)\n");
    return kExitUsage;
  }
  auto answer =
      solve(engine, flags, optics ? &*optics : nullptr, flags.from, flags.to, ws, !flags.json);
  if (flags.json)
    std::cout << answer.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  if (answer.contains("error")) {
    if (!flags.json) fmt::print(stderr, "error: {}\n", answer["error"].get<std::string>());
    return kExitRejected;
  }
  return kExitOk;
}

}  // namespace

void addPathCommand(CLI::App& app, int* exit_code) {
  static PathFlags flags;
  CLI::App* path = app.add_subcommand(
      "path", "shortest, constrained, k-shortest or diverse paths between two nodes or sites");
  path->add_option("--topology", flags.topology,
                   "network file (default: the built-in demo network)");
  // One vocabulary across the commands: --a / --z are the ends (as the API's a_end / z_end);
  // --from / --to say the same.
  path->add_option("--a,--from", flags.from, "start: node or site id or name");
  path->add_option("--z,--to", flags.to, "end: node or site id or name");
  path->add_option("--metric", flags.metric, "km, latency, hops or cost")->capture_default_str();
  path->add_option("--k", flags.k, "number of shortest paths")->capture_default_str();
  path->add_option("--diverse", flags.diverse, "a 1+1 pair: fiber, node or srlg diverse");
  path->add_option("--max-latency-ms", flags.max_latency_ms, "one-way latency bound");
  path->add_option("--max-hops", flags.max_hops, "hop limit");
  path->add_option("--exclude", flags.exclude, "node, fiber or SRLG ids to avoid")->delimiter(',');
  path->add_option("--via", flags.via, "nodes or fibers to pass, in order")->delimiter(',');
  path->add_option("--node-latency-us", flags.node_latency_us, "latency added per node entered")
      ->capture_default_str();
  path->add_option("--pairs", flags.pairs, "batch: a file with one 'A Z' per line; JSON lines out");
  path->add_flag("--json", flags.json, "print one JSON object");
  path->add_flag("--qot", flags.qot,
                 "per path: GSNR (0.1 nm and signal bandwidth), OSNR, transceiver mode, margin "
                 "and regenerator sites (docs/optical.md)");
  path->add_option("--equipment", flags.equipment,
                   "with --qot: a GNPy equipment file (eqpt_config.json); its transceiver modes "
                   "replace the built-in catalog");
  path->add_option("--rate", flags.rate_gbps,
                   "with --qot: line rate in Gb/s (default: the highest a mode reads end to end)");
  path->add_option("--margin", flags.margin_db,
                   "with --qot: planning margin in dB (default: the library's sys_margins, 2)");
  path->callback([exit_code] { *exit_code = run(flags); });
}

}  // namespace lightpath::cli
