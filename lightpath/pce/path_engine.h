// PathEngine: shortest, constrained, k-shortest and diverse paths on one topology snapshot.
// Pure: no I/O, no clock, no threads of its own.
//
//   PathEngine engine(topology);                              // builds the PathGraph once
//   PathWorkspace workspace;                                  // one per thread
//   PathRequest request{.from = a, .to = z, .metric = Metric::Latency};
//   request.constraints.max_latency = Micros(9000);
//   Result<Path> path = engine.shortestPath(request, workspace);
//   if (!path) log(path.error().message());  // says which constraint binds, with the values
//
// Thread-safety: const methods may run concurrently, each thread with its own workspace.
// Failures: InvalidArgument for a malformed request (unknown or identical ends, bad ids);
// FailedPrecondition when no path meets the constraints, with the reason.
#pragma once

#include <memory>
#include <vector>

#include "lightpath/pce/path_graph.h"
#include "lightpath/pce/path_request.h"
#include "lightpath/pce/workspace.h"

namespace lightpath {

struct PathEngineOptions {
  PathGraphOptions graph;
  // A* with landmark (ALT) lower bounds on graphs of at least this many nodes; below it plain
  // Dijkstra is faster (bench/path_compare: the crossover lies between 75 and 250 nodes).
  std::uint32_t goal_directed_min_nodes = 128;
  // How many routes (in metric order) a search for a path meeting max_latency / max_hops, or
  // for an SRLG-disjoint partner, may examine before settling for the best found.
  int enumeration_budget = 256;
};

class PathEngine {
 public:
  explicit PathEngine(std::shared_ptr<const Topology> topology, PathEngineOptions options = {});

  const PathGraph& graph() const { return graph_; }
  const Topology& topology() const { return graph_.topology(); }

  Result<Path> shortestPath(const PathRequest& request, PathWorkspace& ws) const;

  // Up to k loopless paths in order of the metric (k <= 1000), all meeting the constraints.
  // Fewer when fewer exist; FailedPrecondition when none does.
  Result<std::vector<Path>> kShortestPaths(const PathRequest& request, int k,
                                           PathWorkspace& ws) const;

  // Two paths with nothing of the given kind in common (SRLG diversity also implies fiber
  // diversity), the pair of least total metric where it can be proven; both legs meet the
  // constraints. FailedPrecondition names what every route crosses when there is no pair.
  Result<DiversePair> diversePair(const PathRequest& request, Diversity diversity,
                                  PathWorkspace& ws) const;

  // Resolves a node id or name, or a site id or name with exactly one node.
  Result<NodeIndex> resolveNode(std::string_view name) const;
  // Resolves an id to exclude: a node, a fiber or an SRLG, in that order.
  Status addExclusion(std::string_view id, PathConstraints& constraints) const;

 private:
  Status prepare(const PathRequest& request, PathWorkspace& ws) const;
  Result<Path> searchUnbounded(const PathRequest& request, PathWorkspace& ws) const;
  Result<Path> searchVia(const PathRequest& request, PathWorkspace& ws) const;
  Status explainUnreachable(const PathRequest& request, PathWorkspace& ws) const;
  Status explainBounds(const PathRequest& request, PathWorkspace& ws) const;
  // Fails with the explanation when even the fastest (or fewest-hop) route breaks a bound;
  // hands those routes back for use as fallbacks.
  Status checkBoundsReachable(const PathRequest& request, PathWorkspace& ws,
                              std::optional<Path>* fastest, std::optional<Path>* fewest) const;
  bool meetsBounds(const PathRequest& request, const Path& path) const;
  std::string describeNode(NodeIndex n) const;
  std::string describeFiber(FiberIndex f) const;

  PathGraph graph_;
  PathEngineOptions options_;
};

}  // namespace lightpath
