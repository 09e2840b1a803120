#include <fmt/format.h>
#include <gtest/gtest.h>

#include <set>

#include "lightpath/io/internal/graph_sketch.h"
#include "lightpath/io/topology_io.h"

namespace lightpath {
namespace {

constexpr std::string_view kSmallYaml = R"(lightpath_topology: 1
name: two cities
sites:
  - {id: sea, name: Seattle, kind: pop, lat: 47.61, lon: -122.33}
  - {id: pdx, name: Portland, kind: datacenter, metro: Portland, lat: 45.52, lon: -122.68}
  - {id: aws, name: AWS Portland, kind: cloud_onramp, provider: aws, region: us-west-2}
nodes:
  - {id: sea-r, name: Seattle ROADM, site: sea}
  - {id: pdx-r, name: Portland ROADM, site: pdx, regeneration: false}
  - {id: aws-s, site: aws, kind: switch}
srlgs:
  - {id: i5, name: I-5 conduit, kind: conduit}
fibers:
  - {id: f1, a: sea-r, b: pdx-r, length_km: 280.5, loss_db: 61.2, cost: 7, srlgs: [i5]}
  - {id: f2, a: pdx-r, b: aws-s, length_km: 12, length_source: estimated, band_thz: [186.0, 190.0]}
ports:
  - {id: p1, name: "1/1", site: pdx, node: pdx-r, speed_gbps: 400, tenant: acme}
transceivers:
  - {id: t400, name: 400ZR, line_rate_gbps: 400, baud_gbd: 59.8, slot_width_ghz: 75, min_gsnr_db: 24.0, reach_km: 120}
)";

Result<Topology> parseYaml(std::string_view text) {
  return parseTopology(text, "net.yaml", {.format = TopologyFormat::NativeYaml});
}

std::string errorOf(const Result<Topology>& t) { return t ? "(no error)" : t.error().message(); }

TEST(NativeFormat, ReadsEveryField) {
  auto t = parseYaml(kSmallYaml);
  ASSERT_TRUE(t) << errorOf(t);
  EXPECT_EQ(t->name(), "two cities");
  const Fiber& f1 = t->fiber(*t->findFiber("f1"));
  EXPECT_DOUBLE_EQ(f1.length.value(), 280.5);
  EXPECT_DOUBLE_EQ(f1.loss->value(), 61.2);
  EXPECT_EQ(f1.cost, 7.0);
  EXPECT_EQ(f1.srlgs, std::vector<std::string>{"i5"});
  const Fiber& f2 = t->fiber(*t->findFiber("f2"));
  EXPECT_EQ(f2.length_source, LengthSource::Estimated);
  EXPECT_DOUBLE_EQ(f2.band.start_thz, 186.0);
  EXPECT_FALSE(t->node(*t->findNode("pdx-r")).regeneration);
  EXPECT_EQ(t->node(*t->findNode("aws-s")).kind, NodeKind::Switch);
  EXPECT_EQ(t->findSite("aws")->region, "us-west-2");
  EXPECT_EQ(t->ports()[0].tenant, "acme");
  EXPECT_EQ(t->ports()[0].name, "1/1");
  EXPECT_DOUBLE_EQ(t->transceivers()[0].baud_gbd, 59.8);
}

TEST(NativeFormat, RoundTripsThroughYamlAndJson) {
  auto t = parseYaml(kSmallYaml);
  ASSERT_TRUE(t);
  for (bool yaml : {true, false}) {
    auto again = parseTopology(yaml ? writeNativeYaml(*t) : writeNativeJson(*t), "again");
    ASSERT_TRUE(again) << errorOf(again);
    std::string why;
    EXPECT_TRUE(t->sameNetwork(*again, &why)) << why;
  }
}

TEST(NativeFormat, QuotesStringsThatLookLikeNumbers) {
  std::string_view text = R"(lightpath_topology: 1
sites: [{id: "1", name: "true"}]
nodes: [{id: "007", site: "1"}]
)";
  auto t = parseYaml(text);
  ASSERT_TRUE(t) << errorOf(t);
  auto again = parseTopology(writeNativeYaml(*t), "again.yaml");
  ASSERT_TRUE(again) << errorOf(again) << "\n" << writeNativeYaml(*t);
  EXPECT_EQ(again->sites()[0].name, "true");
  EXPECT_EQ(again->nodes()[0].id, "007");
}

struct BadInput {
  const char* name;
  const char* text;
  const char* message;  // must appear in the error
};

class NativeRejects : public testing::TestWithParam<BadInput> {};

TEST_P(NativeRejects, WithWhereAndWhy) {
  auto t = parseYaml(GetParam().text);
  ASSERT_FALSE(t);
  EXPECT_NE(t.error().message().find(GetParam().message), std::string::npos) << t.error().message();
}

INSTANTIATE_TEST_SUITE_P(
    Cases, NativeRejects,
    testing::Values(
        BadInput{"NotYaml", "lightpath_topology: 1\nsites: [\n", "net.yaml:3: not valid YAML"},
        BadInput{"NoVersion", "name: x\n", "missing required key 'lightpath_topology'"},
        BadInput{"FutureVersion", "lightpath_topology: 9\n", "unsupported format version 9"},
        BadInput{"UnknownKey", "lightpath_topology: 1\nsites:\n  - id: a\n    lattitude: 3\n",
                 "net.yaml:4 (/sites/0/lattitude): unknown key 'lattitude'"},
        BadInput{"WrongType",
                 "lightpath_topology: 1\nsites: [{id: a}]\nnodes: [{id: n, site: a}]\n"
                 "fibers:\n  - {id: f, a: n, b: n, length_km: long}\n",
                 "net.yaml:5 (/fibers/0/length_km): expected a number, got string"},
        BadInput{"NumberForString", "lightpath_topology: 1\nsites: [{id: 12}]\n",
                 "(/sites/0/id): expected a string, got number (quote it)"},
        BadInput{"BadKind", "lightpath_topology: 1\nsites: [{id: a, kind: castle}]\n",
                 "unknown site kind 'castle': expected one of pop, datacenter"},
        BadInput{"HalfCoordinates", "lightpath_topology: 1\nsites: [{id: a, lat: 3}]\n",
                 "give both 'lat' and 'lon'"},
        BadInput{"OutOfRange", "lightpath_topology: 1\nsites: [{id: a, lat: 91, lon: 0}]\n",
                 "coordinates (91, 0) are not a latitude"},
        BadInput{"DanglingNode",
                 "lightpath_topology: 1\nsites: [{id: a}]\nnodes: [{id: n, site: a}]\n"
                 "fibers: [{id: f, a: n, b: m, length_km: 3}]\n",
                 "fiber 'f' (net.yaml:4 (/fibers/0)): ends at unknown node 'm'"},
        BadInput{
            "NegativeLength",
            "lightpath_topology: 1\nsites: [{id: a}]\nnodes: [{id: n, site: a}, {id: m, site: a}]\n"
            "fibers: [{id: f, a: n, b: m, length_km: -3}]\n",
            "length must be a positive number of km, got -3"},
        BadInput{
            "InfiniteLength",
            "lightpath_topology: 1\nsites: [{id: a}]\nnodes: [{id: n, site: a}, {id: m, site: a}]\n"
            "fibers: [{id: f, a: n, b: m, length_km: .inf}]\n",
            "expected a number, got string"},
        BadInput{"ListExpected", "lightpath_topology: 1\nsites: {id: a}\n",
                 "(/sites): expected a list, got object"},
        BadInput{"DuplicateKey", "lightpath_topology: 1\nname: a\nname: b\n",
                 "key 'name' appears twice"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(NativeFormat, RejectsDeepNesting) {
  std::string text =
      "lightpath_topology: 1\nx: " + std::string(100, '[') + "1" + std::string(100, ']') + "\n";
  auto t = parseYaml(text);
  ASSERT_FALSE(t);
  EXPECT_NE(t.error().message().find("nested deeper than 64 levels"), std::string::npos)
      << t.error().message();
}

// "Billion laughs": each alias repeats the one before ten times; expanded, 10^9 values.
TEST(NativeFormat, RefusesAliasesThatExpandBeyondTheFile) {
  std::string text = "lightpath_topology: 1\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 9; ++i) {
    text += fmt::format("a{}: &a{} [", i, i);
    for (int j = 0; j < 10; ++j) text += fmt::format("{}*a{}", j ? ", " : "", i - 1);
    text += "]\n";
  }
  auto t = parseYaml(text);
  ASSERT_FALSE(t);
  EXPECT_NE(t.error().message().find("aliases repeated"), std::string::npos) << t.error().message();
  // An alias used a few times is fine.
  EXPECT_EQ(errorOf(parseYaml("lightpath_topology: 1\nx: &x [1, 2]\ny: *x\n")).find("aliases"),
            std::string::npos);
}

TEST(JsonInput, ErrorsNameTheLineAndPointer) {
  auto t = parseTopology("{\"lightpath_topology\": 1,\n \"sites\": [\n  {\"id\": 5}]}", "net.json");
  ASSERT_FALSE(t);
  EXPECT_NE(t.error().message().find("net.json: /sites/0/id: expected a string"), std::string::npos)
      << t.error().message();
  auto broken =
      parseTopology("{\"lightpath_topology\": 1,\n \"sites\": [\n  {\"id\": }]}", "net.json");
  ASSERT_FALSE(broken);
  EXPECT_NE(broken.error().message().find("net.json:3: not valid JSON"), std::string::npos)
      << broken.error().message();
  auto deep = parseTopology(std::string(100000, '[') + std::string(100000, ']'), "deep.json",
                            {.format = TopologyFormat::NativeJson});
  ASSERT_FALSE(deep);
  EXPECT_NE(deep.error().message().find("nested 100000 levels deep"), std::string::npos);
}

TEST(Gml, HandlesZooQuirks) {
  // Repeated labels, a node without coordinates between two that have them, a duplicate edge.
  std::string_view text = R"(graph [
  label "Tiny"
  node [ id 0 label "Springfield" Latitude 39.80 Longitude -89.64 ]
  node [ id 1 label "Springfield" Latitude 42.10 Longitude -72.59 ]
  node [ id 2 label "Hub" ]
  edge [ source 0 target 2 ]
  edge [ source 2 target 1 ]
  edge [ source 1 target 2 LinkLabel "second circuit" ]
])";
  auto t = parseTopology(text, "tiny.gml");
  ASSERT_TRUE(t) << errorOf(t);
  EXPECT_EQ(t->nodes().size(), 3u);
  EXPECT_EQ(t->fibers().size(), 2u);
  EXPECT_TRUE(t->findNode("springfield-0"));
  EXPECT_TRUE(t->findNode("springfield-1"));
  for (const Fiber& f : t->fibers()) EXPECT_EQ(f.length_source, LengthSource::Estimated);
  // The hub sits halfway: its two links together are about the great circle x 1.3.
  double total = t->fibers()[0].length.value() + t->fibers()[1].length.value();
  double direct = greatCircle({39.80, -89.64}, {42.10, -72.59}).value() * 1.3;
  EXPECT_NEAR(total, direct, direct * 0.05);
  std::set<std::string> codes;
  for (const Finding& f : t->findings()) codes.insert(f.code);
  EXPECT_TRUE(codes.contains("duplicate-link-merged"));
  EXPECT_TRUE(codes.contains("no-coordinates"));
}

TEST(Gml, RejectsMalformed) {
  for (auto [text, message] : std::vector<std::pair<std::string, std::string>>{
           {"graph [ node [ id 0 ]", "t.gml:1: unexpected end of file"},
           {"graph [ node [ id 0 label \"x ] ]", "string is not closed"},
           {"graph [ node [ id 0 ] ] ]", "']' without a matching '['"},
           {"graph [ edge [ source 0 target 1 ] ]", "link refers to unknown node '0'"},
           {"graph [ node [ id 0 ] edge [ source 0 ] ]", "edge needs 'source' and 'target'"},
           {"graph [ node [ id 0 Latitude 95 Longitude 0 ] ]", "coordinates out of range"},
           {"graph [ x 12abc ]", "value of 'x' must be a number"},
           {"nodes [ ]", "no 'graph [ ... ]' found"},
           {"graph [" +
                [] {
                  std::string deep;
                  for (int i = 0; i < 200; ++i) deep += " a [";
                  return deep;
                }(),
            "nested deeper than 64"},
       }) {
    auto t = parseTopology(text, "t.gml", {.format = TopologyFormat::Gml});
    ASSERT_FALSE(t) << text;
    EXPECT_NE(t.error().message().find(message), std::string::npos) << t.error().message();
  }
}

TEST(Sndlib, ReadsTextAndFlagsErrors) {
  std::string_view text = R"(?SNDlib native format; type: network; version: 1.0
NODES (
  A ( 10.00 50.00 )
  B ( 11.00 50.50 )
)
LINKS (
  L1 ( A B ) 0.00 0.00 0.00 0.00 ( 40.00 3290.00 )
)
)";
  auto t = parseTopology(text, "n.txt");
  ASSERT_TRUE(t) << errorOf(t);
  EXPECT_EQ(t->fibers().size(), 1u);
  EXPECT_EQ(t->fibers()[0].length_source, LengthSource::Estimated);
  auto bad = parseTopology("?SNDlib\nNODES (\n  A ( x 3 )\n)\n", "n.txt");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("n.txt:3: node 'A' coordinates must be two numbers"),
            std::string::npos)
      << bad.error().message();
  auto unclosed = parseTopology("?SNDlib\nNODES (\n  A ( 1 3 )\n", "n.txt");
  ASSERT_FALSE(unclosed);
  EXPECT_NE(unclosed.error().message().find("not closed"), std::string::npos);
  auto planar = parseTopology(
      "?SNDlib\nNODES (\n  A ( 100 300 )\n  B ( 400 700 )\n)\nLINKS (\n  L ( A B ) 0 )\n)\n",
      "p.txt");
  ASSERT_TRUE(planar) << errorOf(planar);
  EXPECT_FALSE(planar->sites()[0].location);
  EXPECT_DOUBLE_EQ(planar->fibers()[0].length.value(), 500.0);
  EXPECT_EQ(planar->fibers()[0].length_source, LengthSource::Assumed);
}

TEST(DegreesMinutes, DetectedOnlyWhenEveryValueFits) {
  using io::looksLikeDegreesMinutes;
  EXPECT_TRUE(looksLikeDegreesMinutes(
      {"37.25", "-122.07", "32.42", "-117.08", "40.00", "-105.16", "38.52", "-77.02"}));
  EXPECT_FALSE(looksLikeDegreesMinutes({"37.25", "-122.07", "32.42", "-117.08", "40.00", "-105.16",
                                        "38.52", "-77.72"}));  // .72 is no minute
  EXPECT_FALSE(looksLikeDegreesMinutes({"37.2500", "-122.07", "32.42", "-117.08", "40.00",
                                        "-105.16", "38.52", "-77.02"}));  // four decimals
  EXPECT_NEAR(io::degreesMinutesToDecimal(-122.30), -122.5, 1e-12);
}

TEST(Gnpy, ChainsSpansAndAmplifiers) {
  std::string_view text = R"({"elements": [
    {"uid": "roadm A", "type": "Roadm", "metadata": {"location": {"city": "A", "latitude": 40, "longitude": -100}}},
    {"uid": "roadm B", "type": "Roadm", "metadata": {"location": {"city": "B", "latitude": 41, "longitude": -99}}},
    {"uid": "f1", "type": "Fiber", "params": {"length": 80, "length_units": "km", "loss_coef": 0.2}},
    {"uid": "amp", "type": "Edfa"},
    {"uid": "f2", "type": "Fiber", "params": {"length": 40000, "length_units": "m", "loss_coef": 0.25, "con_in": 0.5}},
    {"uid": "f3", "type": "Fiber", "params": {"length": 120, "loss_coef": 0.2}}],
   "connections": [
    {"from_node": "roadm A", "to_node": "f1"}, {"from_node": "f1", "to_node": "amp"},
    {"from_node": "amp", "to_node": "f2"}, {"from_node": "f2", "to_node": "roadm B"},
    {"from_node": "roadm B", "to_node": "f3"}, {"from_node": "f3", "to_node": "roadm A"}]})";
  auto t = parseTopology(text, "g.json");
  ASSERT_TRUE(t) << errorOf(t);
  ASSERT_EQ(t->fibers().size(), 1u);
  EXPECT_DOUBLE_EQ(t->fibers()[0].length.value(), 120.0);
  EXPECT_DOUBLE_EQ(t->fibers()[0].loss->value(), 80 * 0.2 + 40 * 0.25 + 0.5);
  // The file places an amplifier: its spans are kept for the line design.
  const auto& spans = t->fibers()[0].spans;
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_DOUBLE_EQ(spans[0].length.value(), 80);
  EXPECT_DOUBLE_EQ(spans[0].loss.value(), 16);
  EXPECT_DOUBLE_EQ(spans[1].loss.value(), 10.5);
  // Natively written and read back, spans and all.
  auto again = parseTopology(writeNativeYaml(*t), "n.yaml");
  ASSERT_TRUE(again) << errorOf(again);
  EXPECT_EQ(again->fibers()[0].spans, spans);
  auto loop = parseTopology(
      R"({"elements": [{"uid": "r", "type": "Roadm"}, {"uid": "f", "type": "Fiber", "params": {"length": 3}}],
     "connections": [{"from_node": "r", "to_node": "f"}, {"from_node": "f", "to_node": "f"}]})",
      "g.json");
  ASSERT_FALSE(loop);
  EXPECT_NE(loop.error().message().find("loop"), std::string::npos) << loop.error().message();
  auto unknown = parseTopology(
      R"({"elements": [], "connections": [{"from_node": "r", "to_node": "f"}]})", "g.json");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message().find("/connections/0: connects unknown element 'r'"),
            std::string::npos)
      << unknown.error().message();
}

TEST(Gnpy, FusedJoinsSpansAndNamedAmplifiersStay) {
  std::string_view text = R"({"elements": [
    {"uid": "roadm A", "type": "Roadm"}, {"uid": "roadm B", "type": "Roadm"},
    {"uid": "boost", "type": "Edfa", "type_variety": "std_medium_gain"},
    {"uid": "f1", "type": "Fiber", "params": {"length": 50, "loss_coef": 0.2}},
    {"uid": "splice", "type": "Fused", "params": {"loss": 0.5}},
    {"uid": "f2", "type": "Fiber", "params": {"length": 30, "loss_coef": 0.2}},
    {"uid": "pre", "type": "Edfa", "type_variety": "std_low_gain"}],
   "connections": [
    {"from_node": "roadm A", "to_node": "boost"}, {"from_node": "boost", "to_node": "f1"},
    {"from_node": "f1", "to_node": "splice"}, {"from_node": "splice", "to_node": "f2"},
    {"from_node": "f2", "to_node": "pre"}, {"from_node": "pre", "to_node": "roadm B"}]})";
  auto t = parseTopology(text, "g.json");
  ASSERT_TRUE(t) << errorOf(t);
  const auto& spans = t->fibers()[0].spans;
  ASSERT_EQ(spans.size(), 1u);  // the splice joins the two fibers into one span
  EXPECT_DOUBLE_EQ(spans[0].length.value(), 80);
  EXPECT_DOUBLE_EQ(spans[0].loss.value(), 16.5);
  EXPECT_EQ(spans[0].amplifier, "std_low_gain");  // the booster belongs to the ROADM
}

TEST(Native, RefusesSpansThatDoNotMakeTheFiber) {
  const std::string head = R"(lightpath_topology: 1
sites: [{id: a}, {id: b}]
nodes: [{id: a, site: a}, {id: b, site: b}]
fibers:
  - {id: f, a: a, b: b, length_km: 100, spans: )";
  auto bad_sum = parseTopology(head + "[{km: 60, loss_db: 12}]}\n", "s.yaml");
  ASSERT_FALSE(bad_sum);
  EXPECT_NE(bad_sum.error().message().find("its spans add up to 60 km, not its length 100 km"),
            std::string::npos)
      << bad_sum.error().message();
  auto bad_entry = parseTopology(head + "[{km: 100}]}\n", "s.yaml");
  ASSERT_FALSE(bad_entry);
  EXPECT_NE(bad_entry.error().message().find("/fibers/0/spans/0"), std::string::npos)
      << bad_entry.error().message();
  auto good = parseTopology(head + "[{km: 40, loss_db: 8}, {km: 60, loss_db: 13, amplifier: x}]}\n",
                            "s.yaml");
  ASSERT_TRUE(good) << errorOf(good);
  EXPECT_EQ(good->fibers()[0].spans[1].amplifier, "x");
}

TEST(EdgeList, ChecksHeaderAgainstLines) {
  auto t = parseTopology("# c\n3\n2\n1 2 100\n2 3 50\n", "e.txt");
  ASSERT_TRUE(t) << errorOf(t);
  EXPECT_EQ(t->fibers().size(), 2u);
  auto bad = parseTopology("3\n3\n1 2 100\n", "e.txt");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("header says 3 links, file has 1"), std::string::npos);
  auto huge = parseTopology("113645\n1\n1 2 100\n", "e.txt", {.format = TopologyFormat::EdgeList});
  ASSERT_FALSE(huge);
  EXPECT_NE(huge.error().message().find("e.txt:1: the node count says 113645, but 1 links join "
                                        "at most 2 nodes"),
            std::string::npos)
      << huge.error().message();
  auto nan = parseTopology("3\n1\n1 2 nan\n", "e.txt", {.format = TopologyFormat::EdgeList});
  ASSERT_FALSE(nan);
  EXPECT_NE(nan.error().message().find("e.txt:3: length 'nan' is not a number"), std::string::npos)
      << nan.error().message();
}

TEST(Detection, SaysWhenItCannotTell) {
  auto t = parseTopology("hello world", "x.dat");
  ASSERT_FALSE(t);
  EXPECT_NE(t.error().message().find("cannot tell the topology format"), std::string::npos);
  auto huge = parseTopology(std::string(kMaxTopologyBytes + 1, ' '), "big.yaml");
  ASSERT_FALSE(huge);
  EXPECT_NE(huge.error().message().find("more than the 64 MiB"), std::string::npos);
}

}  // namespace
}  // namespace lightpath
