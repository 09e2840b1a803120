// Loads every file of the public reference data (vendored in test/data; TopoHub's scale graphs
// from ../shared when present) and checks what it holds against counts
// read from the files themselves (node elements, and distinct undirected links: one-way
// links paired, Topology Zoo's duplicate circuit edges merged). Then round-trips each
// through the native YAML and JSON formats.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>

#include "lightpath/io/demo_network.h"
#include "lightpath/io/topology_io.h"
#include "lightpath/model/statistics.h"

namespace lightpath {
namespace {

namespace fs = std::filesystem;

struct Expected {
  std::size_t nodes;
  std::size_t fibers;
};

// Counts verified by reading each file (see the comment at the top).
const std::map<std::string, Expected> kTopologies = {
    {"coronet/CORONET_CONUS_Topology.json", {75, 99}},  // 198 one-way Fiber elements
    {"coronet/NSFNet_N14_E42.n2p", {14, 21}},           // 42 one-way links
    {"coronet/coronetUS_N75_E198.n2p", {75, 99}},       // 198 one-way links
    {"optical-rl-gym/nsfnet_chen.txt", {14, 22}},
    {"sndlib/abilene.txt", {12, 15}},
    {"sndlib/cost266.txt", {37, 57}},
    {"sndlib/geant.txt", {22, 36}},
    {"sndlib/germany50.txt", {50, 88}},
    {"sndlib/germany50.xml", {50, 88}},
    {"sndlib/janos-us.txt", {26, 84}},
    {"sndlib/nobel-eu.txt", {28, 41}},
    {"sndlib/nobel-us.txt", {14, 21}},
    {"sndlib/nobel-us.xml", {14, 21}},
    {"sndlib/polska.txt", {12, 18}},
    {"topohub/europe.gml", {852, 1287}},
    {"topohub/north_america.gml", {250, 350}},
    {"topologybench/conus30_undirected.json", {30, 36}},
    {"topologybench/conus75_undirected.json", {75, 99}},
    {"topologybench/cost239_deeprmsa_undirected.json", {11, 26}},
    {"topologybench/eon_undirected.json", {19, 37}},
    {"topologybench/jpn48_undirected.json", {48, 82}},
    {"topologybench/nobel_eu_undirected.json", {28, 41}},
    {"topologybench/nsfnet_deeprmsa_undirected.json", {14, 22}},
    {"topologybench/usnet_gcnrnn_undirected.json", {24, 43}},
    {"topologyzoo/Abilene.gml", {11, 14}},
    {"topologyzoo/AttMpls.gml", {25, 56}},     // 57 edges, one drawn twice
    {"topologyzoo/Deltacom.gml", {113, 161}},  // 183 edges
    {"topologyzoo/Geant2012.gml", {40, 61}},
    {"topologyzoo/Intellifiber.gml", {73, 95}},  // 97 edges
    {"topologyzoo/Internet2.gml", {20, 26}},
    {"topologyzoo/Ion.gml", {125, 146}},  // 150 edges
    {"topologyzoo/Sprint.gml", {11, 18}},
    {"topologyzoo/Tw.gml", {76, 115}},  // 118 edges
    {"topologyzoo/UsCarrier.gml", {158, 189}},
    // Abilene demand matrices: the SNDlib network structure with no links.
    {"abilene-tm/demandMatrix-abilene-zhang-5min-20040301-1100.xml", {12, 0}},
    {"abilene-tm/demandMatrix-abilene-zhang-5min-20040405-1100.xml", {12, 0}},
    {"abilene-tm/demandMatrix-abilene-zhang-5min-20040428-1100.xml", {12, 0}},
    {"abilene-tm/demandMatrix-abilene-zhang-5min-20040517-1100.xml", {12, 0}},
    {"abilene-tm/demandMatrix-abilene-zhang-5min-20040603-1100.xml", {12, 0}},
    {"abilene-tm/demandMatrix-abilene-zhang-5min-20040620-1100.xml", {12, 0}},
    {"abilene-tm/demandMatrix-abilene-zhang-5min-20040707-1100.xml", {12, 0}},
    {"abilene-tm/demandMatrix-abilene-zhang-5min-20040724-1100.xml", {12, 0}},
    {"abilene-tm/demandMatrix-abilene-zhang-5min-20040810-1100.xml", {12, 0}},
    {"abilene-tm/demandMatrix-abilene-zhang-5min-20040828-1100.xml", {12, 0}},
};

// Files that are not topologies, and the words their rejection must contain.
const std::map<std::string, std::string> kNotTopologies = {
    {"coronet/CORONET_services.json", "service request"},
    {"topologybench/deeprmsa_nsfnet_traffic_matrix.csv", "traffic matrix"},
};

fs::path dataRoot() { return fs::path(LIGHTPATH_TEST_DATA) / "topologies"; }

// Optional extras (not vendored: their terms are not stated) live only in the shared folder.
bool isOptionalExtra(const std::string& relative) { return relative.starts_with("topohub/"); }

fs::path locate(const std::string& relative) {
  if (isOptionalExtra(relative)) return fs::path(LIGHTPATH_SHARED_DATA) / "topologies" / relative;
  return dataRoot() / relative;
}

TEST(SharedData, EveryFileIsInTheTable) {
  ASSERT_TRUE(fs::is_directory(dataRoot())) << "test data not found at " << dataRoot();
  std::size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dataRoot())) {
    if (!entry.is_regular_file()) continue;
    std::string relative = fs::relative(entry.path(), dataRoot()).string();
    ++files;
    EXPECT_TRUE(kTopologies.contains(relative) || kNotTopologies.contains(relative))
        << relative << " is new: add its counts to the table";
  }
  std::size_t vendored = kNotTopologies.size();
  for (const auto& [relative, expected] : kTopologies)
    vendored += isOptionalExtra(relative) ? 0 : 1;
  EXPECT_EQ(files, vendored);
}

class SharedTopology : public testing::TestWithParam<std::pair<std::string, Expected>> {};

TEST_P(SharedTopology, LoadsWithExpectedCountsAndRoundTrips) {
  const auto& [relative, expected] = GetParam();
  if (!fs::exists(locate(relative)))
    GTEST_SKIP() << locate(relative) << " is absent (an optional extra)";
  auto t = readTopologyFile(locate(relative).string());
  ASSERT_TRUE(t) << t.error().toString();
  EXPECT_EQ(t->nodes().size(), expected.nodes);
  EXPECT_EQ(t->fibers().size(), expected.fibers);
  for (const Fiber& f : t->fibers()) {
    EXPECT_GT(f.length.value(), 0) << f.id;
  }

  for (bool yaml : {true, false}) {
    std::string text = yaml ? writeNativeYaml(*t) : writeNativeJson(*t);
    auto again = parseTopology(text, yaml ? "roundtrip.yaml" : "roundtrip.json");
    ASSERT_TRUE(again) << again.error().toString();
    std::string difference;
    EXPECT_TRUE(t->sameNetwork(*again, &difference)) << (yaml ? "yaml: " : "json: ") << difference;
    EXPECT_EQ(again->name(), t->name());
    EXPECT_EQ(again->provenance(), t->provenance());
  }
}

INSTANTIATE_TEST_SUITE_P(AllFiles, SharedTopology,
                         testing::ValuesIn(std::vector<std::pair<std::string, Expected>>(
                             kTopologies.begin(), kTopologies.end())),
                         [](const auto& info) {
                           std::string name;
                           for (char c : info.param.first)
                             name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return name;
                         });

TEST(SharedData, NonTopologiesAreRejectedWithTheReason) {
  for (const auto& [relative, words] : kNotTopologies) {
    auto t = readTopologyFile((dataRoot() / relative).string());
    ASSERT_FALSE(t) << relative;
    EXPECT_NE(t.error().message().find(words), std::string::npos) << t.error().message();
  }
}

TEST(SharedData, CoronetFromGnpyAndNet2PlanAgree) {
  auto gnpy = readTopologyFile((dataRoot() / "coronet/CORONET_CONUS_Topology.json").string());
  auto n2p = readTopologyFile((dataRoot() / "coronet/coronetUS_N75_E198.n2p").string());
  ASSERT_TRUE(gnpy && n2p);
  auto a = computeStatistics(*gnpy), b = computeStatistics(*n2p);
  EXPECT_NEAR(a.total_length.value(), b.total_length.value(), 0.01);
  EXPECT_NEAR(a.diameter.value(), b.diameter.value(), 0.01);
  EXPECT_EQ(a.estimated_lengths, 0u);
  // GNPy gives loss as 0.2 dB/km.
  const Fiber& f = gnpy->fiber(0);
  ASSERT_TRUE(f.loss);
  EXPECT_NEAR(f.loss->value(), 0.2 * f.length.value(), 1e-6);
}

TEST(SharedData, NobelUsCoordinatesAreDegreesMinutes) {
  auto t = readTopologyFile((dataRoot() / "sndlib/nobel-us.txt").string());
  ASSERT_TRUE(t);
  // Palo-Alto is written "-122.07 37.25": 37 deg 25 min = 37.4167.
  const Site* palo_alto = t->findSite("palo-alto");
  ASSERT_TRUE(palo_alto && palo_alto->location);
  EXPECT_NEAR(palo_alto->location->lat, 37.0 + 25.0 / 60.0, 1e-9);
  EXPECT_NEAR(palo_alto->location->lon, -(122.0 + 7.0 / 60.0), 1e-9);
  // Decimal reading of cost266 (Amsterdam 52.35) must stay decimal.
  auto cost = readTopologyFile((dataRoot() / "sndlib/cost266.txt").string());
  ASSERT_TRUE(cost);
  EXPECT_NEAR(cost->findSite("amsterdam")->location->lat, 52.35, 1e-9);
}

TEST(DemoNetwork, IsCoronetPlusDataCentersAndOnramps) {
  auto t = loadDemoNetwork();
  ASSERT_TRUE(t) << t.error().toString();
  auto s = computeStatistics(*t);
  EXPECT_EQ(s.sites_by_kind[SiteKind::Pop], 75u);
  EXPECT_GE(s.sites_by_kind[SiteKind::Datacenter], 10u);
  EXPECT_GE(s.sites_by_kind[SiteKind::CloudOnramp], 10u);
  EXPECT_EQ(s.components, 1u);
  EXPECT_GT(s.srlgs, 0u);
  EXPECT_TRUE(t->findings().empty());
  // Every data center and on-ramp has client ports and two metro fibers.
  for (const Site& site : t->sites()) {
    if (site.kind == SiteKind::Pop) continue;
    std::size_t ports = 0;
    for (const Port& p : t->ports()) ports += p.site == site.id;
    EXPECT_GT(ports, 0u) << site.id;
    auto node = t->findNode(site.id);
    ASSERT_TRUE(node) << site.id;
    EXPECT_EQ(t->degree(*node), 2u) << site.id;
  }
  // The 99 CORONET routes keep their real km: the same total as the GNPy source.
  auto gnpy = readTopologyFile((dataRoot() / "coronet/CORONET_CONUS_Topology.json").string());
  ASSERT_TRUE(gnpy);
  double coronet_km = 0;
  for (const Fiber& f : t->fibers()) {
    if (f.length_source == LengthSource::Measured) coronet_km += f.length.value();
  }
  EXPECT_NEAR(coronet_km, computeStatistics(*gnpy).total_length.value(), 0.01);
}

}  // namespace
}  // namespace lightpath
