// Dijkstra / A* on the CSR path graph. Kept small and specialised at compile time (which
// heuristic, whether any fiber or node is ruled out): this is where the time goes.
#include "lightpath/pce/internal/search.h"

#include <algorithm>

#include "lightpath/pce/internal/min_heap.h"

namespace lightpath::pce {
namespace {

std::uint32_t nextGeneration(std::vector<std::uint32_t>& state, std::uint32_t& generation) {
  generation += 2;
  if (generation < 2) {  // wrapped after 2^31 searches: clear for real
    std::fill(state.begin(), state.end(), 0);
    generation = 2;
  }
  return generation;
}

struct NoBound {
  static constexpr bool kZero = true;
  double operator()(NodeIndex) const { return 0.0; }
};

// ALT with "active" landmarks: of all landmarks, the few that bound this source-target pair
// best, so each node costs a few subtractions rather than one per landmark.
struct LandmarkBound {
  static constexpr bool kZero = false;
  static constexpr std::uint32_t kActive = 6;
  const PathGraph& graph;
  Metric metric;
  std::uint32_t count = 0;
  std::uint32_t landmark[kActive];
  double at_target[kActive];

  LandmarkBound(const PathGraph& g, Metric m, NodeIndex source, NodeIndex target)
      : graph(g), metric(m) {
    const double* s = graph.landmarkRow(metric, source);
    const double* t = graph.landmarkRow(metric, target);
    double score[kActive];
    for (std::uint32_t l = 0; l < graph.landmarkCount(); ++l) {
      const double d = s[l] == t[l] ? 0.0 : (s[l] > t[l] ? s[l] - t[l] : t[l] - s[l]);
      // Keep the kActive best, sorted by score (insertion into a tiny array).
      std::uint32_t at = count < kActive ? count++ : kActive;
      if (at == kActive && !(d > score[kActive - 1])) continue;
      if (at == kActive) at = kActive - 1;
      while (at > 0 && score[at - 1] < d) {
        score[at] = score[at - 1];
        landmark[at] = landmark[at - 1];
        --at;
      }
      score[at] = d;
      landmark[at] = l;
    }
    for (std::uint32_t i = 0; i < count; ++i) at_target[i] = t[landmark[i]];
  }

  double operator()(NodeIndex n) const {
    const double* row = graph.landmarkRow(metric, n);
    double bound = 0;
    for (std::uint32_t i = 0; i < count; ++i) {
      const double a = row[landmark[i]], b = at_target[i];
      if (a == b) continue;
      const double d = a > b ? a - b : b - a;  // inf when only one side is reachable
      if (d > bound) bound = d;
    }
    return bound;
  }
};

struct ToTargetBound {
  static constexpr bool kZero = false;
  const double* to_target;
  double operator()(NodeIndex n) const { return to_target[n]; }
};

template <typename Bound, bool kMarks>
double search(const PathGraph& graph, PathWorkspace& ws, const double* weight, NodeIndex source,
              NodeIndex target, Bound bound_of, double limit) {
  const std::uint32_t reached = nextGeneration(ws.state, ws.generation), settled = reached + 1;
  std::uint32_t* state = ws.state.data();
  double* dist = ws.dist.data();
  double* bound = ws.bound.data();
  ArcIndex* parent = ws.parent.data();
  MinHeap heap(ws.heap);

  dist[source] = 0;
  bound[source] = bound_of(source);
  state[source] = reached;
  heap.push(bound[source], source);
  while (!heap.empty()) {
    const auto [key, n] = heap.pop();
    if (state[n] == settled) continue;
    if (key > limit) return kInfinity;
    state[n] = settled;
    if (n == target) return dist[n];
    const double g = dist[n];
    for (ArcIndex a = graph.arcBegin(n), end = graph.arcEnd(n); a < end; ++a) {
      const NodeIndex m = graph.head(a);
      const std::uint32_t s = state[m];
      if (s == settled) continue;
      if constexpr (kMarks) {
        if (!fiberAllowed(ws, graph.fiber(a)) || !nodeAllowed(ws, m)) continue;
      }
      const double candidate = g + weight[a];
      if (s != reached) {
        if constexpr (!Bound::kZero) {
          bound[m] = bound_of(m);
          if (bound[m] == kInfinity) {
            state[m] = settled;  // cannot reach the target: never look again
            continue;
          }
        }
        state[m] = reached;
      } else if (candidate >= dist[m]) {
        continue;
      }
      dist[m] = candidate;
      parent[m] = a;
      if constexpr (Bound::kZero) {
        heap.push(candidate, m);
      } else {
        heap.push(candidate + bound[m], m);
      }
    }
  }
  return kInfinity;
}

template <typename Bound>
double searchWith(const PathGraph& graph, PathWorkspace& ws, const double* weight, NodeIndex source,
                  NodeIndex target, Bound bound_of, double limit) {
  // Most queries rule nothing out; those skip the mark checks in the inner loop.
  const bool marks = ws.anyMarks();
  return marks ? search<Bound, true>(graph, ws, weight, source, target, bound_of, limit)
               : search<Bound, false>(graph, ws, weight, source, target, bound_of, limit);
}

}  // namespace

double searchPath(const PathGraph& graph, PathWorkspace& ws, Metric metric, NodeIndex source,
                  NodeIndex target, Heuristic heuristic, double limit) {
  const double* weight = graph.weights(metric);
  switch (heuristic) {
    case Heuristic::None:
      return searchWith(graph, ws, weight, source, target, NoBound{}, limit);
    case Heuristic::Landmarks:
      return searchWith(graph, ws, weight, source, target,
                        LandmarkBound(graph, metric, source, target), limit);
    case Heuristic::ToTarget:
      return searchWith(graph, ws, weight, source, target, ToTargetBound{ws.to_target.data()},
                        limit);
  }
  return kInfinity;
}

void computeDistancesTo(const PathGraph& graph, PathWorkspace& ws, Metric metric,
                        NodeIndex target) {
  // Weights are symmetric, so distances to the target are distances from it.
  const double* weight = graph.weights(metric);
  std::fill(ws.to_target.begin(), ws.to_target.begin() + graph.nodeCount(), kInfinity);
  MinHeap heap(ws.heap);
  ws.to_target[target] = 0;
  heap.push(0, target);
  while (!heap.empty()) {
    const auto [d, n] = heap.pop();
    if (d > ws.to_target[n]) continue;
    for (ArcIndex a = graph.arcBegin(n), end = graph.arcEnd(n); a < end; ++a) {
      const NodeIndex m = graph.head(a);
      if (ws.request_fibers.test(graph.fiber(a)) || ws.request_nodes.test(m)) continue;
      const double candidate = d + weight[a];
      if (candidate < ws.to_target[m]) {
        ws.to_target[m] = candidate;
        ws.to_target_next[m] = n;
        ws.to_target_fiber[m] = graph.fiber(a);
        heap.push(candidate, m);
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
  // Count first, then fill from the back: two allocations per path, not one per doubling.
  std::size_t hops = 0;
  for (NodeIndex n = target; n != source; n = graph.tail(ws.parent[n])) ++hops;
  Path path;
  path.nodes.resize(hops + 1);
  path.fibers.resize(hops);
  NodeIndex n = target;
  for (std::size_t i = hops; i > 0; --i) {
    const ArcIndex a = ws.parent[n];
    path.nodes[i] = n;
    path.fibers[i - 1] = graph.fiber(a);
    n = graph.tail(a);
  }
  path.nodes[0] = source;
  measurePath(graph, metric, path);
  return path;
}

}  // namespace lightpath::pce
