// Topology statistics.
#include "lightpath/model/statistics.h"

#include <algorithm>
#include <limits>
#include <queue>

namespace lightpath {

TopologyStatistics computeStatistics(const Topology& t) {
  TopologyStatistics s;
  for (const Site& site : t.sites()) ++s.sites_by_kind[site.kind];
  s.sites = t.sites().size();
  s.nodes = t.nodes().size();
  s.fibers = t.fibers().size();
  s.srlgs = t.srlgs().size();
  s.ports = t.ports().size();
  s.transceivers = t.transceivers().size();
  for (const Fiber& f : t.fibers()) {
    s.total_length += f.length;
    if (f.length > s.longest_fiber_length) {
      s.longest_fiber_length = f.length;
      s.longest_fiber = f.id;
    }
    if (f.length_source != LengthSource::Measured) ++s.estimated_lengths;
  }
  s.components = t.componentCount();
  if (s.nodes > 0) {
    s.min_degree = std::numeric_limits<std::size_t>::max();
    for (NodeIndex n = 0; n < s.nodes; ++n) {
      s.min_degree = std::min(s.min_degree, t.degree(n));
      s.max_degree = std::max(s.max_degree, t.degree(n));
    }
    s.mean_degree = 2.0 * static_cast<double>(s.fibers) / static_cast<double>(s.nodes);
  }

  // Dijkstra from every node, reusing the buffers.
  constexpr double kInf = std::numeric_limits<double>::infinity();
  std::vector<double> dist(s.nodes);
  using Entry = std::pair<double, NodeIndex>;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue;
  for (NodeIndex source = 0; source < s.nodes; ++source) {
    std::fill(dist.begin(), dist.end(), kInf);
    dist[source] = 0;
    queue.push({0, source});
    while (!queue.empty()) {
      auto [d, n] = queue.top();
      queue.pop();
      if (d > dist[n]) continue;
      if (d > s.diameter.value()) {
        s.diameter = Km(d);
        s.diameter_from = t.node(source).id;
        s.diameter_to = t.node(n).id;
      }
      for (FiberIndex f : t.fibersAt(n)) {
        NodeIndex m = t.otherEnd(f, n);
        double nd = d + t.fiber(f).length.value();
        if (nd < dist[m]) {
          dist[m] = nd;
          queue.push({nd, m});
        }
      }
    }
  }
  return s;
}

}  // namespace lightpath
