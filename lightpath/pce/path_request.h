// What a caller asks the path engine for, and what it gets back.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "lightpath/pce/path_graph.h"

namespace lightpath {

// Free resources as the caller sees them (optical/ and ledger/ implement it). The engine asks
// only about fibers, once per request, and treats a fiber with less than the request's
// min_free as absent. Implementations must be safe to call from the thread running the query.
class ResourceView {
 public:
  virtual ~ResourceView() = default;
  // Free capacity on a fiber, in the unit the caller's min_free uses (Gbps, slots, ...).
  virtual double freeCapacity(FiberIndex fiber) const = 0;
};

struct PathConstraints {
  std::optional<Micros> max_latency;
  std::optional<int> max_hops;
  std::optional<double> min_free;  // needs a ResourceView
  std::vector<NodeIndex> exclude_nodes;
  std::vector<FiberIndex> exclude_fibers;
  std::vector<SrlgIndex> exclude_srlgs;
  // Waypoints, in order: a node to pass through, or a fiber to cross (either way).
  struct Waypoint {
    bool is_fiber = false;
    std::uint32_t index = 0;  // NodeIndex or FiberIndex
  };
  std::vector<Waypoint> via;

  bool hasPathBounds() const { return max_latency || max_hops; }
};

struct PathRequest {
  NodeIndex from = 0;
  NodeIndex to = 0;
  Metric metric = Metric::Km;
  PathConstraints constraints;
  const ResourceView* resources = nullptr;
};

struct Path {
  std::vector<NodeIndex> nodes;
  std::vector<FiberIndex> fibers;
  Km length{0};
  Micros latency{0};
  double cost = 0;  // the request's metric, summed
  int hops() const { return static_cast<int>(fibers.size()); }
  bool operator==(const Path& other) const {
    return fibers == other.fibers && nodes == other.nodes;
  }
};

enum class Diversity { Fiber, Node, Srlg };
std::string_view toString(Diversity diversity);
Result<Diversity> parseDiversity(std::string_view text);

struct DiversePair {
  Path working;
  Path protection;
  // True when the pair is proven to have the least total metric among all pairs of the
  // requested diversity that meet the constraints; false when it is the best found within the
  // search budget (SRLG diversity is NP-hard in general).
  bool optimal = true;
};

}  // namespace lightpath
