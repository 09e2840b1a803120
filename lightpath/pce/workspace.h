// Workspace: the per-thread scratch memory of the path engine, so that a query allocates
// nothing once the buffers have grown to the graph's size.
//
//   thread_local PathWorkspace workspace;  // or one per worker
//   engine.shortestPath(request, workspace);
//
// Not thread-safe: one workspace per thread. It may be reused across engines and snapshots.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "lightpath/pce/path_graph.h"

namespace lightpath {

class PathWorkspace {
 public:
  PathWorkspace() = default;

  // Sizes the buffers for `graph`; clears all marks in O(1) amortized.
  void prepare(const PathGraph& graph);

  // Marks live for a generation: bumping the generation clears them all at once.
  struct Marks {
    std::vector<std::uint32_t> stamp;
    std::uint32_t generation = 1;
    bool any = false;  // whether anything is marked in this generation
    void resize(std::size_t n) {
      if (stamp.size() < n) stamp.resize(n, 0);
    }
    void clear() {
      any = false;
      if (++generation == 0) {  // wrapped: really clear once every 2^32 uses
        std::fill(stamp.begin(), stamp.end(), 0);
        generation = 1;
      }
    }
    void set(std::uint32_t i) {
      stamp[i] = generation;
      any = true;
    }
    bool test(std::uint32_t i) const { return stamp[i] == generation; }
  };

  // Per request: fibers and nodes the constraints rule out.
  Marks request_fibers, request_nodes;
  // Per search: fibers and nodes ruled out for one sub-search (Yen spurs, diverse partners).
  Marks search_fibers, search_nodes;
  bool anyMarks() const {
    return request_fibers.any || request_nodes.any || search_fibers.any || search_nodes.any;
  }

  // Flow nodes reached and settled in the current min-cost-flow search.
  Marks reached, settled;

  struct HeapEntry {
    double key;
    std::uint32_t node;
  };

  // The path search's own state per node: reached in this search when state == generation,
  // settled when state == generation + 1 (the generation moves by 2 per search).
  std::vector<std::uint32_t> state;
  std::uint32_t generation = 0;
  std::vector<double> dist;
  std::vector<double> bound;  // the heuristic's value, computed once per node per search
  std::vector<ArcIndex> parent;
  std::vector<HeapEntry> heap;
  std::vector<double> to_target;            // exact distances to the target, as a heuristic
  std::vector<NodeIndex> to_target_next;    // the shortest-path tree toward the target:
  std::vector<FiberIndex> to_target_fiber;  // next node and the fiber to it
  Marks to_target_known;

  // Min-cost flow (diverse pairs).
  struct FlowArc {
    std::uint32_t to;
    std::int32_t capacity;
    double cost;
    FiberIndex fiber;  // kNoIndex for node-split arcs
  };
  std::vector<FlowArc> flow_arcs;         // arc i and i^1 are each other's residual
  std::vector<std::uint32_t> flow_start;  // CSR over flow nodes
  std::vector<std::uint32_t> flow_order;
  std::vector<double> potential;
  std::vector<std::uint32_t> flow_parent;
};

}  // namespace lightpath
