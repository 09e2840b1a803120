// Dijkstra / A* on the CSR path graph. Kept small: this is where the time goes.
#include "lightpath/pce/internal/search.h"

#include <algorithm>

namespace lightpath::pce {
namespace {

using HeapEntry = std::pair<double, NodeIndex>;
constexpr auto kHeapOrder = [](const HeapEntry& a, const HeapEntry& b) {
  // Min-heap on the key; ties by node index so that equal-cost searches are deterministic.
  return a.first > b.first || (a.first == b.first && a.second > b.second);
};

}  // namespace

double searchPath(const PathGraph& graph, PathWorkspace& ws, Metric metric, NodeIndex source,
                  NodeIndex target, Heuristic heuristic, double bound) {
  const double* weight = graph.weights(metric);
  auto h = [&](NodeIndex n) -> double {
    switch (heuristic) {
      case Heuristic::None: return 0.0;
      case Heuristic::Geometry: return graph.lowerBound(metric, n, target);
      case Heuristic::ToTarget: return ws.to_target[n];
    }
    return 0.0;
  };
  ws.reached.clear();
  ws.settled.clear();
  auto& heap = ws.heap;
  heap.clear();
  ws.dist[source] = 0;
  ws.reached.set(source);
  heap.push_back({h(source), source});
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), kHeapOrder);
    const auto [key, n] = heap.back();
    heap.pop_back();
    if (ws.settled.test(n)) continue;
    if (key > bound) return kInfinity;
    ws.settled.set(n);
    if (n == target) return ws.dist[n];
    const double g = ws.dist[n];
    for (ArcIndex a = graph.arcBegin(n), end = graph.arcEnd(n); a < end; ++a) {
      const NodeIndex m = graph.head(a);
      if (ws.settled.test(m) || !fiberAllowed(ws, graph.fiber(a)) || !nodeAllowed(ws, m)) continue;
      const double candidate = g + weight[a];
      if (!ws.reached.test(m) || candidate < ws.dist[m]) {
        const double hm = h(m);
        if (hm == kInfinity) continue;
        ws.reached.set(m);
        ws.dist[m] = candidate;
        ws.parent[m] = a;
        heap.push_back({candidate + hm, m});
        std::push_heap(heap.begin(), heap.end(), kHeapOrder);
      }
    }
  }
  return kInfinity;
}

void computeDistancesTo(const PathGraph& graph, PathWorkspace& ws, Metric metric, NodeIndex target) {
  // Weights are symmetric, so distances to the target are distances from it.
  const double* weight = graph.weights(metric);
  std::fill(ws.to_target.begin(), ws.to_target.begin() + graph.nodeCount(), kInfinity);
  auto& heap = ws.heap;
  heap.clear();
  ws.to_target[target] = 0;
  heap.push_back({0, target});
  ws.settled.clear();
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), kHeapOrder);
    const auto [d, n] = heap.back();
    heap.pop_back();
    if (ws.settled.test(n)) continue;
    ws.settled.set(n);
    for (ArcIndex a = graph.arcBegin(n), end = graph.arcEnd(n); a < end; ++a) {
      const NodeIndex m = graph.head(a);
      if (ws.request_fibers.test(graph.fiber(a)) || ws.request_nodes.test(m)) continue;
      const double candidate = d + weight[a];
      if (candidate < ws.to_target[m]) {
        ws.to_target[m] = candidate;
        heap.push_back({candidate, m});
        std::push_heap(heap.begin(), heap.end(), kHeapOrder);
      }
    }
  }
}

void measurePath(const PathGraph& graph, Metric metric, Path& path) {
  path.length = Km(0);
  path.latency = Micros(0);
  path.cost = 0;
  for (FiberIndex f : path.fibers) {
    path.length += graph.topology().fiber(f).length;
    path.latency += Micros(graph.fiberWeight(Metric::Latency, f));
    path.cost += graph.fiberWeight(metric, f);
  }
}

Path tracePath(const PathGraph& graph, const PathWorkspace& ws, Metric metric, NodeIndex source,
               NodeIndex target) {
  Path path;
  for (NodeIndex n = target; n != source;) {
    const ArcIndex a = ws.parent[n];
    path.nodes.push_back(n);
    path.fibers.push_back(graph.fiber(a));
    n = graph.tail(a);
  }
  path.nodes.push_back(source);
  std::reverse(path.nodes.begin(), path.nodes.end());
  std::reverse(path.fibers.begin(), path.fibers.end());
  measurePath(graph, metric, path);
  return path;
}

}  // namespace lightpath::pce
