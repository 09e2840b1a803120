// The hot loop of path computation: Dijkstra, optionally goal-directed (A*), over a
// PathGraph with the fibers and nodes a workspace marks as ruled out.
#pragma once

#include <limits>

#include "lightpath/pce/path_request.h"
#include "lightpath/pce/workspace.h"

namespace lightpath::pce {

inline constexpr double kInfinity = std::numeric_limits<double>::infinity();

enum class Heuristic {
  None,       // plain Dijkstra
  Landmarks,  // ALT lower bounds from the graph's landmarks
  ToTarget,   // exact distances to the target in ws.to_target (Yen's spur searches)
};

// Least `metric` from `source` to `target` avoiding marked fibers and nodes; kInfinity when
// unreachable or when every route costs more than `bound`. The search tree stays in ws.parent.
double searchPath(const PathGraph& graph, PathWorkspace& ws, Metric metric, NodeIndex source,
                  NodeIndex target, Heuristic heuristic, double bound = kInfinity);

// Exact distances from every node to `target` (request marks only) into ws.to_target, and the
// shortest-path tree toward it (ws.to_target_next / to_target_fiber); nodes that cannot reach
// it get kInfinity.
void computeDistancesTo(const PathGraph& graph, PathWorkspace& ws, Metric metric, NodeIndex target);

// The path the last search found from source to target, with its length, latency and cost.
Path tracePath(const PathGraph& graph, const PathWorkspace& ws, Metric metric, NodeIndex source,
               NodeIndex target);

// Fills length, latency and cost of a path from its fibers.
void measurePath(const PathGraph& graph, Metric metric, Path& path);

inline bool fiberAllowed(const PathWorkspace& ws, FiberIndex f) {
  return !ws.request_fibers.test(f) && !ws.search_fibers.test(f);
}
inline bool nodeAllowed(const PathWorkspace& ws, NodeIndex n) {
  return !ws.request_nodes.test(n) && !ws.search_nodes.test(n);
}

}  // namespace lightpath::pce
