// Summary statistics of a topology, as `lightpath topology inspect` prints them: counts,
// lengths, degrees, components and the diameter in km and one-way latency.
#pragma once

#include <map>
#include <string>

#include "lightpath/model/topology.h"

namespace lightpath {

struct TopologyStatistics {
  std::map<SiteKind, std::size_t> sites_by_kind;
  std::size_t sites = 0, nodes = 0, fibers = 0, srlgs = 0, ports = 0, transceivers = 0;
  Km total_length{0};
  std::string longest_fiber;  // id; empty when there are no fibers
  Km longest_fiber_length{0};
  std::size_t estimated_lengths = 0;  // fibers whose length is estimated or assumed
  std::size_t components = 0;
  std::size_t min_degree = 0, max_degree = 0;
  double mean_degree = 0;
  // The longest shortest path (by km) between two nodes that can reach each other.
  Km diameter{0};
  std::string diameter_from, diameter_to;  // node ids
};

// The diameter comes from exactDiameter(): a few shortest-path searches on real networks rather
// than one per node, so thousands of nodes take milliseconds.
TopologyStatistics computeStatistics(const Topology& topology);

// The longest shortest path by km between two connected nodes (0 when there is none), and its
// ends (lower index first). Exact.
struct Diameter {
  Km length{0};
  NodeIndex from = 0, to = 0;
};
Diameter exactDiameter(const Topology& topology);

}  // namespace lightpath
