// Cross-check: the path engine's shortest-path lengths equal the Boost Graph Library's
// Dijkstra on every vendored topology, for 1,000 seeded random pairs each.
#include <gtest/gtest.h>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <filesystem>
#include <random>

#include "lightpath/io/topology_io.h"
#include "lightpath/pce/path_engine.h"

namespace lightpath {
namespace {

namespace fs = std::filesystem;

using BoostGraph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, boost::no_property,
                          boost::property<boost::edge_weight_t, double>>;

std::vector<std::string> topologyFiles() {
  std::vector<std::string> files;
  for (const auto& entry :
       fs::recursive_directory_iterator(fs::path(LIGHTPATH_TEST_DATA) / "topologies")) {
    const std::string path = entry.path().string();
    if (!entry.is_regular_file() || path.find("abilene-tm") != std::string::npos ||
        path.ends_with(".csv") || path.ends_with("CORONET_services.json")) {
      continue;
    }
    files.push_back(path);
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(BoostCrossCheck, ShortestPathLengthsAgreeOnEveryReferenceTopology) {
  const auto files = topologyFiles();
  ASSERT_GE(files.size(), 30u);
  std::mt19937 random(20261126);
  for (const std::string& file : files) {
    auto topology = readTopologyFile(file);
    ASSERT_TRUE(topology) << topology.error().toString();
    auto shared = std::make_shared<const Topology>(std::move(*topology));
    const PathEngine engine(shared);
    PathWorkspace ws;
    const auto n = static_cast<NodeIndex>(shared->nodes().size());

    BoostGraph g(n);
    for (FiberIndex f = 0; f < shared->fibers().size(); ++f) {
      boost::add_edge(shared->fiberA(f), shared->fiberB(f), shared->fiber(f).length.value(), g);
    }
    std::vector<double> dist(n);
    std::uniform_int_distribution<NodeIndex> pick(0, n - 1);
    int compared = 0;
    for (int i = 0; i < 1000; ++i) {
      NodeIndex a = pick(random), z = pick(random);
      if (a == z) continue;
      boost::dijkstra_shortest_paths(g, a, boost::distance_map(dist.data()));
      auto path = engine.shortestPath({.from = a, .to = z, .metric = Metric::Km}, ws);
      const bool reachable = dist[z] < std::numeric_limits<double>::max() / 2;
      ASSERT_EQ(path.has_value(), reachable) << file << " " << a << "->" << z;
      if (path) {
        ASSERT_NEAR(path->length.value(), dist[z], 1e-9 * dist[z]) << file << " " << a << "->" << z;
        ++compared;
      }
    }
    EXPECT_GT(compared, 500) << file;
  }
}

}  // namespace
}  // namespace lightpath
