// `lightpath path`.
#include "path_command.h"

#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "exit_codes.h"
#include "lightpath/io/demo_network.h"
#include "lightpath/io/topology_io.h"
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
};

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
nlohmann::ordered_json solve(const PathEngine& engine, const PathFlags& flags,
                             const std::string& from, const std::string& to, PathWorkspace& ws,
                             bool print_human) {
  const Topology& t = engine.topology();
  auto request = makeRequest(engine, flags, from, to);
  if (!request) return {{"error", request.error().message()}};
  nlohmann::ordered_json paths = nlohmann::ordered_json::array();
  if (!flags.diverse.empty()) {
    auto diversity = parseDiversity(flags.diverse);
    if (!diversity) return {{"error", diversity.error().message()}};
    auto pair = engine.diversePair(*request, *diversity, ws);
    if (!pair) return {{"error", pair.error().message()}};
    if (print_human) {
      printPath(t, "working", pair->working);
      printPath(t, "protection", pair->protection);
      fmt::print("{:<11} {}-diverse, total {:.1f} km{}\n", "", flags.diverse,
                 pair->working.length.value() + pair->protection.length.value(),
                 pair->optimal ? " (optimal)" : " (best found; not proven optimal)");
    }
    paths.push_back(pathJson(t, pair->working));
    paths.push_back(pathJson(t, pair->protection));
    return {{"paths", paths}, {"optimal", pair->optimal}};
  }
  if (flags.k > 1) {
    auto found = engine.kShortestPaths(*request, flags.k, ws);
    if (!found) return {{"error", found.error().message()}};
    for (std::size_t i = 0; i < found->size(); ++i) {
      if (print_human) printPath(t, fmt::format("route {}", i + 1), (*found)[i]);
      paths.push_back(pathJson(t, (*found)[i]));
    }
    return {{"paths", paths}};
  }
  auto path = engine.shortestPath(*request, ws);
  if (!path) return {{"error", path.error().message()}};
  if (print_human) printPath(t, "route", *path);
  paths.push_back(pathJson(t, *path));
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
        answer = solve(engine, flags, from, to, ws, false);
      }
      nlohmann::ordered_json out{{"from", from}, {"to", to}};
      out.update(answer);
      failures += out.contains("error");
      std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    }
    return failures == 0 ? kExitOk : kExitRejected;
  }

  if (flags.from.empty() || flags.to.empty()) {
    fmt::print(stderr, "error: --from and --to are required (or --pairs FILE)\n");
    return kExitUsage;
  }
  auto answer = solve(engine, flags, flags.from, flags.to, ws, !flags.json);
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
  path->add_option("--from", flags.from, "start: node or site id or name");
  path->add_option("--to", flags.to, "end: node or site id or name");
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
  path->callback([exit_code] { *exit_code = run(flags); });
}

}  // namespace lightpath::cli
