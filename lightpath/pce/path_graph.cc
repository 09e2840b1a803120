// Building the CSR path graph and the lower-bound factors for goal-directed search.
#include "lightpath/pce/path_graph.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include <fmt/format.h>

namespace lightpath {

std::string_view toString(Metric metric) {
  switch (metric) {
    case Metric::Km: return "km";
    case Metric::Latency: return "latency";
    case Metric::Hops: return "hops";
    case Metric::Cost: return "cost";
  }
  return "unknown";
}

Result<Metric> parseMetric(std::string_view text) {
  for (Metric m : {Metric::Km, Metric::Latency, Metric::Hops, Metric::Cost}) {
    if (toString(m) == text) return m;
  }
  return fail(invalidArgument(fmt::format("unknown metric '{}': expected km, latency, hops or cost",
                                          text)));
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

  // Positions on a sphere of the Earth's radius: the chord between two points never exceeds
  // the great circle, which never exceeds the fiber. The factor per metric is the least
  // weight per chord-km over all arcs, so factor x chord is a consistent lower bound.
  unit_.assign(node_count_, {0, 0, 0});
  bool all_positioned = node_count_ > 0;
  for (NodeIndex n = 0; n < node_count_; ++n) {
    auto p = t.location(n);
    if (!p) {
      all_positioned = false;
      break;
    }
    const double lat = p->lat * std::numbers::pi / 180, lon = p->lon * std::numbers::pi / 180;
    unit_[n] = {kEarthRadiusKm * std::cos(lat) * std::cos(lon),
                kEarthRadiusKm * std::cos(lat) * std::sin(lon), kEarthRadiusKm * std::sin(lat)};
  }
  bound_factor_.fill(0);
  if (!all_positioned) return;
  for (Metric m : {Metric::Km, Metric::Latency, Metric::Cost}) {
    double factor = std::numeric_limits<double>::infinity();
    for (ArcIndex a = 0; a < arc_count && factor > 0; ++a) {
      const auto& p = unit_[tail_[a]];
      const auto& q = unit_[head_[a]];
      double chord = std::sqrt((p[0] - q[0]) * (p[0] - q[0]) + (p[1] - q[1]) * (p[1] - q[1]) +
                               (p[2] - q[2]) * (p[2] - q[2]));
      if (chord > 1e-9) factor = std::min(factor, weights(m)[a] / chord);
    }
    // Leave a hair of slack for rounding, so the bound never exceeds a true distance.
    bound_factor_[static_cast<int>(m)] = std::isfinite(factor) ? factor * (1 - 1e-9) : 0;
  }
}

std::optional<SrlgIndex> PathGraph::findSrlg(std::string_view id) const {
  const Srlg* s = topology_->findSrlg(id);
  if (!s) return std::nullopt;
  return static_cast<SrlgIndex>(s - topology_->srlgs().data());
}

}  // namespace lightpath
