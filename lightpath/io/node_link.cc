// networkx node-link JSON, as TopologyBench publishes the standard RSA benchmark networks:
// nodes with latitude/longitude, links with distance in km.
#include <fmt/format.h>

#include "lightpath/io/internal/graph_sketch.h"
#include "lightpath/io/internal/json_text.h"
#include "lightpath/io/internal/readers.h"
#include "lightpath/io/internal/text.h"

namespace lightpath::io {
namespace {

std::optional<std::string> keyOf(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<long long>());
  return std::nullopt;
}

std::optional<double> numberIn(const nlohmann::json& object,
                               std::initializer_list<const char*> keys) {
  for (const char* key : keys) {
    auto it = object.find(key);
    if (it != object.end() && it->is_number()) return it->get<double>();
  }
  return std::nullopt;
}

}  // namespace

Result<Topology> readNodeLinkJson(std::string_view text, std::string_view source,
                                  const ImportOptions& options) {
  LP_ASSIGN_OR_RETURN(auto json, parseJson(text, source));
  const auto& doc = json;
  if (!doc.is_object() || !doc.contains("nodes") || !doc["nodes"].is_array()) {
    return fail(
        invalidArgument(fmt::format("{}: expected an object with a \"nodes\" array", source)));
  }
  const char* links_key = doc.contains("links") ? "links" : "edges";
  if (!doc.contains(links_key) || !doc[links_key].is_array()) {
    return fail(invalidArgument(fmt::format("{}: expected a \"links\" array", source)));
  }
  GraphSketch sketch;
  sketch.name = baseName(source);
  sketch.provenance = "TopologyBench (networkx node-link JSON, MIT): " + sketch.name;
  sketch.directed = doc.value("directed", false) == true;
  const auto& nodes = doc["nodes"];
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const auto& n = nodes[i];
    const std::string where = fmt::format("{}: /nodes/{}", source, i);
    if (!n.is_object()) return fail(invalidArgument(where + ": expected an object"));
    auto key = n.contains("id") ? keyOf(n["id"]) : std::nullopt;
    if (!key) return fail(invalidArgument(where + "/id: expected a string or integer id"));
    SketchNode node{.key = *key, .label = *key, .origin = where};
    if (n.contains("label") && n["label"].is_string()) node.label = n["label"].get<std::string>();
    auto lat = numberIn(n, {"latitude", "lat", "Latitude"});
    auto lon = numberIn(n, {"longitude", "lon", "Longitude"});
    if (lat && lon) {
      node.location = GeoPoint{*lat, *lon};
      if (!isValidGeoPoint(*node.location)) {
        return fail(invalidArgument(
            fmt::format("{}: coordinates ({}, {}) out of range", where, *lat, *lon)));
      }
    }
    sketch.nodes.push_back(std::move(node));
  }
  const auto& links = doc[links_key];
  for (std::size_t i = 0; i < links.size(); ++i) {
    const auto& l = links[i];
    const std::string where = fmt::format("{}: /{}/{}", source, links_key, i);
    if (!l.is_object()) return fail(invalidArgument(where + ": expected an object"));
    auto a = l.contains("source") ? keyOf(l["source"]) : std::nullopt;
    auto b = l.contains("target") ? keyOf(l["target"]) : std::nullopt;
    if (!a || !b) return fail(invalidArgument(where + ": expected \"source\" and \"target\" ids"));
    SketchLink link{.a = *a, .b = *b, .origin = where};
    for (const char* key : {"distance", "length", "weight"}) {
      if (!l.contains(key)) continue;
      if (!l[key].is_number()) {
        return fail(invalidArgument(fmt::format("{}/{}: expected a number of km, got {}", where,
                                                key, jsonTypeName(l[key]))));
      }
      link.length_km = l[key].get<double>();
      break;
    }
    sketch.links.push_back(std::move(link));
  }
  return buildFromSketch(std::move(sketch), options);
}

}  // namespace lightpath::io
