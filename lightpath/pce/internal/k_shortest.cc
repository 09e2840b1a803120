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

std::uint64_t hashOf(const std::vector<FiberIndex>& fibers) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a
  for (FiberIndex f : fibers) h = (h ^ f) * 1099511628211ull;
  return h;
}

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
    scratch_.nodes.assign(1, source_);
    scratch_.fibers.clear();
    if (!appendSpur(source_)) return std::nullopt;  // the tree path itself
    measurePath(graph_, metric_, scratch_);
    const std::uint64_t hash = hashOf(scratch_.fibers);
    hashes_.insert(hash);
    found_.push_back({scratch_, 0, hash});
    return found_.back().path;
  }
  if (found_.empty()) return std::nullopt;
  addSpurCandidates(found_.size() - 1);
  if (candidates_.empty()) return std::nullopt;
  auto best = std::min_element(
      candidates_.begin(), candidates_.end(),
      [](const Candidate& a, const Candidate& b) { return before(a.path, b.path); });
  found_.push_back(std::move(*best));
  candidates_.erase(best);
  return found_.back().path;
}

bool KShortestPaths::appendSpur(NodeIndex spur) {
  // Most spurs need no search. Take the first step that minimises step + exact distance to
  // the target; if the shortest-path tree from there uses nothing ruled out (and does not come
  // back through the spur), that route reaches the lower bound, so it is the best spur.
  const double* weight = graph_.weights(metric_);
  ArcIndex step = kNoIndex;
  double best = kInfinity;
  for (ArcIndex a = graph_.arcBegin(spur); a < graph_.arcEnd(spur); ++a) {
    const NodeIndex m = graph_.head(a);
    if (!fiberAllowed(ws_, graph_.fiber(a)) || !nodeAllowed(ws_, m)) continue;
    const double via = weight[a] + ws_.to_target[m];
    if (via < best) {
      best = via;
      step = a;
    }
  }
  if (step == kNoIndex || best == kInfinity) return false;
  bool tree_usable = true;
  for (NodeIndex n = graph_.head(step); n != target_ && tree_usable;) {
    const NodeIndex next = ws_.to_target_next[n];
    tree_usable =
        next != spur && fiberAllowed(ws_, ws_.to_target_fiber[n]) && nodeAllowed(ws_, next);
    n = next;
  }
  if (tree_usable) {
    scratch_.fibers.push_back(graph_.fiber(step));
    scratch_.nodes.push_back(graph_.head(step));
    for (NodeIndex n = graph_.head(step); n != target_; n = ws_.to_target_next[n]) {
      scratch_.fibers.push_back(ws_.to_target_fiber[n]);
      scratch_.nodes.push_back(ws_.to_target_next[n]);
    }
    return true;
  }
  if (searchPath(graph_, ws_, metric_, spur, target_, Heuristic::ToTarget) == kInfinity)
    return false;
  const std::size_t begin = scratch_.fibers.size();
  for (NodeIndex n = target_; n != spur;) {
    const ArcIndex a = ws_.parent[n];
    scratch_.fibers.push_back(graph_.fiber(a));
    scratch_.nodes.push_back(n);
    n = graph_.tail(a);
  }
  std::reverse(scratch_.fibers.begin() + static_cast<std::ptrdiff_t>(begin), scratch_.fibers.end());
  std::reverse(scratch_.nodes.begin() + static_cast<std::ptrdiff_t>(begin) + 1,
               scratch_.nodes.end());
  return true;
}

bool KShortestPaths::isDuplicate(const std::vector<FiberIndex>& fibers, std::uint64_t hash) const {
  if (!hashes_.contains(hash)) return false;
  for (const auto* list : {&found_, &candidates_}) {
    for (const Candidate& c : *list) {
      if (c.hash == hash && c.path.fibers == fibers) return true;
    }
  }
  return false;  // a hash collision between different routes
}

void KShortestPaths::addSpurCandidates(std::size_t from_index) {
  const std::size_t deviation = found_[from_index].deviation;
  for (std::size_t i = deviation; i + 1 < found_[from_index].path.nodes.size(); ++i) {
    const Path& path = found_[from_index].path;
    const NodeIndex spur = path.nodes[i];
    ws_.search_fibers.clear();
    ws_.search_nodes.clear();
    // Leave the root by a fiber no earlier path with the same root took. Roots compare by
    // fibers, not nodes: parallel fibers make different roots through the same nodes.
    for (const Candidate& other : found_) {
      const Path& p = other.path;
      if (p.fibers.size() > i &&
          std::equal(path.fibers.begin(), path.fibers.begin() + i, p.fibers.begin())) {
        ws_.search_fibers.set(p.fibers[i]);
      }
    }
    // Loopless: the spur path may not revisit the root.
    for (std::size_t r = 0; r < i; ++r) ws_.search_nodes.set(path.nodes[r]);
    scratch_.nodes.assign(path.nodes.begin(),
                          path.nodes.begin() + static_cast<std::ptrdiff_t>(i) + 1);
    scratch_.fibers.assign(path.fibers.begin(),
                           path.fibers.begin() + static_cast<std::ptrdiff_t>(i));
    if (!appendSpur(spur)) continue;
    const std::uint64_t hash = hashOf(scratch_.fibers);
    if (isDuplicate(scratch_.fibers, hash)) continue;
    measurePath(graph_, metric_, scratch_);
    hashes_.insert(hash);
    candidates_.push_back({scratch_, i, hash});
  }
  ws_.search_fibers.clear();
  ws_.search_nodes.clear();
}

}  // namespace lightpath::pce
