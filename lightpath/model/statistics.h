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
  std::string longest_fiber;           // id; empty when there are no fibers
  Km longest_fiber_length{0};
  std::size_t estimated_lengths = 0;   // fibers whose length is estimated or assumed
  std::size_t components = 0;
  std::size_t min_degree = 0, max_degree = 0;
  double mean_degree = 0;
  // The longest shortest path (by km) between two nodes that can reach each other.
  Km diameter{0};
  std::string diameter_from, diameter_to;  // node ids
};

// All-pairs shortest paths by km for the diameter: O(V (E + V) log V); well under a second
// for the largest shared networks (852 nodes).
TopologyStatistics computeStatistics(const Topology& topology);

}  // namespace lightpath
