// Properties of the path engine on random small graphs, against a brute force that lists
// every simple path: shortest, k-shortest order and looplessness, disjointness and the
// optimality of fiber-, node- and (when claimed) SRLG-disjoint pairs, and bounded search.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <functional>
#include <set>

#include "lightpath/pce/path_engine.h"
#include "lightpath/pce/testing/topologies.h"

namespace lightpath {
namespace {

struct RandomNetwork {
  std::shared_ptr<const Topology> topology;
  NodeIndex from = 0, to = 1;
};

// 3 to 8 nodes, up to 16 fibers (parallel ones allowed), integer lengths (so ties happen),
// up to 3 SRLGs, coordinates half the time (so the goal-directed search is exercised).
rc::Gen<RandomNetwork> randomNetwork() {
  return rc::gen::exec([] {
    const int n = *rc::gen::inRange(3, 9);
    const int m = *rc::gen::inRange(0, 17);
    std::vector<std::string> nodes;
    for (int i = 0; i < n; ++i) nodes.push_back("n" + std::to_string(i));
    std::vector<testing::TestFiber> fibers;
    for (int i = 0; i < m; ++i) {
      int a = *rc::gen::inRange(0, n);
      int b = *rc::gen::inRange(0, n - 1);
      if (b >= a) ++b;
      std::vector<std::string> srlgs;
      for (int s = 0; s < 3; ++s) {
        if (*rc::gen::inRange(0, 5) == 0) srlgs.push_back("s" + std::to_string(s));
      }
      fibers.push_back({nodes[a], nodes[b], static_cast<double>(*rc::gen::inRange(1, 20)), srlgs});
    }
    std::vector<std::pair<double, double>> coordinates;
    if (*rc::gen::arbitrary<bool>()) {
      for (int i = 0; i < n; ++i) {
        coordinates.emplace_back(*rc::gen::inRange(-60, 60) * 0.01,
                                 *rc::gen::inRange(-60, 60) * 0.01);
      }
    }
    RandomNetwork net;
    net.topology = testing::makeTopology(nodes, fibers, coordinates);
    RC_ASSERT(net.topology != nullptr);
    net.from = 0;
    net.to = static_cast<NodeIndex>(*rc::gen::inRange(1, n));
    return net;
  });
}

// Every simple path from `from` to `to`, as fiber lists.
std::vector<std::vector<FiberIndex>> allSimplePaths(const Topology& t, NodeIndex from,
                                                    NodeIndex to) {
  std::vector<std::vector<FiberIndex>> out;
  std::vector<FiberIndex> fibers;
  std::vector<bool> on_path(t.nodes().size(), false);
  std::function<void(NodeIndex)> walk = [&](NodeIndex n) {
    if (n == to) {
      out.push_back(fibers);
      return;
    }
    on_path[n] = true;
    for (FiberIndex f : t.fibersAt(n)) {
      NodeIndex m = t.otherEnd(f, n);
      if (on_path[m]) continue;
      fibers.push_back(f);
      walk(m);
      fibers.pop_back();
    }
    on_path[n] = false;
  };
  walk(from);
  return out;
}

double km(const Topology& t, const std::vector<FiberIndex>& fibers) {
  double sum = 0;
  for (FiberIndex f : fibers) sum += t.fiber(f).length.value();
  return sum;
}

std::set<NodeIndex> interiorNodes(const Topology& t, NodeIndex from,
                                  const std::vector<FiberIndex>& fibers) {
  std::set<NodeIndex> nodes;
  NodeIndex at = from;
  for (std::size_t i = 0; i + 1 < fibers.size(); ++i) {
    at = t.otherEnd(fibers[i], at);
    nodes.insert(at);
  }
  return nodes;
}

bool shareFiber(const std::vector<FiberIndex>& a, const std::vector<FiberIndex>& b) {
  for (FiberIndex f : a) {
    if (std::find(b.begin(), b.end(), f) != b.end()) return true;
  }
  return false;
}

bool shareSrlg(const Topology& t, const std::vector<FiberIndex>& a,
               const std::vector<FiberIndex>& b) {
  std::set<std::string> risks;
  for (FiberIndex f : a) risks.insert(t.fiber(f).srlgs.begin(), t.fiber(f).srlgs.end());
  for (FiberIndex f : b) {
    for (const auto& s : t.fiber(f).srlgs) {
      if (risks.contains(s)) return true;
    }
  }
  return false;
}

// A path is a chain of fibers from `from` to `to` with no repeated node.
void checkWellFormed(const Topology& t, const PathRequest& r, const Path& p) {
  RC_ASSERT(!p.fibers.empty());
  RC_ASSERT(p.nodes.size() == p.fibers.size() + 1);
  RC_ASSERT(p.nodes.front() == r.from);
  RC_ASSERT(p.nodes.back() == r.to);
  for (std::size_t i = 0; i < p.fibers.size(); ++i) {
    RC_ASSERT(t.otherEnd(p.fibers[i], p.nodes[i]) == p.nodes[i + 1]);
  }
  RC_ASSERT(std::set<NodeIndex>(p.nodes.begin(), p.nodes.end()).size() == p.nodes.size());
  RC_ASSERT(std::abs(p.length.value() - km(t, p.fibers)) < 1e-9);
}

RC_GTEST_PROP(PathProperties, ShortestMatchesBruteForce, ()) {
  const auto net = *randomNetwork();
  const Topology& t = *net.topology;
  PathEngine engine(net.topology);
  PathWorkspace ws;
  PathRequest request{.from = net.from, .to = net.to, .metric = Metric::Km};
  auto all = allSimplePaths(t, net.from, net.to);
  auto path = engine.shortestPath(request, ws);
  if (all.empty()) {
    RC_ASSERT(!path);
    RC_ASSERT(path.error().code() == StatusCode::FailedPrecondition);
    return;
  }
  RC_ASSERT(path.has_value());
  checkWellFormed(t, request, *path);
  double best = 1e18;
  for (const auto& p : all) best = std::min(best, km(t, p));
  RC_ASSERT(path->length.value() == best);
}

RC_GTEST_PROP(PathProperties, KShortestAreTheKBestDistinctLooplessPaths, ()) {
  const auto net = *randomNetwork();
  const Topology& t = *net.topology;
  PathEngine engine(net.topology);
  PathWorkspace ws;
  const int k = *rc::gen::inRange(1, 30);
  PathRequest request{.from = net.from, .to = net.to, .metric = Metric::Km};
  auto all = allSimplePaths(t, net.from, net.to);
  auto paths = engine.kShortestPaths(request, k, ws);
  if (all.empty()) {
    RC_ASSERT(!paths);
    return;
  }
  RC_ASSERT(paths.has_value());
  std::vector<double> expected;
  for (const auto& p : all) expected.push_back(km(t, p));
  std::sort(expected.begin(), expected.end());
  expected.resize(std::min<std::size_t>(expected.size(), k));
  std::vector<double> got;
  std::set<std::vector<FiberIndex>> distinct;
  for (const Path& p : *paths) {
    checkWellFormed(t, request, p);
    got.push_back(p.length.value());
    distinct.insert(p.fibers);
  }
  RC_ASSERT(got == expected);
  RC_ASSERT(distinct.size() == paths->size());
}

RC_GTEST_PROP(PathProperties, DiversePairsAreDisjointAndOptimal, ()) {
  const auto net = *randomNetwork();
  const Topology& t = *net.topology;
  PathEngine engine(net.topology);
  PathWorkspace ws;
  PathRequest request{.from = net.from, .to = net.to, .metric = Metric::Km};
  auto all = allSimplePaths(t, net.from, net.to);
  for (Diversity diversity : {Diversity::Fiber, Diversity::Node, Diversity::Srlg}) {
    auto compatible = [&](const std::vector<FiberIndex>& a, const std::vector<FiberIndex>& b) {
      if (shareFiber(a, b)) return false;
      if (diversity == Diversity::Srlg && shareSrlg(t, a, b)) return false;
      if (diversity == Diversity::Node) {
        auto na = interiorNodes(t, net.from, a), nb = interiorNodes(t, net.from, b);
        for (NodeIndex n : na) {
          if (nb.contains(n)) return false;
        }
        // A direct fiber may appear in one leg only; two direct fibers are node-disjoint.
      }
      return true;
    };
    std::optional<double> best;
    for (std::size_t i = 0; i < all.size(); ++i) {
      for (std::size_t j = i + 1; j < all.size(); ++j) {
        if (!compatible(all[i], all[j])) continue;
        double total = km(t, all[i]) + km(t, all[j]);
        if (!best || total < *best) best = total;
      }
    }
    auto pair = engine.diversePair(request, diversity, ws);
    RC_CLASSIFY(pair.has_value(), toString(diversity));
    RC_ASSERT(pair.has_value() == best.has_value());
    if (!pair) {
      RC_ASSERT(pair.error().code() == StatusCode::FailedPrecondition);
      continue;
    }
    checkWellFormed(t, request, pair->working);
    checkWellFormed(t, request, pair->protection);
    RC_ASSERT(compatible(pair->working.fibers, pair->protection.fibers));
    RC_ASSERT(pair->working.cost <= pair->protection.cost);
    const double total = pair->working.length.value() + pair->protection.length.value();
    if (diversity != Diversity::Srlg || pair->optimal) RC_ASSERT(total == *best);
    RC_ASSERT(total >= *best);
  }
}

RC_GTEST_PROP(PathProperties, BoundedDiversePairsKeepBothLegsWithinTheBound, ()) {
  const auto net = *randomNetwork();
  const Topology& t = *net.topology;
  PathEngine engine(net.topology);
  PathWorkspace ws;
  PathRequest request{.from = net.from, .to = net.to, .metric = Metric::Km};
  const double bound_km = *rc::gen::inRange(5, 80);
  request.constraints.max_latency = Micros(bound_km * kMicrosPerKm);
  auto all = allSimplePaths(t, net.from, net.to);
  std::optional<double> best;
  for (std::size_t i = 0; i < all.size(); ++i) {
    for (std::size_t j = i + 1; j < all.size(); ++j) {
      if (shareFiber(all[i], all[j]) || km(t, all[i]) > bound_km || km(t, all[j]) > bound_km)
        continue;
      double total = km(t, all[i]) + km(t, all[j]);
      if (!best || total < *best) best = total;
    }
  }
  auto pair = engine.diversePair(request, Diversity::Fiber, ws);
  RC_CLASSIFY(pair.has_value());
  // Graphs this small fit in the search budget: a pair that exists must be found.
  if (!best) {
    RC_ASSERT(!pair);
    return;
  }
  RC_ASSERT(pair.has_value());
  const double total = pair->working.length.value() + pair->protection.length.value();
  RC_ASSERT(!shareFiber(pair->working.fibers, pair->protection.fibers));
  RC_ASSERT(pair->working.length.value() <= bound_km + 1e-9);
  RC_ASSERT(pair->protection.length.value() <= bound_km + 1e-9);
  if (pair->optimal) RC_ASSERT(total == *best);
  RC_ASSERT(total >= *best);
}

RC_GTEST_PROP(PathProperties, BoundedSearchFindsTheBestPathWithinBounds, ()) {
  const auto net = *randomNetwork();
  const Topology& t = *net.topology;
  PathEngine engine(net.topology);
  PathWorkspace ws;
  PathRequest request{.from = net.from, .to = net.to, .metric = Metric::Hops};
  request.constraints.max_latency = Micros(*rc::gen::inRange(5, 150) * 4.9);
  auto all = allSimplePaths(t, net.from, net.to);
  std::optional<std::size_t> best_hops;
  for (const auto& p : all) {
    if (km(t, p) * kMicrosPerKm <= request.constraints.max_latency->value() * (1 + 1e-12)) {
      if (!best_hops || p.size() < *best_hops) best_hops = p.size();
    }
  }
  auto path = engine.shortestPath(request, ws);
  RC_CLASSIFY(path.has_value());
  RC_ASSERT(path.has_value() == best_hops.has_value());
  if (path) {
    checkWellFormed(t, request, *path);
    RC_ASSERT(static_cast<std::size_t>(path->hops()) == *best_hops);
    RC_ASSERT(path->latency <= *request.constraints.max_latency * (1 + 1e-12));
  }
}

}  // namespace
}  // namespace lightpath
