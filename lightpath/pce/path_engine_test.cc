#include "lightpath/pce/path_engine.h"

#include <gtest/gtest.h>

#include "lightpath/pce/testing/topologies.h"

namespace lightpath {
namespace {

using testing::makeTopology;

std::vector<std::string> nodeIds(const PathEngine& engine, const Path& path) {
  std::vector<std::string> ids;
  for (NodeIndex n : path.nodes) ids.push_back(engine.topology().node(n).id);
  return ids;
}

struct Fixture {
  PathEngine engine;
  PathWorkspace ws;
  PathRequest request(const std::string& from, const std::string& to, Metric metric = Metric::Km) {
    return {.from = *engine.resolveNode(from), .to = *engine.resolveNode(to), .metric = metric};
  }
};

using Ids = std::vector<std::string>;

// a-b-d is shortest (2); a-c-d (4); a-d (5).
std::shared_ptr<const Topology> square() {
  return makeTopology({"a", "b", "c", "d"},
                      {{"a", "b", 1}, {"b", "d", 1}, {"a", "c", 2}, {"c", "d", 2}, {"a", "d", 5}});
}

TEST(PathEngine, ShortestPathByEachMetric) {
  Fixture f{PathEngine(square())};
  auto km = f.engine.shortestPath(f.request("a", "d"), f.ws);
  ASSERT_TRUE(km) << km.error().toString();
  EXPECT_EQ(nodeIds(f.engine, *km), (Ids{"a", "b", "d"}));
  EXPECT_DOUBLE_EQ(km->length.value(), 2);
  EXPECT_DOUBLE_EQ(km->latency.value(), 2 * 4.9);
  auto hops = f.engine.shortestPath(f.request("a", "d", Metric::Hops), f.ws);
  ASSERT_TRUE(hops);
  EXPECT_EQ(nodeIds(f.engine, *hops), (Ids{"a", "d"}));
}

TEST(PathEngine, KShortestInOrder) {
  Fixture f{PathEngine(square())};
  auto paths = f.engine.kShortestPaths(f.request("a", "d"), 10, f.ws);
  ASSERT_TRUE(paths);
  std::vector<double> costs;
  for (const Path& p : *paths) costs.push_back(p.cost);
  // a-b-d 2, a-c-d 4, a-d 5, a-b-... no more simple paths: a-c-d and a-b-d only mix via a.
  EXPECT_EQ(costs, (std::vector<double>{2, 4, 5}));
}

TEST(PathEngine, FiberDisjointPairIsTheLeastTotal) {
  Fixture f{PathEngine(square())};
  auto pair = f.engine.diversePair(f.request("a", "d"), Diversity::Fiber, f.ws);
  ASSERT_TRUE(pair) << pair.error().toString();
  EXPECT_EQ(nodeIds(f.engine, pair->working), (Ids{"a", "b", "d"}));
  EXPECT_EQ(nodeIds(f.engine, pair->protection), (Ids{"a", "c", "d"}));
  EXPECT_TRUE(pair->optimal);
}

TEST(PathEngine, DisjointPairEscapesTheTrap) {
  // The shortest path s-a-b-t uses the two links the only disjoint pair needs.
  Fixture f{PathEngine(
      makeTopology({"s", "a", "b", "t"},
                   {{"s", "a", 1}, {"a", "b", 1}, {"b", "t", 1}, {"s", "b", 3}, {"a", "t", 3}}))};
  auto pair = f.engine.diversePair(f.request("s", "t"), Diversity::Fiber, f.ws);
  ASSERT_TRUE(pair) << pair.error().toString();
  EXPECT_DOUBLE_EQ(pair->working.cost + pair->protection.cost, 8);
  auto node_pair = f.engine.diversePair(f.request("s", "t"), Diversity::Node, f.ws);
  ASSERT_TRUE(node_pair);
  EXPECT_DOUBLE_EQ(node_pair->working.cost + node_pair->protection.cost, 8);
}

TEST(PathEngine, NamesTheBridgeWhenNoDiversePairExists) {
  Fixture f{PathEngine(makeTopology({"a", "b", "c", "d"},
                                    {{"a", "b", 1}, {"b", "c", 1}, {"a", "c", 1}, {"c", "d", 7}}))};
  auto pair = f.engine.diversePair(f.request("a", "d"), Diversity::Fiber, f.ws);
  ASSERT_FALSE(pair);
  EXPECT_EQ(pair.error().code(), StatusCode::FailedPrecondition);
  EXPECT_EQ(pair.error().message(),
            "no fiber-diverse pair from 'a' to 'd': every route crosses fiber 'c-d#4' (7.0 km)");
}

TEST(PathEngine, NamesTheCutNodeForNodeDiversity) {
  // Two fibers each way through m: fiber-diverse, not node-diverse.
  Fixture f{PathEngine(
      makeTopology({"a", "m", "z"}, {{"a", "m", 1}, {"a", "m", 2}, {"m", "z", 1}, {"m", "z", 2}}))};
  EXPECT_TRUE(f.engine.diversePair(f.request("a", "z"), Diversity::Fiber, f.ws));
  auto pair = f.engine.diversePair(f.request("a", "z"), Diversity::Node, f.ws);
  ASSERT_FALSE(pair);
  EXPECT_EQ(pair.error().message(),
            "no node-diverse pair from 'a' to 'z': every route passes through node 'm'");
}

TEST(PathEngine, SrlgDiversityAvoidsSharedConduits) {
  // a-b and a-c leave a through one conduit; only a-d-z avoids it.
  auto t = makeTopology({"a", "b", "c", "d", "z"}, {{"a", "b", 1, {"conduit-1"}},
                                                    {"b", "z", 1},
                                                    {"a", "c", 1, {"conduit-1"}},
                                                    {"c", "z", 1},
                                                    {"a", "d", 10},
                                                    {"d", "z", 10}});
  Fixture f{PathEngine(t)};
  auto fiber_pair = f.engine.diversePair(f.request("a", "z"), Diversity::Fiber, f.ws);
  ASSERT_TRUE(fiber_pair);
  EXPECT_DOUBLE_EQ(fiber_pair->working.cost + fiber_pair->protection.cost, 4);
  auto pair = f.engine.diversePair(f.request("a", "z"), Diversity::Srlg, f.ws);
  ASSERT_TRUE(pair) << pair.error().toString();
  EXPECT_DOUBLE_EQ(pair->working.cost + pair->protection.cost, 22);
  EXPECT_EQ(nodeIds(f.engine, pair->protection), (Ids{"a", "d", "z"}));
  EXPECT_TRUE(pair->optimal);
}

TEST(PathEngine, NamesTheSrlgEveryRouteCrosses) {
  auto t = makeTopology(
      {"a", "b", "c", "z"},
      {{"a", "b", 1, {"bridge-9"}}, {"b", "z", 1}, {"a", "c", 1, {"bridge-9"}}, {"c", "z", 1}});
  Fixture f{PathEngine(t)};
  auto pair = f.engine.diversePair(f.request("a", "z"), Diversity::Srlg, f.ws);
  ASSERT_FALSE(pair);
  EXPECT_EQ(pair.error().message(),
            "no srlg-diverse pair from 'a' to 'z': every route crosses SRLG 'bridge-9' (bridge-9)");
}

TEST(PathEngine, LatencyBoundExplained) {
  Fixture f{PathEngine(makeTopology({"a", "b", "z"}, {{"a", "b", 1000}, {"b", "z", 1000}}))};
  auto request = f.request("a", "z");
  request.constraints.max_latency = Micros(5000);
  auto path = f.engine.shortestPath(request, f.ws);
  ASSERT_FALSE(path);
  EXPECT_EQ(path.error().message(),
            "no path from 'a' to 'z' within 5.00 ms: the lowest-latency route is 9.80 ms "
            "(2000.0 km, 2 hops)");
}

TEST(PathEngine, LatencyBoundPicksTheBestRouteThatKeepsIt) {
  // By hops the direct fiber wins, but it is 14.7 ms; a-b-z is 4.9 ms.
  Fixture f{PathEngine(
      makeTopology({"a", "b", "z"}, {{"a", "z", 3000}, {"a", "b", 500}, {"b", "z", 500}}))};
  auto request = f.request("a", "z", Metric::Hops);
  EXPECT_EQ(f.engine.shortestPath(request, f.ws)->hops(), 1);
  request.constraints.max_latency = Micros(10000);
  auto path = f.engine.shortestPath(request, f.ws);
  ASSERT_TRUE(path) << path.error().toString();
  EXPECT_EQ(nodeIds(f.engine, *path), (Ids{"a", "b", "z"}));
  request.constraints.max_hops = 1;
  auto none = f.engine.shortestPath(request, f.ws);
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message().find("meets the latency and hop limits together"),
            std::string::npos)
      << none.error().message();
}

TEST(PathEngine, DiversePairWithBothLegsWithinTheLatencyBound) {
  // The least-total pair is a-s-z (1 km) with a-m-z (10 km). Under a bound of 7 km of latency
  // only the balanced pair a-s-p-z / a-q-s-z (6 km each) keeps both legs in.
  auto t = makeTopology({"a", "s", "z", "m", "p", "q"}, {{"a", "s", 0.5},
                                                         {"s", "z", 0.5},
                                                         {"a", "m", 5},
                                                         {"m", "z", 5},
                                                         {"s", "p", 2.5},
                                                         {"p", "z", 3},
                                                         {"a", "q", 3},
                                                         {"q", "s", 2.5}});
  Fixture f{PathEngine(t)};
  auto free = f.engine.diversePair(f.request("a", "z"), Diversity::Fiber, f.ws);
  ASSERT_TRUE(free);
  EXPECT_DOUBLE_EQ(free->working.cost + free->protection.cost, 11);
  auto request = f.request("a", "z");
  request.constraints.max_latency = Micros(7 * kMicrosPerKm);
  auto bounded = f.engine.diversePair(request, Diversity::Fiber, f.ws);
  ASSERT_TRUE(bounded) << bounded.error().toString();
  EXPECT_DOUBLE_EQ(bounded->working.cost, 6);
  EXPECT_DOUBLE_EQ(bounded->protection.cost, 6);
  EXPECT_TRUE(bounded->optimal);
  request.constraints.max_latency = Micros(5 * kMicrosPerKm);
  auto none = f.engine.diversePair(request, Diversity::Fiber, f.ws);
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message().find("with both legs within the limits"), std::string::npos)
      << none.error().message();
}

TEST(PathEngine, KShortestWithinABound) {
  Fixture f{PathEngine(square())};
  auto request = f.request("a", "d");
  request.constraints.max_hops = 1;
  auto paths = f.engine.kShortestPaths(request, 5, f.ws);
  ASSERT_TRUE(paths);
  ASSERT_EQ(paths->size(), 1u);
  EXPECT_EQ(nodeIds(f.engine, (*paths)[0]), (Ids{"a", "d"}));
  request.constraints.max_latency = Micros(1);
  auto none = f.engine.kShortestPaths(request, 5, f.ws);
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message().find("the lowest-latency route is"), std::string::npos);
}

TEST(PathEngine, ExclusionsAndTheirExplanation) {
  Fixture f{PathEngine(makeTopology({"a", "b", "c"}, {{"a", "b", 1}, {"b", "c", 1}}))};
  auto request = f.request("a", "c");
  ASSERT_TRUE(f.engine.addExclusion("b", request.constraints).isOk());
  auto path = f.engine.shortestPath(request, f.ws);
  ASSERT_FALSE(path);
  EXPECT_EQ(path.error().message(), "no path from 'a' to 'c': excluding node 'b' leaves no route");
  EXPECT_FALSE(f.engine.addExclusion("nothing", request.constraints).isOk());
  auto self = f.request("a", "c");
  ASSERT_TRUE(f.engine.addExclusion("a", self.constraints).isOk());
  auto bad = f.engine.shortestPath(self, f.ws);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), StatusCode::InvalidArgument);
}

class FreeCapacity final : public ResourceView {
 public:
  explicit FreeCapacity(std::vector<double> free) : free_(std::move(free)) {}
  double freeCapacity(FiberIndex f) const override { return free_[f]; }

 private:
  std::vector<double> free_;
};

TEST(PathEngine, MinimumFreeCapacity) {
  Fixture f{PathEngine(square())};
  FreeCapacity free({100, 0, 400, 400, 400});  // b-d is full
  auto request = f.request("a", "d");
  request.resources = &free;
  request.constraints.min_free = 100;
  auto path = f.engine.shortestPath(request, f.ws);
  ASSERT_TRUE(path);
  EXPECT_EQ(nodeIds(f.engine, *path), (Ids{"a", "c", "d"}));
  request.constraints.min_free = 500;
  auto none = f.engine.shortestPath(request, f.ws);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().message(),
            "no path from 'a' to 'd' with 500 free on every fiber: the shortest route lacks it "
            "('a-b#1' has 100, 'b-d#2' has 0)");
}

TEST(PathEngine, Waypoints) {
  Fixture f{PathEngine(square())};
  auto request = f.request("a", "d");
  request.constraints.via.push_back({.is_fiber = false, .index = *f.engine.resolveNode("c")});
  auto path = f.engine.shortestPath(request, f.ws);
  ASSERT_TRUE(path) << path.error().toString();
  EXPECT_EQ(nodeIds(f.engine, *path), (Ids{"a", "c", "d"}));
  auto through_fiber = f.request("a", "d");
  through_fiber.constraints.via.push_back(
      {.is_fiber = true, .index = *f.engine.topology().findFiber("a-d#5")});
  auto direct = f.engine.shortestPath(through_fiber, f.ws);
  ASSERT_TRUE(direct) << direct.error().toString();
  EXPECT_EQ(nodeIds(f.engine, *direct), (Ids{"a", "d"}));
}

TEST(PathEngine, RejectsSameEndsAndDisconnectedParts) {
  Fixture f{PathEngine(makeTopology({"a", "b", "x", "y"}, {{"a", "b", 1}, {"x", "y", 1}}))};
  auto same = f.engine.shortestPath(f.request("a", "a"), f.ws);
  ASSERT_FALSE(same);
  EXPECT_EQ(same.error().code(), StatusCode::InvalidArgument);
  auto apart = f.engine.shortestPath(f.request("a", "y"), f.ws);
  ASSERT_FALSE(apart);
  EXPECT_EQ(apart.error().message(),
            "no path from 'a' to 'y': they are in different parts of the network, joined by no "
            "fiber route");
  EXPECT_FALSE(f.engine.resolveNode("nowhere"));
}

TEST(PathEngine, EqualCostTiesAreDeterministic) {
  // Two equal routes a-b-z and a-c-z: the same one every time, whichever workspace.
  auto t = makeTopology({"a", "b", "c", "z"},
                        {{"a", "b", 1}, {"b", "z", 1}, {"a", "c", 1}, {"c", "z", 1}});
  Fixture f{PathEngine(t)};
  auto first = f.engine.shortestPath(f.request("a", "z"), f.ws);
  for (int i = 0; i < 10; ++i) {
    PathWorkspace fresh;
    EXPECT_EQ(*f.engine.shortestPath(f.request("a", "z"), fresh), *first);
  }
}

}  // namespace
}  // namespace lightpath
