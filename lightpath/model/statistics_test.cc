#include "lightpath/model/statistics.h"

#include <gtest/gtest.h>

#include <random>

namespace lightpath {
namespace {

// All pairs by Floyd-Warshall: the diameter the fast search must equal.
double bruteForceDiameter(const Topology& t) {
  const std::size_t n = t.nodes().size();
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> d(n * n, inf);
  for (std::size_t i = 0; i < n; ++i) d[i * n + i] = 0;
  for (FiberIndex f = 0; f < t.fibers().size(); ++f) {
    const std::size_t a = t.fiberA(f), b = t.fiberB(f);
    d[a * n + b] = d[b * n + a] = std::min(d[a * n + b], t.fiber(f).length.value());
  }
  for (std::size_t k = 0; k < n; ++k) {
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = 0; j < n; ++j)
        d[i * n + j] = std::min(d[i * n + j], d[i * n + k] + d[k * n + j]);
    }
  }
  double best = 0;
  for (double v : d) {
    if (v != inf) best = std::max(best, v);
  }
  return best;
}

TEST(Statistics, DiameterEqualsAllPairsOnRandomNetworks) {
  std::mt19937 random(7);
  for (int round = 0; round < 200; ++round) {
    const int nodes = 2 + static_cast<int>(random() % 40);
    TopologyBuilder b;
    for (int i = 0; i < nodes; ++i) {
      const std::string id = "n" + std::to_string(i);
      b.addSite({.id = id, .name = id});
      b.addNode({.id = id, .name = id, .site = id});
    }
    // A sparse mesh, sometimes in pieces, with lengths that often tie.
    const int fibers = static_cast<int>(random() % (2 * nodes));
    for (int f = 0; f < fibers; ++f) {
      const int a = static_cast<int>(random() % nodes), z = static_cast<int>(random() % nodes);
      if (a == z) continue;
      const double km = round % 3 == 0 ? 10.0 * (1 + random() % 4) : 1 + random() % 1000;
      b.addFiber({.id = "f" + std::to_string(f),
                  .a = "n" + std::to_string(a),
                  .b = "n" + std::to_string(z),
                  .length = Km(km)});
    }
    auto t = std::move(b).build();
    ASSERT_TRUE(t) << t.error().toString();
    const Diameter d = exactDiameter(*t);
    ASSERT_DOUBLE_EQ(d.length.value(), bruteForceDiameter(*t)) << "round " << round;
    if (d.length.value() > 0) {
      EXPECT_LT(d.from, d.to);
    }
  }
}

}  // namespace
}  // namespace lightpath
