// Two-unit min-cost flow for disjoint pairs. Flow nodes are the graph's nodes (fiber-disjoint)
// or each node split into in/out with a unit-capacity arc between (node-disjoint). Arc 2k is a
// forward arc, 2k+1 its residual twin.
#include "lightpath/pce/internal/disjoint_pair.h"

#include <algorithm>

#include "lightpath/pce/internal/min_heap.h"

namespace lightpath::pce {
namespace {

using FlowArc = PathWorkspace::FlowArc;

struct FlowGraph {
  PathWorkspace& ws;
  std::uint32_t node_count;

  void addArc(std::uint32_t from, std::uint32_t to, double cost, FiberIndex fiber) {
    ws.flow_arcs.push_back({to, 1, cost, fiber});
    ws.flow_arcs.push_back({from, 0, -cost, fiber});
  }
  std::uint32_t tail(std::uint32_t arc) const { return ws.flow_arcs[arc ^ 1].to; }

  // Groups arc ids by tail node (CSR) once all arcs are in.
  void index() {
    ws.flow_start.assign(node_count + 1, 0);
    for (std::uint32_t a = 0; a < ws.flow_arcs.size(); ++a) ++ws.flow_start[tail(a) + 1];
    for (std::uint32_t n = 0; n < node_count; ++n) ws.flow_start[n + 1] += ws.flow_start[n];
    ws.flow_order.resize(ws.flow_arcs.size());
    std::vector<std::uint32_t>& fill = ws.flow_parent;  // borrowed as a cursor
    fill.assign(ws.flow_start.begin(), ws.flow_start.end() - 1);
    for (std::uint32_t a = 0; a < ws.flow_arcs.size(); ++a) ws.flow_order[fill[tail(a)]++] = a;
  }

  // Dijkstra on reduced costs; returns whether `sink` was reached. ws.dist / ws.flow_parent
  // hold the tree; ws.reached marks the residual-reachable set.
  bool shortestAugmentingPath(std::uint32_t source, std::uint32_t sink) {
    ws.reached.clear();
    ws.settled.clear();
    ws.flow_parent.resize(node_count);
    MinHeap heap(ws.heap);
    ws.dist[source] = 0;
    ws.reached.set(source);
    heap.push(0, source);
    while (!heap.empty()) {
      auto [d, n] = heap.pop();
      if (ws.settled.test(n)) continue;
      ws.settled.set(n);
      if (n == sink) break;
      for (std::uint32_t i = ws.flow_start[n]; i < ws.flow_start[n + 1]; ++i) {
        const std::uint32_t a = ws.flow_order[i];
        const FlowArc& arc = ws.flow_arcs[a];
        if (arc.capacity <= 0 || ws.settled.test(arc.to)) continue;
        // Reduced costs are >= 0 up to rounding; clamp so the heap stays ordered.
        const double reduced = std::max(0.0, arc.cost + ws.potential[n] - ws.potential[arc.to]);
        const double candidate = d + reduced;
        if (!ws.reached.test(arc.to) || candidate < ws.dist[arc.to]) {
          ws.reached.set(arc.to);
          ws.dist[arc.to] = candidate;
          ws.flow_parent[arc.to] = a;
          heap.push(candidate, arc.to);
        }
      }
    }
    if (!ws.settled.test(sink)) return false;
    // Potentials: settled nodes take their distance; the rest keep a bound no smaller.
    const double sink_distance = ws.dist[sink];
    for (std::uint32_t n = 0; n < node_count; ++n) {
      ws.potential[n] += ws.settled.test(n) ? ws.dist[n] : sink_distance;
    }
    for (std::uint32_t n = sink; n != source;) {
      const std::uint32_t a = ws.flow_parent[n];
      ws.flow_arcs[a].capacity -= 1;
      ws.flow_arcs[a ^ 1].capacity += 1;
      n = tail(a);
    }
    return true;
  }
};

}  // namespace

DisjointPairResult findDisjointPair(const PathGraph& graph, PathWorkspace& ws, Metric metric,
                                    NodeIndex source, NodeIndex target, bool node_disjoint) {
  DisjointPairResult result;
  const std::uint32_t n = graph.nodeCount();
  FlowGraph flow{ws, node_disjoint ? 2 * n : n};
  auto in = [&](NodeIndex v) { return node_disjoint ? 2 * v : v; };
  auto out = [&](NodeIndex v) { return node_disjoint ? 2 * v + 1 : v; };
  ws.flow_arcs.clear();
  if (node_disjoint) {
    // The ends have no split arc: a leg may not pass back through them.
    for (NodeIndex v = 0; v < n; ++v) {
      if (ws.request_nodes.test(v) || v == source || v == target) continue;
      flow.addArc(in(v), out(v), 0.0, kNoIndex);
    }
  }
  const double* weight = graph.weights(metric);
  for (NodeIndex v = 0; v < n; ++v) {
    for (ArcIndex a = graph.arcBegin(v); a < graph.arcEnd(v); ++a) {
      const NodeIndex w = graph.head(a);
      if (ws.request_fibers.test(graph.fiber(a)) || ws.request_nodes.test(w) ||
          ws.request_nodes.test(v)) {
        continue;
      }
      flow.addArc(out(v), in(w), weight[a], graph.fiber(a));
    }
  }
  flow.index();
  if (ws.dist.size() < flow.node_count) ws.dist.resize(flow.node_count);
  ws.potential.assign(flow.node_count, 0.0);
  ws.reached.resize(flow.node_count);
  ws.settled.resize(flow.node_count);
  const std::uint32_t s = out(source), t = in(target);

  if (!flow.shortestAugmentingPath(s, t)) {
    result.cut.disconnected = true;
    return result;
  }
  if (!flow.shortestAugmentingPath(s, t)) {
    // The residual-reachable set is one side of a cut of capacity 1: find its one saturated arc.
    for (std::uint32_t a = 0; a < ws.flow_arcs.size(); a += 2) {
      const FlowArc& arc = ws.flow_arcs[a];
      if (arc.capacity == 0 && ws.reached.test(flow.tail(a)) && !ws.reached.test(arc.to)) {
        if (arc.fiber != kNoIndex)
          result.cut.fiber = arc.fiber;
        else
          result.cut.node = flow.tail(a) / 2;
        break;
      }
    }
    return result;
  }

  // Two units of flow: walk them out as two paths. Opposite flows on one fiber cancel.
  std::vector<std::uint32_t> used;  // forward arcs carrying flow
  for (std::uint32_t a = 0; a < ws.flow_arcs.size(); a += 2) {
    if (ws.flow_arcs[a].capacity == 0) used.push_back(a);
  }
  auto carries = [&](std::uint32_t a) { return ws.flow_arcs[a].capacity == 0; };
  for (std::uint32_t a : used) {
    const FiberIndex f = ws.flow_arcs[a].fiber;
    if (f == kNoIndex || !carries(a)) continue;
    for (std::uint32_t b : used) {
      if (b != a && carries(b) && ws.flow_arcs[b].fiber == f) {
        ws.flow_arcs[a].capacity = 1;
        ws.flow_arcs[b].capacity = 1;
        break;
      }
    }
  }
  Path legs[2];
  for (Path& leg : legs) {
    std::uint32_t at = s;
    leg.nodes.push_back(source);
    std::size_t guard = 0;
    while (at != t && ++guard <= ws.flow_arcs.size()) {
      std::uint32_t next_arc = kNoIndex;
      for (std::uint32_t i = ws.flow_start[at]; i < ws.flow_start[at + 1]; ++i) {
        const std::uint32_t a = ws.flow_order[i];
        if ((a & 1) == 0 && carries(a)) {
          next_arc = a;
          break;
        }
      }
      if (next_arc == kNoIndex) break;
      ws.flow_arcs[next_arc].capacity = 1;  // consume
      const FlowArc& arc = ws.flow_arcs[next_arc];
      if (arc.fiber != kNoIndex) {
        leg.fibers.push_back(arc.fiber);
        leg.nodes.push_back(node_disjoint ? arc.to / 2 : arc.to);
      }
      at = arc.to;
    }
    measurePath(graph, metric, leg);
  }
  if (legs[1].cost < legs[0].cost ||
      (legs[1].cost == legs[0].cost && legs[1].fibers.size() < legs[0].fibers.size())) {
    std::swap(legs[0], legs[1]);
  }
  result.pair = std::make_pair(std::move(legs[0]), std::move(legs[1]));
  return result;
}

}  // namespace lightpath::pce
