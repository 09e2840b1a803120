// Google Benchmarks of the path engine on CONUS 75 (TopologyBench) and the demo network:
// the per-query cost of each kind of request over a fixed set of seeded pairs.
#include <benchmark/benchmark.h>

#include <random>

#include "lightpath/io/demo_network.h"
#include "lightpath/io/topology_io.h"
#include "lightpath/pce/path_engine.h"

namespace lightpath {
namespace {

struct Setup {
  std::shared_ptr<const Topology> topology;
  std::unique_ptr<PathEngine> engine;
  std::vector<std::pair<NodeIndex, NodeIndex>> pairs;
};

Setup& setup(bool demo) {
  static Setup conus, demo_network;
  Setup& s = demo ? demo_network : conus;
  if (s.engine) return s;
  auto t = demo ? loadDemoNetwork()
                : readTopologyFile(std::string(LIGHTPATH_TEST_DATA) +
                                   "/topologies/topologybench/conus75_undirected.json");
  s.topology = std::make_shared<const Topology>(std::move(*t));
  s.engine = std::make_unique<PathEngine>(s.topology);
  std::mt19937 random(1);
  std::uniform_int_distribution<NodeIndex> pick(
      0, static_cast<NodeIndex>(s.topology->nodes().size() - 1));
  while (s.pairs.size() < 1024) {
    NodeIndex a = pick(random), z = pick(random);
    if (a != z) s.pairs.emplace_back(a, z);
  }
  return s;
}

template <typename Fn>
void run(benchmark::State& state, bool demo, Fn&& fn) {
  Setup& s = setup(demo);
  PathWorkspace ws;
  std::size_t i = 0;
  for (auto _ : state) {
    const auto [a, z] = s.pairs[i++ & 1023];
    benchmark::DoNotOptimize(fn(*s.engine, PathRequest{.from = a, .to = z}, ws));
  }
}

void conusShortest(benchmark::State& state) {
  run(state, false, [](const PathEngine& e, const PathRequest& r, PathWorkspace& ws) {
    return e.shortestPath(r, ws);
  });
}
void conusFiveShortest(benchmark::State& state) {
  run(state, false, [](const PathEngine& e, const PathRequest& r, PathWorkspace& ws) {
    return e.kShortestPaths(r, 5, ws);
  });
}
void conusFiberPair(benchmark::State& state) {
  run(state, false, [](const PathEngine& e, const PathRequest& r, PathWorkspace& ws) {
    return e.diversePair(r, Diversity::Fiber, ws);
  });
}
void demoSrlgPair(benchmark::State& state) {
  run(state, true, [](const PathEngine& e, const PathRequest& r, PathWorkspace& ws) {
    return e.diversePair(r, Diversity::Srlg, ws);
  });
}
void demoLatencyBounded(benchmark::State& state) {
  run(state, true, [](const PathEngine& e, PathRequest r, PathWorkspace& ws) {
    r.metric = Metric::Hops;
    r.constraints.max_latency = Micros(15000);
    return e.shortestPath(r, ws);
  });
}

BENCHMARK(conusShortest);
BENCHMARK(conusFiveShortest);
BENCHMARK(conusFiberPair);
BENCHMARK(demoSrlgPair);
BENCHMARK(demoLatencyBounded);

}  // namespace
}  // namespace lightpath

BENCHMARK_MAIN();
