// Yen's k shortest loopless paths, as a lazy generator, with Lawler's rule (spur only from
// where a path deviated from its parent) and goal-directed spur searches guided by exact
// distances to the target.
#pragma once

#include <optional>
#include <set>
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
  };

  void addSpurCandidates(const Candidate& from);

  const PathGraph& graph_;
  PathWorkspace& ws_;
  Metric metric_;
  NodeIndex source_, target_;
  bool started_ = false;
  std::vector<Candidate> found_;
  std::vector<Candidate> candidates_;
  std::set<std::vector<FiberIndex>> seen_;
};

}  // namespace lightpath::pce
