#include "lightpath/model/topology.h"

#include <gtest/gtest.h>

#include <set>
#include <tuple>

namespace lightpath {
namespace {

// Three cities in a line plus an island: Seattle - Portland - Sacramento, and Denver alone.
TopologyBuilder threeCities() {
  TopologyBuilder b;
  b.setName("three-cities");
  for (auto [id, lat, lon] :
       {std::tuple{"sea", 47.61, -122.33}, {"pdx", 45.52, -122.68}, {"sac", 38.58, -121.49}}) {
    b.addSite({.id = id, .name = id, .location = GeoPoint{lat, lon}});
    b.addNode({.id = std::string(id) + "-r", .name = id, .site = id});
  }
  b.addFiber({.id = "f1", .a = "sea-r", .b = "pdx-r", .length = Km(280)});
  b.addFiber({.id = "f2", .a = "pdx-r", .b = "sac-r", .length = Km(930)});
  return b;
}

TEST(Topology, IndexesNodesFibersAndAdjacency) {
  auto t = threeCities().build();
  ASSERT_TRUE(t) << t.error().toString();
  auto pdx = t->findNode("pdx-r");
  ASSERT_TRUE(pdx);
  EXPECT_EQ(t->degree(*pdx), 2u);
  EXPECT_EQ(t->findNode("pdx"), pdx);  // by name
  auto f2 = t->findFiber("f2");
  ASSERT_TRUE(f2);
  EXPECT_EQ(t->node(t->otherEnd(*f2, *pdx)).id, "sac-r");
  EXPECT_EQ(t->componentCount(), 1u);
  EXPECT_TRUE(t->findings().empty());
}

TEST(Topology, RejectsDanglingSelfLoopAndBadLength) {
  auto b = threeCities();
  b.addFiber({.id = "f3", .a = "sea-r", .b = "nowhere", .length = Km(10), .origin = "x.yaml:7"});
  b.addFiber({.id = "f4", .a = "sac-r", .b = "sac-r", .length = Km(10)});
  b.addFiber({.id = "f5", .a = "sea-r", .b = "sac-r", .length = Km(-3)});
  b.addFiber({.id = "f1", .a = "sea-r", .b = "sac-r", .length = Km(3)});
  auto t = std::move(b).build();
  ASSERT_FALSE(t);
  const std::string& m = t.error().message();
  EXPECT_NE(m.find("fiber 'f3' (x.yaml:7): ends at unknown node 'nowhere'"), std::string::npos)
      << m;
  EXPECT_NE(m.find("fiber 'f4': both ends at node 'sac-r'"), std::string::npos) << m;
  EXPECT_NE(m.find("fiber 'f5': length must be a positive number of km, got -3"), std::string::npos)
      << m;
  EXPECT_NE(m.find("id already used"), std::string::npos) << m;
}

TEST(Topology, WarnsOnParallelFibersIslandsAndMissingCoordinates) {
  auto b = threeCities();
  b.addFiber({.id = "f1b", .a = "pdx-r", .b = "sea-r", .length = Km(300)});
  b.addSite({.id = "den", .name = "Denver"});
  b.addNode({.id = "den-r", .name = "Denver", .site = "den"});
  auto t = std::move(b).build();
  ASSERT_TRUE(t) << t.error().toString();
  std::set<std::string> codes;
  for (const Finding& f : t->findings()) codes.insert(f.code);
  EXPECT_EQ(codes, (std::set<std::string>{"parallel-fibers", "disconnected", "no-coordinates"}));
  EXPECT_EQ(t->componentCount(), 2u);
}

TEST(Topology, SameNetworkIgnoresOrigin) {
  auto a = threeCities().build();
  auto b2 = threeCities();
  b2.addFiber({.id = "f9", .a = "sea-r", .b = "sac-r", .length = Km(1000)});
  auto b = std::move(b2).build();
  std::string why;
  EXPECT_TRUE(a->sameNetwork(*a));
  EXPECT_FALSE(a->sameNetwork(*b, &why));
  EXPECT_EQ(why, "fiber count 2 != 3");
}

}  // namespace
}  // namespace lightpath
