// PathGraph: the compact, read-only graph that path computation runs on, built once per
// topology snapshot. Every fiber pair becomes two directed arcs in CSR order; per-metric arc
// weights, the SRLGs of each fiber and the landmark distances for goal-directed search (ALT)
// sit in contiguous arrays.
//
//   PathGraph graph(topology);                     // O(V + E), then immutable
//   for (ArcIndex a : graph.arcsFrom(n)) graph.head(a), graph.weight(Metric::Km, a) ...
//
// Thread-safety: immutable after construction; share freely between threads.
#pragma once

#include <array>
#include <cmath>
#include <memory>
#include <span>
#include <vector>

#include "lightpath/model/topology.h"

namespace lightpath {

using ArcIndex = std::uint32_t;
using SrlgIndex = std::uint32_t;

// What "shortest" means.
enum class Metric {
  Km,       // fiber length
  Latency,  // 4.9 us/km plus the per-node cost
  Hops,     // number of fibers
  Cost,     // the operator's administrative cost (the fiber length where none is set)
};
inline constexpr std::size_t kMetricCount = 4;
std::string_view toString(Metric metric);
Result<Metric> parseMetric(std::string_view text);

struct PathGraphOptions {
  // Latency added for each node a path enters (ROADM pass-through, transponder processing).
  Micros node_latency{0};
};

class PathGraph {
 public:
  explicit PathGraph(std::shared_ptr<const Topology> topology, PathGraphOptions options = {});

  const Topology& topology() const { return *topology_; }
  const std::shared_ptr<const Topology>& topologyPtr() const { return topology_; }
  const PathGraphOptions& options() const { return options_; }

  std::uint32_t nodeCount() const { return node_count_; }
  std::uint32_t arcCount() const { return static_cast<std::uint32_t>(head_.size()); }
  std::uint32_t fiberCount() const {
    return static_cast<std::uint32_t>(topology_->fibers().size());
  }
  std::uint32_t srlgCount() const { return static_cast<std::uint32_t>(topology_->srlgs().size()); }

  // Arcs leaving node n: [arcBegin(n), arcEnd(n)).
  ArcIndex arcBegin(NodeIndex n) const { return arc_start_[n]; }
  ArcIndex arcEnd(NodeIndex n) const { return arc_start_[n + 1]; }
  NodeIndex head(ArcIndex a) const { return head_[a]; }
  NodeIndex tail(ArcIndex a) const { return tail_[a]; }
  FiberIndex fiber(ArcIndex a) const { return fiber_[a]; }
  const double* weights(Metric metric) const { return weights_[static_cast<int>(metric)].data(); }
  double weight(Metric metric, ArcIndex a) const { return weights(metric)[a]; }

  // The metric value of one fiber (either direction).
  double fiberWeight(Metric metric, FiberIndex f) const { return weight(metric, fiber_arc_[f]); }

  std::span<const SrlgIndex> srlgsOf(FiberIndex f) const {
    return {srlg_of_fiber_.data() + srlg_start_[f], srlg_of_fiber_.data() + srlg_start_[f + 1]};
  }
  std::span<const FiberIndex> fibersOf(SrlgIndex s) const {
    return {fiber_of_srlg_.data() + fiber_start_[s], fiber_of_srlg_.data() + fiber_start_[s + 1]};
  }
  std::optional<SrlgIndex> findSrlg(std::string_view id) const;

  // Nodes paths may start or end at but not pass through.
  std::span<const NodeIndex> nonTransitNodes() const { return non_transit_; }

  // Goal direction (ALT: A*, landmarks, triangle inequality). Exact distances from a few
  // landmarks bound the distance between any two nodes from below:
  // d(v, t) >= |d(L, t) - d(L, v)|. The bound is consistent and stays valid when constraints
  // remove fibers or nodes (distances only grow). Infinity when v and t cannot meet.
  std::uint32_t landmarkCount() const { return landmark_count_; }
  const double* landmarkRow(Metric metric, NodeIndex n) const {
    return landmark_distance_[static_cast<int>(metric)].data() + std::size_t{n} * landmark_count_;
  }
  double lowerBound(Metric metric, NodeIndex v, NodeIndex t) const {
    return lowerBound(landmarkRow(metric, v), landmarkRow(metric, t));
  }
  double lowerBound(const double* v_row, const double* t_row) const {
    double bound = 0;
    for (std::uint32_t l = 0; l < landmark_count_; ++l) {
      const double a = v_row[l], b = t_row[l];
      if (a == b) continue;                    // also inf == inf: no information
      const double d = a > b ? a - b : b - a;  // inf when only one side is reachable
      if (d > bound) bound = d;
    }
    return bound;
  }

 private:
  void computeLandmarks();

  std::shared_ptr<const Topology> topology_;
  PathGraphOptions options_;
  std::uint32_t node_count_ = 0;
  std::vector<ArcIndex> arc_start_;
  std::vector<NodeIndex> head_, tail_;
  std::vector<FiberIndex> fiber_;
  std::vector<ArcIndex> fiber_arc_;  // one arc per fiber, for fiberWeight
  std::array<std::vector<double>, kMetricCount> weights_;
  std::vector<std::uint32_t> srlg_start_;
  std::vector<SrlgIndex> srlg_of_fiber_;
  std::vector<std::uint32_t> fiber_start_;
  std::vector<FiberIndex> fiber_of_srlg_;
  std::vector<NodeIndex> non_transit_;
  std::uint32_t landmark_count_ = 0;
  std::array<std::vector<double>, kMetricCount> landmark_distance_;  // [node][landmark]
};

}  // namespace lightpath
