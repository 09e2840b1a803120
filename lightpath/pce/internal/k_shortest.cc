// Yen's algorithm with Lawler's rule.
#include "lightpath/pce/internal/k_shortest.h"

#include <algorithm>

namespace lightpath::pce {
namespace {

bool before(const Path& a, const Path& b) {
  if (a.cost != b.cost) return a.cost < b.cost;
  if (a.fibers.size() != b.fibers.size()) return a.fibers.size() < b.fibers.size();
  return a.fibers < b.fibers;
}

}  // namespace

KShortestPaths::KShortestPaths(const PathGraph& graph, PathWorkspace& ws, Metric metric,
                               NodeIndex source, NodeIndex target)
    : graph_(graph), ws_(ws), metric_(metric), source_(source), target_(target) {}

std::optional<Path> KShortestPaths::next() {
  if (!started_) {
    started_ = true;
    computeDistancesTo(graph_, ws_, metric_, target_);
    if (ws_.to_target[source_] == kInfinity) return std::nullopt;
    ws_.search_fibers.clear();
    ws_.search_nodes.clear();
    if (searchPath(graph_, ws_, metric_, source_, target_, Heuristic::ToTarget) == kInfinity) {
      return std::nullopt;
    }
    Candidate first{tracePath(graph_, ws_, metric_, source_, target_), 0};
    seen_.insert(first.path.fibers);
    found_.push_back(std::move(first));
    return found_.back().path;
  }
  if (found_.empty()) return std::nullopt;
  addSpurCandidates(found_.back());
  if (candidates_.empty()) return std::nullopt;
  auto best = std::min_element(candidates_.begin(), candidates_.end(),
                               [](const Candidate& a, const Candidate& b) { return before(a.path, b.path); });
  found_.push_back(std::move(*best));
  candidates_.erase(best);
  return found_.back().path;
}

void KShortestPaths::addSpurCandidates(const Candidate& from) {
  const Path& path = from.path;
  for (std::size_t i = from.deviation; i + 1 < path.nodes.size(); ++i) {
    const NodeIndex spur = path.nodes[i];
    ws_.search_fibers.clear();
    ws_.search_nodes.clear();
    // Leave the root by a fiber no earlier path with the same root took. Roots compare by
    // fibers, not nodes: parallel fibers make different roots through the same nodes.
    for (const Candidate& other : found_) {
      const Path& p = other.path;
      if (p.fibers.size() > i && std::equal(path.fibers.begin(), path.fibers.begin() + i,
                                            p.fibers.begin())) {
        ws_.search_fibers.set(p.fibers[i]);
      }
    }
    // Loopless: the spur path may not revisit the root.
    for (std::size_t r = 0; r < i; ++r) ws_.search_nodes.set(path.nodes[r]);
    const double spur_cost =
        searchPath(graph_, ws_, metric_, spur, target_, Heuristic::ToTarget);
    if (spur_cost != kInfinity) {
      Path spur_path = tracePath(graph_, ws_, metric_, spur, target_);
      Path candidate;
      candidate.nodes.assign(path.nodes.begin(), path.nodes.begin() + i);
      candidate.nodes.insert(candidate.nodes.end(), spur_path.nodes.begin(), spur_path.nodes.end());
      candidate.fibers.assign(path.fibers.begin(), path.fibers.begin() + i);
      candidate.fibers.insert(candidate.fibers.end(), spur_path.fibers.begin(), spur_path.fibers.end());
      if (seen_.insert(candidate.fibers).second) {
        measurePath(graph_, metric_, candidate);
        candidates_.push_back({std::move(candidate), i});
      }
    }
  }
  ws_.search_fibers.clear();
  ws_.search_nodes.clear();
}

}  // namespace lightpath::pce
