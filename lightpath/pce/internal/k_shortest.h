// Yen's k shortest loopless paths, as a lazy generator, with Lawler's rule (spur only from
// where a path deviated from its parent) and goal-directed spur searches guided by exact
// distances to the target.
#pragma once

#include <optional>
#include <unordered_set>
#include <vector>

#include "lightpath/pce/internal/search.h"

namespace lightpath::pce {

// Uses the workspace's request marks as the graph to search; owns the search marks while it
// runs. The workspace must not be used for anything else between calls to next().
class KShortestPaths {
 public:
  KShortestPaths(const PathGraph& graph, PathWorkspace& ws, Metric metric, NodeIndex source,
                 NodeIndex target);

  // The next path in order of non-decreasing metric (ties: fewer hops, then fiber ids), or
  // nothing when there are no more.
  std::optional<Path> next();

 private:
  struct Candidate {
    Path path;
    std::size_t deviation;  // index of the node where it left its parent
    std::uint64_t hash;     // of the fiber sequence, to find duplicates fast
  };

  void addSpurCandidates(std::size_t from);
  // Appends the spur path from `spur` to the target to the scratch route: along the
  // shortest-path tree when nothing on it is ruled out (then it is the best spur), else by
  // a search. False when the target cannot be reached.
  bool appendSpur(NodeIndex spur);
  bool isDuplicate(const std::vector<FiberIndex>& fibers, std::uint64_t hash) const;

  const PathGraph& graph_;
  PathWorkspace& ws_;
  Metric metric_;
  NodeIndex source_, target_;
  bool started_ = false;
  std::vector<Candidate> found_;
  std::vector<Candidate> candidates_;
  std::unordered_set<std::uint64_t> hashes_;
  Path scratch_;
};

}  // namespace lightpath::pce
