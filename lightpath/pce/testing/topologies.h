// Small topologies for the path engine's tests, built in code.
#pragma once

#include <algorithm>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "lightpath/model/topology.h"

namespace lightpath::testing {

struct TestFiber {
  std::string a, b;
  double km;
  std::vector<std::string> srlgs = {};
};

// Nodes named as given (each at its own site, without coordinates unless given); fiber ids
// are "a-b#n", n counting from 1 in the order given.
inline std::shared_ptr<const Topology> makeTopology(
    const std::vector<std::string>& nodes, const std::vector<TestFiber>& fibers,
    const std::vector<std::pair<double, double>>& coordinates = {}) {
  TopologyBuilder b;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    Site site{.id = nodes[i], .name = nodes[i]};
    if (i < coordinates.size())
      site.location = GeoPoint{coordinates[i].first, coordinates[i].second};
    b.addSite(site);
    b.addNode({.id = nodes[i], .name = nodes[i], .site = nodes[i]});
  }
  std::vector<std::string> srlgs;
  int count = 0;
  for (const TestFiber& f : fibers) {
    std::string id = f.a + "-" + f.b;
    ++count;
    b.addFiber({.id = id + "#" + std::to_string(count),
                .a = f.a,
                .b = f.b,
                .length = Km(f.km),
                .srlgs = f.srlgs});
    for (const auto& s : f.srlgs) {
      if (std::find(srlgs.begin(), srlgs.end(), s) == srlgs.end()) srlgs.push_back(s);
    }
  }
  for (const auto& s : srlgs) b.addSrlg({.id = s, .name = s});
  auto t = std::move(b).build();
  if (!t) return nullptr;
  return std::make_shared<const Topology>(std::move(*t));
}

}  // namespace lightpath::testing
