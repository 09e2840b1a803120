// The path engine: constraints, searches and the explanations of why none succeeded.
#include "lightpath/pce/path_engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "lightpath/pce/internal/disjoint_pair.h"
#include "lightpath/pce/internal/k_shortest.h"
#include "lightpath/pce/internal/search.h"

namespace lightpath {

using pce::Heuristic;
using pce::kInfinity;

namespace {

double ms(Micros us) { return us.value() / 1000.0; }

Status noPath(std::string message) { return failedPrecondition(std::move(message)); }

}  // namespace

std::string_view toString(Diversity diversity) {
  switch (diversity) {
    case Diversity::Fiber:
      return "fiber";
    case Diversity::Node:
      return "node";
    case Diversity::Srlg:
      return "srlg";
  }
  return "unknown";
}

Result<Diversity> parseDiversity(std::string_view text) {
  for (Diversity d : {Diversity::Fiber, Diversity::Node, Diversity::Srlg}) {
    if (toString(d) == text) return d;
  }
  return fail(
      invalidArgument(fmt::format("unknown diversity '{}': expected fiber, node or srlg", text)));
}

PathEngine::PathEngine(std::shared_ptr<const Topology> topology, PathEngineOptions options)
    : graph_(std::move(topology), options.graph), options_(options) {}

std::string PathEngine::describeNode(NodeIndex n) const {
  return fmt::format("'{}'", topology().node(n).id);
}

std::string PathEngine::describeFiber(FiberIndex f) const {
  const Fiber& fiber = topology().fiber(f);
  return fmt::format("'{}' ({:.1f} km)", fiber.id, fiber.length.value());
}

Result<NodeIndex> PathEngine::resolveNode(std::string_view name) const {
  if (auto n = topology().findNode(name)) return *n;
  std::size_t at_site = 0;
  for (NodeIndex n = 0; n < graph_.nodeCount(); ++n) {
    const Site& site = topology().siteOf(n);
    at_site += site.id == name || site.name == name;
  }
  if (at_site > 1) {
    return fail(
        invalidArgument(fmt::format("site '{}' has {} nodes: name one of them", name, at_site)));
  }
  return fail(invalidArgument(fmt::format("unknown node or site '{}'", name)));
}

Status PathEngine::addExclusion(std::string_view id, PathConstraints& constraints) const {
  if (auto n = topology().findNode(id)) {
    constraints.exclude_nodes.push_back(*n);
  } else if (auto f = topology().findFiber(id)) {
    constraints.exclude_fibers.push_back(*f);
  } else if (auto s = graph_.findSrlg(id)) {
    constraints.exclude_srlgs.push_back(*s);
  } else {
    return invalidArgument(
        fmt::format("cannot exclude '{}': no node, fiber or SRLG has that id", id));
  }
  return Status::ok();
}

Status PathEngine::prepare(const PathRequest& request, PathWorkspace& ws) const {
  const std::uint32_t nodes = graph_.nodeCount();
  if (request.from >= nodes || request.to >= nodes) {
    return invalidArgument("path request names a node that is not in the topology");
  }
  if (request.from == request.to) {
    return invalidArgument(
        fmt::format("source and destination are the same node {}", describeNode(request.from)));
  }
  ws.prepare(graph_);
  for (NodeIndex n : graph_.nonTransitNodes()) {
    if (n != request.from && n != request.to) ws.request_nodes.set(n);
  }
  const PathConstraints& c = request.constraints;
  for (NodeIndex n : c.exclude_nodes) {
    if (n >= nodes) return invalidArgument("excluded node is not in the topology");
    if (n == request.from || n == request.to) {
      return invalidArgument(
          fmt::format("node {} is both an end of the path and excluded", describeNode(n)));
    }
    ws.request_nodes.set(n);
  }
  for (FiberIndex f : c.exclude_fibers) {
    if (f >= graph_.fiberCount()) return invalidArgument("excluded fiber is not in the topology");
    ws.request_fibers.set(f);
  }
  for (SrlgIndex s : c.exclude_srlgs) {
    if (s >= graph_.srlgCount()) return invalidArgument("excluded SRLG is not in the topology");
    for (FiberIndex f : graph_.fibersOf(s)) ws.request_fibers.set(f);
  }
  if (c.min_free) {
    if (!request.resources) {
      return invalidArgument("a minimum free capacity needs a view of free resources");
    }
    for (FiberIndex f = 0; f < graph_.fiberCount(); ++f) {
      if (request.resources->freeCapacity(f) < *c.min_free) ws.request_fibers.set(f);
    }
  }
  if (c.max_latency && !(c.max_latency->value() > 0)) {
    return invalidArgument(
        fmt::format("maximum latency must be positive, got {} ms", ms(*c.max_latency)));
  }
  if (c.max_hops && *c.max_hops < 1) {
    return invalidArgument(fmt::format("maximum hops must be at least 1, got {}", *c.max_hops));
  }
  for (const auto& w : c.via) {
    if (w.index >= (w.is_fiber ? graph_.fiberCount() : nodes)) {
      return invalidArgument("waypoint is not in the topology");
    }
  }
  return Status::ok();
}

bool PathEngine::meetsBounds(const PathRequest& request, const Path& path) const {
  const PathConstraints& c = request.constraints;
  if (c.max_hops && path.hops() > *c.max_hops) return false;
  // A hair of tolerance: a bound equal to the path's latency is met despite rounding.
  if (c.max_latency && path.latency.value() > c.max_latency->value() * (1 + 1e-12)) return false;
  return true;
}

Result<Path> PathEngine::searchUnbounded(const PathRequest& request, PathWorkspace& ws) const {
  ws.search_fibers.clear();
  ws.search_nodes.clear();
  const bool goal_directed = graph_.nodeCount() >= options_.goal_directed_min_nodes;
  if (pce::searchPath(graph_, ws, request.metric, request.from, request.to,
                      goal_directed ? Heuristic::Landmarks : Heuristic::None) == kInfinity) {
    return fail(explainUnreachable(request, ws));
  }
  return pce::tracePath(graph_, ws, request.metric, request.from, request.to);
}

Result<Path> PathEngine::searchVia(const PathRequest& request, PathWorkspace& ws) const {
  // Greedy: the shortest segment to each waypoint in turn, never revisiting a node.
  Path path;
  path.nodes.push_back(request.from);
  ws.search_fibers.clear();
  ws.search_nodes.clear();
  auto segment = [&](NodeIndex from, NodeIndex to) -> std::optional<Path> {
    // Nodes already on the path (but the current end) and the destination are off limits.
    ws.search_nodes.clear();
    for (NodeIndex n : path.nodes) {
      if (n != from) ws.search_nodes.set(n);
    }
    if (to != request.to) ws.search_nodes.set(request.to);
    if (ws.search_nodes.test(to)) return std::nullopt;
    if (pce::searchPath(graph_, ws, request.metric, from, to, Heuristic::None) == kInfinity) {
      return std::nullopt;
    }
    return pce::tracePath(graph_, ws, request.metric, from, to);
  };
  auto append = [&](const Path& piece) {
    path.nodes.insert(path.nodes.end(), piece.nodes.begin() + 1, piece.nodes.end());
    path.fibers.insert(path.fibers.end(), piece.fibers.begin(), piece.fibers.end());
  };
  for (const auto& w : request.constraints.via) {
    const NodeIndex at = path.nodes.back();
    if (!w.is_fiber) {
      if (w.index == at) continue;
      auto piece = segment(at, w.index);
      if (!piece) {
        return fail(
            noPath(fmt::format("no path from {} through {} to {}: cannot reach {} without "
                               "revisiting a node or using an excluded element",
                               describeNode(request.from), describeNode(w.index),
                               describeNode(request.to), describeNode(w.index))));
      }
      append(*piece);
      continue;
    }
    const FiberIndex f = w.index;
    if (ws.request_fibers.test(f)) {
      return fail(invalidArgument(
          fmt::format("fiber {} is both required and ruled out", describeFiber(f))));
    }
    // Cross the fiber in the direction whose near end is closer.
    std::optional<Path> best;
    NodeIndex best_far = kNoIndex;
    for (auto [near, far] : {std::pair{topology().fiberA(f), topology().fiberB(f)},
                             std::pair{topology().fiberB(f), topology().fiberA(f)}}) {
      if (std::find(path.nodes.begin(), path.nodes.end(), far) != path.nodes.end()) continue;
      if (far == request.to && &w != &request.constraints.via.back()) continue;
      std::optional<Path> piece =
          near == at ? Path{{at}, {}, Km(0), Micros(0), 0} : segment(at, near);
      if (!piece ||
          std::find(piece->nodes.begin(), piece->nodes.end(), far) != piece->nodes.end()) {
        continue;
      }
      if (!best || piece->cost < best->cost) {
        best = piece;
        best_far = far;
      }
    }
    if (!best) {
      return fail(noPath(
          fmt::format("no path from {} to {} across fiber {} without revisiting a node",
                      describeNode(request.from), describeNode(request.to), describeFiber(f))));
    }
    append(*best);
    path.fibers.push_back(f);
    path.nodes.push_back(best_far);
  }
  if (path.nodes.back() != request.to) {
    auto piece = segment(path.nodes.back(), request.to);
    if (!piece) {
      return fail(
          noPath(fmt::format("no path from {} to {} through the waypoints without "
                             "revisiting a node",
                             describeNode(request.from), describeNode(request.to))));
    }
    append(*piece);
  }
  pce::measurePath(graph_, request.metric, path);
  return path;
}

Status PathEngine::explainUnreachable(const PathRequest& request, PathWorkspace& ws) const {
  const Topology& t = topology();
  const std::string ends =
      fmt::format("from {} to {}", describeNode(request.from), describeNode(request.to));
  if (t.componentOf()[request.from] != t.componentOf()[request.to]) {
    return noPath(
        fmt::format("no path {}: they are in different parts of the network, joined by "
                    "no fiber route",
                    ends));
  }
  // Which kind of constraint cuts them apart: exclusions, or too little free capacity?
  const PathConstraints& c = request.constraints;
  PathRequest exclusions_only = request;
  exclusions_only.constraints.min_free.reset();
  std::vector<std::string> excluded;
  for (NodeIndex n : c.exclude_nodes) excluded.push_back(fmt::format("node {}", describeNode(n)));
  for (FiberIndex f : c.exclude_fibers)
    excluded.push_back(fmt::format("fiber '{}'", t.fiber(f).id));
  for (SrlgIndex s : c.exclude_srlgs) excluded.push_back(fmt::format("SRLG '{}'", t.srlgs()[s].id));
  if (!prepare(exclusions_only, ws).isOk())
    return internalError("request changed while explaining");
  ws.search_fibers.clear();
  ws.search_nodes.clear();
  const bool cut_by_exclusions = pce::searchPath(graph_, ws, request.metric, request.from,
                                                 request.to, Heuristic::None) == kInfinity;
  if (cut_by_exclusions || !c.min_free) {
    return noPath(
        fmt::format("no path {}: excluding {} leaves no route", ends, fmt::join(excluded, ", ")));
  }
  // Capacity binds: name the short fibers on the route the path would otherwise take.
  Path route = pce::tracePath(graph_, ws, request.metric, request.from, request.to);
  std::vector<std::string> short_fibers;
  for (FiberIndex f : route.fibers) {
    double free = request.resources->freeCapacity(f);
    if (free < *c.min_free)
      short_fibers.push_back(fmt::format("'{}' has {:g}", t.fiber(f).id, free));
  }
  return noPath(
      fmt::format("no path {} with {:g} free on every fiber: the shortest route lacks it "
                  "({})",
                  ends, *c.min_free, fmt::join(short_fibers, ", ")));
}

Status PathEngine::explainBounds(const PathRequest& request, PathWorkspace& ws) const {
  const PathConstraints& c = request.constraints;
  const std::string ends =
      fmt::format("from {} to {}", describeNode(request.from), describeNode(request.to));
  ws.search_fibers.clear();
  ws.search_nodes.clear();
  std::optional<Path> fastest, fewest;
  if (pce::searchPath(graph_, ws, Metric::Latency, request.from, request.to, Heuristic::None) !=
      kInfinity) {
    fastest = pce::tracePath(graph_, ws, Metric::Latency, request.from, request.to);
  }
  if (pce::searchPath(graph_, ws, Metric::Hops, request.from, request.to, Heuristic::None) !=
      kInfinity) {
    fewest = pce::tracePath(graph_, ws, Metric::Hops, request.from, request.to);
  }
  if (!fastest || !fewest) return explainUnreachable(request, ws);
  if (c.max_latency && fastest->latency > *c.max_latency) {
    return noPath(fmt::format(
        "no path {} within {:.2f} ms: the lowest-latency route is {:.2f} ms "
        "({:.1f} km, {} hops)",
        ends, ms(*c.max_latency), ms(fastest->latency), fastest->length.value(), fastest->hops()));
  }
  if (c.max_hops && fewest->hops() > *c.max_hops) {
    return noPath(fmt::format("no path {} within {} hops: the route with fewest hops has {}", ends,
                              *c.max_hops, fewest->hops()));
  }
  return noPath(
      fmt::format("no path {} meets {} together among the first {} routes by {}: the "
                  "lowest-latency route is {:.2f} ms with {} hops",
                  ends, c.max_latency && c.max_hops ? "the latency and hop limits" : "the limits",
                  options_.enumeration_budget, toString(request.metric), ms(fastest->latency),
                  fastest->hops()));
}

Status PathEngine::checkBoundsReachable(const PathRequest& request, PathWorkspace& ws,
                                        std::optional<Path>* fastest,
                                        std::optional<Path>* fewest) const {
  auto extreme = [&](Metric metric) -> std::optional<Path> {
    ws.search_fibers.clear();
    ws.search_nodes.clear();
    if (pce::searchPath(graph_, ws, metric, request.from, request.to, Heuristic::None) ==
        kInfinity) {
      return std::nullopt;
    }
    return pce::tracePath(graph_, ws, request.metric, request.from, request.to);
  };
  const PathConstraints& c = request.constraints;
  *fastest = c.max_latency ? extreme(Metric::Latency) : std::nullopt;
  *fewest = c.max_hops ? extreme(Metric::Hops) : std::nullopt;
  if ((*fastest && (*fastest)->latency > *c.max_latency * (1 + 1e-12)) ||
      (*fewest && (*fewest)->hops() > *c.max_hops)) {
    return explainBounds(request, ws);
  }
  return Status::ok();
}

Result<Path> PathEngine::shortestPath(const PathRequest& request, PathWorkspace& ws) const {
  LP_RETURN_IF_ERROR(prepare(request, ws));
  if (!request.constraints.via.empty()) {
    auto path = searchVia(request, ws);
    if (path && !meetsBounds(request, *path)) {
      return fail(
          noPath(fmt::format("the route through the waypoints is {:.2f} ms with {} hops, "
                             "beyond the limits",
                             ms(path->latency), path->hops())));
    }
    return path;
  }
  auto path = searchUnbounded(request, ws);
  if (!path || meetsBounds(request, *path)) return path;
  // The shortest breaks a bound. If even the fastest route (or the one with fewest hops)
  // breaks it, say so at once; otherwise walk routes in metric order for the first that
  // keeps every bound, settling for the fastest or fewest-hop route if the budget runs out.
  std::optional<Path> fastest, fewest;
  LP_RETURN_IF_ERROR(checkBoundsReachable(request, ws, &fastest, &fewest));
  pce::KShortestPaths routes(graph_, ws, request.metric, request.from, request.to);
  for (int i = 0; i < options_.enumeration_budget; ++i) {
    auto next = routes.next();
    if (!next) break;
    if (meetsBounds(request, *next)) return *next;
  }
  for (const auto& fallback : {fastest, fewest}) {
    if (fallback && meetsBounds(request, *fallback)) return *fallback;
  }
  return fail(explainBounds(request, ws));
}

Result<std::vector<Path>> PathEngine::kShortestPaths(const PathRequest& request, int k,
                                                     PathWorkspace& ws) const {
  if (k < 1 || k > 1000)
    return fail(invalidArgument(fmt::format("k must be 1 to 1000, got {}", k)));
  if (!request.constraints.via.empty()) {
    return fail(invalidArgument("waypoints are not supported with k shortest paths"));
  }
  LP_RETURN_IF_ERROR(prepare(request, ws));
  if (request.constraints.hasPathBounds()) {
    std::optional<Path> fastest, fewest;
    LP_RETURN_IF_ERROR(checkBoundsReachable(request, ws, &fastest, &fewest));
  }
  std::vector<Path> paths;
  pce::KShortestPaths routes(graph_, ws, request.metric, request.from, request.to);
  const int budget = k + (request.constraints.hasPathBounds() ? options_.enumeration_budget : 0);
  for (int i = 0; i < budget && static_cast<int>(paths.size()) < k; ++i) {
    auto next = routes.next();
    if (!next) break;
    if (meetsBounds(request, *next)) paths.push_back(std::move(*next));
  }
  if (!paths.empty()) return paths;
  ws.search_fibers.clear();
  ws.search_nodes.clear();
  if (pce::searchPath(graph_, ws, request.metric, request.from, request.to, Heuristic::None) ==
      kInfinity) {
    return fail(explainUnreachable(request, ws));
  }
  return fail(explainBounds(request, ws));
}

Result<DiversePair> PathEngine::diversePair(const PathRequest& request, Diversity diversity,
                                            PathWorkspace& ws) const {
  if (!request.constraints.via.empty()) {
    return fail(invalidArgument("waypoints are not supported with diverse pairs"));
  }
  LP_RETURN_IF_ERROR(prepare(request, ws));
  if (request.constraints.hasPathBounds()) {
    std::optional<Path> fastest, fewest;
    LP_RETURN_IF_ERROR(checkBoundsReachable(request, ws, &fastest, &fewest));
  }
  const Topology& t = topology();
  const std::string ends =
      fmt::format("from {} to {}", describeNode(request.from), describeNode(request.to));

  // The least-total fiber- or node-disjoint pair, exact by min-cost flow. For SRLG diversity
  // its total is a lower bound (an SRLG-disjoint pair is also fiber-disjoint).
  const bool node_disjoint = diversity == Diversity::Node;
  auto flow =
      pce::findDisjointPair(graph_, ws, request.metric, request.from, request.to, node_disjoint);
  if (!flow.pair) {
    if (flow.cut.disconnected) return fail(explainUnreachable(request, ws));
    if (flow.cut.fiber) {
      return fail(noPath(fmt::format("no {}-diverse pair {}: every route crosses fiber {}",
                                     toString(diversity), ends, describeFiber(*flow.cut.fiber))));
    }
    return fail(noPath(fmt::format("no {}-diverse pair {}: every route passes through node {}",
                                   toString(diversity), ends, describeNode(*flow.cut.node))));
  }
  const double lower_bound = flow.pair->first.cost + flow.pair->second.cost;
  auto shareRisk = [&](const Path& a, const Path& b) {
    ws.search_fibers.clear();
    for (FiberIndex f : a.fibers) {
      for (SrlgIndex s : graph_.srlgsOf(f)) {
        for (FiberIndex g : graph_.fibersOf(s)) ws.search_fibers.set(g);
      }
    }
    bool shared = false;
    for (FiberIndex f : b.fibers) shared |= ws.search_fibers.test(f);
    ws.search_fibers.clear();
    return shared;
  };
  // The least-total pair is the answer when it keeps the bounds and, for SRLG diversity,
  // happens to share no risk group: nothing can beat the lower bound.
  if (meetsBounds(request, flow.pair->first) && meetsBounds(request, flow.pair->second) &&
      (diversity != Diversity::Srlg || !shareRisk(flow.pair->first, flow.pair->second))) {
    return DiversePair{std::move(flow.pair->first), std::move(flow.pair->second), true};
  }

  // Enumerate the first leg in metric order; its best partner avoids everything it shares a
  // risk with. Once a first leg costs half the best total, no better pair can remain.
  auto conflicts = [&](const Path& leg) {
    ws.search_fibers.clear();
    ws.search_nodes.clear();
    for (FiberIndex f : leg.fibers) {
      ws.search_fibers.set(f);
      if (diversity == Diversity::Srlg) {
        for (SrlgIndex s : graph_.srlgsOf(f)) {
          for (FiberIndex g : graph_.fibersOf(s)) ws.search_fibers.set(g);
        }
      }
    }
    if (node_disjoint) {
      for (std::size_t i = 1; i + 1 < leg.nodes.size(); ++i) ws.search_nodes.set(leg.nodes[i]);
    }
  };
  std::optional<DiversePair> best;
  double best_total = kInfinity;
  bool proven = false, partners_exact = true;
  int examined = 0;
  pce::KShortestPaths first_legs(graph_, ws, request.metric, request.from, request.to);
  for (; examined < options_.enumeration_budget; ++examined) {
    auto leg = first_legs.next();
    if (!leg) {
      proven = true;  // every route was a candidate first leg
      break;
    }
    if (2 * leg->cost >= best_total * (1 - 1e-12)) {
      proven = true;
      break;
    }
    if (!meetsBounds(request, *leg)) continue;
    conflicts(*leg);
    if (pce::searchPath(graph_, ws, request.metric, request.from, request.to, Heuristic::None) ==
        kInfinity) {
      continue;
    }
    Path partner = pce::tracePath(graph_, ws, request.metric, request.from, request.to);
    if (!meetsBounds(request, partner)) {
      // Settle for the lowest-latency partner if it keeps the bounds: good, but not proven best.
      conflicts(*leg);
      if (pce::searchPath(graph_, ws, Metric::Latency, request.from, request.to, Heuristic::None) ==
          kInfinity) {
        continue;
      }
      partner = pce::tracePath(graph_, ws, request.metric, request.from, request.to);
      if (!meetsBounds(request, partner)) continue;
      partners_exact = false;
    }
    const double total = leg->cost + partner.cost;
    if (total < best_total) {
      best_total = total;
      Path first = std::move(*leg);
      if (partner.cost < first.cost) std::swap(first, partner);
      best = DiversePair{std::move(first), std::move(partner), false};
      if (total <= lower_bound * (1 + 1e-12)) {
        proven = true;
        break;
      }
    }
  }
  if (best) {
    best->optimal = proven && partners_exact;
    return *best;
  }

  // No pair: name the risk group every route crosses, if one does.
  ws.search_fibers.clear();
  ws.search_nodes.clear();
  if (diversity == Diversity::Srlg && pce::searchPath(graph_, ws, request.metric, request.from,
                                                      request.to, Heuristic::None) != kInfinity) {
    Path shortest = pce::tracePath(graph_, ws, request.metric, request.from, request.to);
    for (FiberIndex f : shortest.fibers) {
      for (SrlgIndex s : graph_.srlgsOf(f)) {
        ws.search_fibers.clear();
        for (FiberIndex g : graph_.fibersOf(s)) ws.search_fibers.set(g);
        if (pce::searchPath(graph_, ws, request.metric, request.from, request.to,
                            Heuristic::None) == kInfinity) {
          const Srlg& srlg = t.srlgs()[s];
          return fail(
              noPath(fmt::format("no srlg-diverse pair {}: every route crosses SRLG '{}' ({})",
                                 ends, srlg.id, srlg.name)));
        }
      }
    }
  }
  if (request.constraints.hasPathBounds()) {
    return fail(
        noPath(fmt::format("no {}-diverse pair {} with both legs within the limits among "
                           "the {} shortest first legs",
                           toString(diversity), ends, examined)));
  }
  return fail(noPath(
      fmt::format("no {}-diverse pair {}: {} every pair of routes shares a risk "
                  "group",
                  toString(diversity), ends,
                  proven ? "" : fmt::format("among the {} shortest first legs,", examined))));
}

}  // namespace lightpath
