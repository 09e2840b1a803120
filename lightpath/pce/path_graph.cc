// Building the CSR path graph and the landmark distances for goal-directed search.
#include "lightpath/pce/path_graph.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace lightpath {

std::string_view toString(Metric metric) {
  switch (metric) {
    case Metric::Km:
      return "km";
    case Metric::Latency:
      return "latency";
    case Metric::Hops:
      return "hops";
    case Metric::Cost:
      return "cost";
  }
  return "unknown";
}

Result<Metric> parseMetric(std::string_view text) {
  for (Metric m : {Metric::Km, Metric::Latency, Metric::Hops, Metric::Cost}) {
    if (toString(m) == text) return m;
  }
  return fail(invalidArgument(
      fmt::format("unknown metric '{}': expected km, latency, hops or cost", text)));
}

PathGraph::PathGraph(std::shared_ptr<const Topology> topology, PathGraphOptions options)
    : topology_(std::move(topology)), options_(options) {
  const Topology& t = *topology_;
  node_count_ = static_cast<std::uint32_t>(t.nodes().size());
  const auto fiber_count = static_cast<std::uint32_t>(t.fibers().size());

  // Arcs grouped by tail node, in the topology's adjacency order (deterministic ties).
  arc_start_.assign(node_count_ + 1, 0);
  for (NodeIndex n = 0; n < node_count_; ++n) {
    arc_start_[n + 1] = arc_start_[n] + static_cast<std::uint32_t>(t.degree(n));
  }
  const std::uint32_t arc_count = arc_start_[node_count_];
  head_.resize(arc_count);
  tail_.resize(arc_count);
  fiber_.resize(arc_count);
  fiber_arc_.assign(fiber_count, 0);
  for (auto& w : weights_) w.resize(arc_count);
  for (NodeIndex n = 0; n < node_count_; ++n) {
    ArcIndex a = arc_start_[n];
    for (FiberIndex f : t.fibersAt(n)) {
      const Fiber& fiber = t.fiber(f);
      head_[a] = t.otherEnd(f, n);
      tail_[a] = n;
      fiber_[a] = f;
      fiber_arc_[f] = a;
      weights_[static_cast<int>(Metric::Km)][a] = fiber.length.value();
      weights_[static_cast<int>(Metric::Latency)][a] =
          fiberLatency(fiber.length).value() + options_.node_latency.value();
      weights_[static_cast<int>(Metric::Hops)][a] = 1.0;
      weights_[static_cast<int>(Metric::Cost)][a] = fiber.cost.value_or(fiber.length.value());
      ++a;
    }
  }

  for (NodeIndex n = 0; n < node_count_; ++n) {
    if (!t.node(n).transit) non_transit_.push_back(n);
  }

  // SRLG membership both ways, as CSR.
  const auto srlg_count = static_cast<std::uint32_t>(t.srlgs().size());
  srlg_start_.assign(fiber_count + 1, 0);
  fiber_start_.assign(srlg_count + 1, 0);
  for (FiberIndex f = 0; f < fiber_count; ++f) {
    for (const std::string& id : t.fiber(f).srlgs) {
      if (auto s = findSrlg(id)) {
        srlg_of_fiber_.push_back(*s);
        ++fiber_start_[*s + 1];
      }
    }
    srlg_start_[f + 1] = static_cast<std::uint32_t>(srlg_of_fiber_.size());
  }
  for (SrlgIndex s = 0; s < srlg_count; ++s) fiber_start_[s + 1] += fiber_start_[s];
  fiber_of_srlg_.resize(fiber_start_[srlg_count]);
  std::vector<std::uint32_t> fill(fiber_start_.begin(), fiber_start_.end() - 1);
  for (FiberIndex f = 0; f < fiber_count; ++f) {
    for (SrlgIndex s : srlgsOf(f)) fiber_of_srlg_[fill[s]++] = f;
  }

  computeLandmarks();
}

void PathGraph::computeLandmarks() {
  // Up to 32 landmarks, spread by farthest-point selection: each new one is the node farthest
  // from all chosen so far (nodes no landmark reaches count as farthest, so every connected
  // part gets one).
  constexpr std::uint32_t kMaxLandmarks = 32;
  constexpr double kInf = std::numeric_limits<double>::infinity();
  landmark_count_ = std::min(kMaxLandmarks, node_count_);
  std::vector<double> dist(node_count_);
  using Entry = std::pair<double, NodeIndex>;
  std::vector<Entry> heap;
  auto distancesFrom = [&](Metric m, NodeIndex source) {
    std::fill(dist.begin(), dist.end(), kInf);
    dist[source] = 0;
    heap.assign(1, {0, source});
    while (!heap.empty()) {
      std::pop_heap(heap.begin(), heap.end(), std::greater<>());
      auto [d, n] = heap.back();
      heap.pop_back();
      if (d > dist[n]) continue;
      for (ArcIndex a = arcBegin(n); a < arcEnd(n); ++a) {
        const double nd = d + weights(m)[a];
        if (nd < dist[head(a)]) {
          dist[head(a)] = nd;
          heap.push_back({nd, head(a)});
          std::push_heap(heap.begin(), heap.end(), std::greater<>());
        }
      }
    }
  };
  for (Metric m : {Metric::Km, Metric::Latency, Metric::Hops, Metric::Cost}) {
    auto& table = landmark_distance_[static_cast<int>(m)];
    table.assign(std::size_t{node_count_} * landmark_count_, kInf);
    std::vector<double> nearest(node_count_, kInf);  // distance to the closest landmark
    NodeIndex next = 0;
    distancesFrom(m, 0);
    for (NodeIndex n = 0; n < node_count_; ++n) {
      if (dist[n] != kInf && dist[n] > dist[next]) next = n;
    }
    for (std::uint32_t l = 0; l < landmark_count_; ++l) {
      distancesFrom(m, next);
      for (NodeIndex n = 0; n < node_count_; ++n) {
        table[std::size_t{n} * landmark_count_ + l] = dist[n];
        nearest[n] = std::min(nearest[n], dist[n]);
      }
      // Farthest from every landmark so far; ties to the lower index.
      NodeIndex farthest = 0;
      for (NodeIndex n = 1; n < node_count_; ++n) {
        if (nearest[n] > nearest[farthest]) farthest = n;
      }
      next = farthest;
    }
  }
}

std::optional<SrlgIndex> PathGraph::findSrlg(std::string_view id) const {
  const Srlg* s = topology_->findSrlg(id);
  if (!s) return std::nullopt;
  return static_cast<SrlgIndex>(s - topology_->srlgs().data());
}

}  // namespace lightpath
