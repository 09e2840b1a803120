// Topology statistics.
#include "lightpath/model/statistics.h"

#include <algorithm>
#include <limits>
#include <queue>

namespace lightpath {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Distances by km from `source` (infinity where unreachable); returns the farthest reachable node.
NodeIndex distancesFrom(const Topology& t, NodeIndex source, std::vector<double>& dist) {
  using Entry = std::pair<double, NodeIndex>;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue;
  std::fill(dist.begin(), dist.end(), kInf);
  dist[source] = 0;
  queue.push({0, source});
  NodeIndex farthest = source;
  while (!queue.empty()) {
    auto [d, n] = queue.top();
    queue.pop();
    if (d > dist[n]) continue;
    if (d > dist[farthest] || (d == dist[farthest] && n < farthest)) farthest = n;
    for (FiberIndex f : t.fibersAt(n)) {
      const NodeIndex m = t.otherEnd(f, n);
      const double nd = d + t.fiber(f).length.value();
      if (nd < dist[m]) {
        dist[m] = nd;
        queue.push({nd, m});
      }
    }
  }
  return farthest;
}

}  // namespace

// Bounding diameters (Takes & Kosters, "Determining the diameter of small world networks",
// CIKM 2011), which holds for any metric: one Dijkstra from v gives every w the bounds
// max(d(v,w), ecc(v) - d(v,w)) <= ecc(w) <= ecc(v) + d(v,w). Nodes whose upper bound cannot
// beat the best eccentricity found are dropped; the rest are taken largest upper bound first
// (alternating with smallest lower bound, which tightens the upper bounds). Exact; on road-like
// networks a handful of searches instead of one per node.
Diameter exactDiameter(const Topology& t) {
  const std::size_t n = t.nodes().size();
  Diameter best;
  if (n == 0) return best;
  std::vector<double> lower(n, 0), upper(n, kInf), dist(n);
  std::vector<char> open(n, 1);
  std::size_t remaining = n;
  bool pick_upper = true;
  while (remaining > 0) {
    // The next node: alternately the largest upper and the smallest lower bound (ties: lowest
    // index).
    NodeIndex v = 0;
    bool found = false;
    for (NodeIndex w = 0; w < n; ++w) {
      if (!open[w]) continue;
      if (!found || (pick_upper ? upper[w] > upper[v] : lower[w] < lower[v])) v = w, found = true;
    }
    pick_upper = !pick_upper;
    const NodeIndex far = distancesFrom(t, v, dist);
    const double ecc = dist[far];
    open[v] = 0;
    --remaining;
    if (ecc > best.length.value()) best = {Km(ecc), std::min(v, far), std::max(v, far)};
    for (NodeIndex w = 0; w < n; ++w) {
      if (!open[w] || dist[w] == kInf) continue;
      lower[w] = std::max({lower[w], dist[w], ecc - dist[w]});
      upper[w] = std::min(upper[w], ecc + dist[w]);
    }
    for (NodeIndex w = 0; w < n; ++w) {
      // Done with w when it cannot beat the best. (One whose eccentricity is known and larger
      // stays open: the search from it names the diameter's ends.)
      if (open[w] && upper[w] <= best.length.value()) {
        open[w] = 0;
        --remaining;
      }
    }
  }
  return best;
}

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

  const Diameter d = exactDiameter(t);
  s.diameter = d.length;
  if (d.length.value() > 0) {
    s.diameter_from = t.node(d.from).id;
    s.diameter_to = t.node(d.to).id;
  }
  return s;
}

}  // namespace lightpath
