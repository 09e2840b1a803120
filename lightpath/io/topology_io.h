// Reading and writing topologies: the native Lightpath format (YAML or JSON, lossless) and
// the public formats carriers and researchers publish networks in, plus GeoJSON for maps.
//
//   ImportOptions options;                       // format detected from content and name
//   Result<Topology> t = readTopologyFile("Geant2012.gml", options);
//   if (!t) { std::cerr << t.error().message(); return 1; }   // names file, line, why
//   Status s = writeTopologyFile(*t, "geant.yaml");           // format from the extension
//
// Every reader rejects malformed input with a message naming where and why; none throws,
// and none reads more than kMaxTopologyBytes or nests deeper than kMaxNestingDepth.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "lightpath/base/status.h"
#include "lightpath/model/optical_equipment.h"
#include "lightpath/model/topology.h"

namespace lightpath {

enum class TopologyFormat {
  NativeYaml,    // Lightpath native, YAML (docs/topology-format.md)
  NativeJson,    // Lightpath native, JSON
  Gml,           // Internet Topology Zoo and TopoHub GML
  SndlibText,    // SNDlib native text format
  SndlibXml,     // SNDlib XML
  NodeLinkJson,  // networkx node-link JSON, as TopologyBench publishes it
  GnpyJson,      // GNPy topology JSON (elements + connections)
  Net2Plan,      // Net2Plan .n2p (XML)
  EdgeList,      // plain "a b km" edge list (optical-rl-gym)
  GeoJson,       // GeoJSON FeatureCollection (written for maps; not read)
};

std::string_view toString(TopologyFormat format);
// Accepts the names above in kebab case: "native-yaml", "gml", "sndlib-xml", "node-link", ...
Result<TopologyFormat> parseTopologyFormat(std::string_view name);

// How coordinates in SNDlib files are written.
enum class CoordinateConvention {
  Auto,            // decide from the numbers (see docs/topology-format.md)
  Decimal,         // decimal degrees
  DegreesMinutes,  // 37.25 means 37 degrees 25 minutes
  Planar,          // x/y on a plane in unknown units: no geographic position
};

struct ImportOptions {
  std::optional<TopologyFormat> format;  // detect when absent
  // Fiber routes are longer than the great circle; 1.2 to 1.5 is usual. Estimated lengths are
  // great-circle km x this factor and are marked LengthSource::Estimated.
  double route_factor = 1.3;
  // Length given to a fiber whose ends have no position at all (marked Assumed).
  Km assumed_length{100.0};
  CoordinateConvention coordinates = CoordinateConvention::Auto;
};

inline constexpr std::size_t kMaxTopologyBytes = 64u << 20;
inline constexpr int kMaxNestingDepth = 64;

// Guesses the format from the content (and the name's extension when the content is
// ambiguous). Fails when neither says.
Result<TopologyFormat> detectTopologyFormat(std::string_view text, std::string_view file_name);

// Parses text read from `source_name` (used in messages and as the default network name).
Result<Topology> parseTopology(std::string_view text, std::string_view source_name,
                               const ImportOptions& options = {});

Result<Topology> readTopologyFile(const std::string& path, const ImportOptions& options = {});

// Writers. Native output round-trips exactly: parse(write(t)) is the same network as t.
std::string writeNativeYaml(const Topology& topology);
std::string writeNativeJson(const Topology& topology);
std::string writeGeoJson(const Topology& topology);

// Any JSON document as YAML, written the way native files are (a string that would read as
// something else quoted; numbers exact). The CLI's `--output yaml`.
std::string jsonAsYaml(const nlohmann::ordered_json& document);

// Picks the writer from the extension: .yaml/.yml, .json, .geojson.
Status writeTopologyFile(const Topology& topology, const std::string& path);

// Reads a whole file, refusing one larger than max_bytes.
Result<std::string> readFileText(const std::string& path,
                                 std::size_t max_bytes = kMaxTopologyBytes);

// A GNPy equipment file (eqpt_config.json) as Lightpath's optical equipment library. Missing or
// contradictory entries are refused with the JSON pointer and the reason, e.g.
// "eqpt.json: /Edfa/3/nf_min: expected a number".
Result<OpticalEquipment> readGnpyEquipment(std::string_view text, std::string_view source);

}  // namespace lightpath
