// Runs every path scenario in test/scenarios/ (see its README for the file format).
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>

#include "lightpath/io/topology_io.h"
#include "lightpath/pce/path_engine.h"

namespace lightpath {
namespace {

namespace fs = std::filesystem;

const fs::path kRoot = LIGHTPATH_SOURCE_DIR;

std::vector<std::string> scenarioFiles() {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(kRoot / "test/scenarios")) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path().filename().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

class Scenario : public testing::TestWithParam<std::string> {};

std::vector<std::string> strings(const YAML::Node& node) {
  std::vector<std::string> out;
  if (node) {
    for (const auto& item : node) out.push_back(item.as<std::string>());
  }
  return out;
}

// The keys a map may have; a misspelled one would otherwise be ignored and its check skipped.
std::vector<std::string> unknownKeys(const YAML::Node& map,
                                     std::initializer_list<std::string_view> known) {
  std::vector<std::string> unknown;
  if (!map || !map.IsMap()) return unknown;
  for (const auto& item : map) {
    const std::string key = item.first.as<std::string>();
    if (std::find(known.begin(), known.end(), key) == known.end()) unknown.push_back(key);
  }
  return unknown;
}

TEST(ScenarioKeys, AMisspelledKeyIsFound) {
  const YAML::Node expect = YAML::Load("{paths: [[a, b]], kms: [1.0]}");
  EXPECT_EQ(unknownKeys(expect, {"error", "paths", "km", "optimal"}),
            std::vector<std::string>{"kms"});
}

TEST_P(Scenario, Holds) {
  const YAML::Node scenario = YAML::LoadFile((kRoot / "test/scenarios" / GetParam()).string());
  ASSERT_TRUE(scenario["description"]) << "every scenario says why it matters";
  EXPECT_EQ(
      unknownKeys(scenario, {"description", "topology", "topology_file", "request", "expect"}),
      std::vector<std::string>{});
  EXPECT_EQ(unknownKeys(scenario["request"], {"from", "to", "metric", "max_latency_ms", "max_hops",
                                              "exclude", "via", "k", "diverse"}),
            std::vector<std::string>{});
  EXPECT_EQ(unknownKeys(scenario["expect"], {"error", "paths", "km", "optimal"}),
            std::vector<std::string>{});
  Result<Topology> topology =
      scenario["topology_file"]
          ? readTopologyFile((kRoot / scenario["topology_file"].as<std::string>()).string())
          : parseTopology(YAML::Dump(scenario["topology"]), GetParam(),
                          {.format = TopologyFormat::NativeYaml});
  ASSERT_TRUE(topology) << topology.error().toString();
  const PathEngine engine(std::make_shared<const Topology>(std::move(*topology)));
  PathWorkspace ws;

  const YAML::Node r = scenario["request"];
  PathRequest request;
  auto from = engine.resolveNode(r["from"].as<std::string>());
  auto to = engine.resolveNode(r["to"].as<std::string>());
  ASSERT_TRUE(from && to);
  request.from = *from;
  request.to = *to;
  if (r["metric"]) request.metric = *parseMetric(r["metric"].as<std::string>());
  if (r["max_latency_ms"])
    request.constraints.max_latency = Micros(r["max_latency_ms"].as<double>() * 1000);
  if (r["max_hops"]) request.constraints.max_hops = r["max_hops"].as<int>();
  for (const auto& id : strings(r["exclude"])) {
    ASSERT_TRUE(engine.addExclusion(id, request.constraints).isOk()) << id;
  }
  for (const auto& id : strings(r["via"])) {
    if (auto f = engine.topology().findFiber(id)) {
      request.constraints.via.push_back({.is_fiber = true, .index = *f});
    } else {
      request.constraints.via.push_back({.is_fiber = false, .index = *engine.resolveNode(id)});
    }
  }

  std::vector<Path> paths;
  Status status;
  std::optional<bool> optimal;
  if (r["diverse"]) {
    auto pair = engine.diversePair(request, *parseDiversity(r["diverse"].as<std::string>()), ws);
    if (pair) {
      paths = {pair->working, pair->protection};
      optimal = pair->optimal;
    } else {
      status = pair.error();
    }
  } else if (r["k"] && r["k"].as<int>() > 1) {
    auto found = engine.kShortestPaths(request, r["k"].as<int>(), ws);
    if (found)
      paths = *found;
    else
      status = found.error();
  } else {
    auto path = engine.shortestPath(request, ws);
    if (path)
      paths = {*path};
    else
      status = path.error();
  }

  const YAML::Node expect = scenario["expect"];
  if (expect["error"]) {
    ASSERT_FALSE(status.isOk()) << "expected an error";
    EXPECT_NE(status.message().find(expect["error"].as<std::string>()), std::string::npos)
        << status.message();
    return;
  }
  ASSERT_TRUE(status.isOk()) << status.toString();
  if (expect["paths"]) {
    ASSERT_EQ(paths.size(), expect["paths"].size());
    for (std::size_t i = 0; i < paths.size(); ++i) {
      std::vector<std::string> ids;
      for (NodeIndex n : paths[i].nodes) ids.push_back(engine.topology().node(n).id);
      EXPECT_EQ(ids, strings(expect["paths"][i])) << "path " << i;
    }
  }
  if (expect["km"]) {
    ASSERT_EQ(paths.size(), expect["km"].size());
    for (std::size_t i = 0; i < paths.size(); ++i) {
      EXPECT_NEAR(paths[i].length.value(), expect["km"][i].as<double>(), 0.05) << "path " << i;
    }
  }
  if (expect["optimal"]) {
    ASSERT_TRUE(optimal.has_value());
    EXPECT_EQ(*optimal, expect["optimal"].as<bool>());
  }
}

INSTANTIATE_TEST_SUITE_P(Files, Scenario, testing::ValuesIn(scenarioFiles()), [](const auto& info) {
  std::string name;
  for (char c : info.param) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name;
});

}  // namespace
}  // namespace lightpath
