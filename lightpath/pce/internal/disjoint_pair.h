// The fiber- or node-disjoint pair of least total metric: Suurballe's idea as a min-cost flow
// of two units (successive shortest paths with potentials), on the workspace's request marks.
#pragma once

#include <optional>
#include <variant>

#include "lightpath/pce/internal/search.h"

namespace lightpath::pce {

// Why no disjoint pair exists: what every route between the two ends crosses.
struct DisjointCut {
  std::optional<FiberIndex> fiber;  // a bridge fiber
  std::optional<NodeIndex> node;    // a cut node (node-disjoint only)
  bool disconnected = false;        // not even one route
};

struct DisjointPairResult {
  std::optional<std::pair<Path, Path>> pair;  // shorter first
  DisjointCut cut;                            // when there is no pair
};

DisjointPairResult findDisjointPair(const PathGraph& graph, PathWorkspace& ws, Metric metric,
                                    NodeIndex source, NodeIndex target, bool node_disjoint);

}  // namespace lightpath::pce
