// GeoJSON out, for maps: a Point per site and a LineString per fiber whose ends have
// coordinates, with the properties a map needs for colour and tooltips.
#include <nlohmann/json.hpp>

#include "lightpath/io/internal/readers.h"

namespace lightpath::io {

std::string geoJson(const Topology& t) {
  using nlohmann::ordered_json;
  ordered_json features = ordered_json::array();
  for (const Site& s : t.sites()) {
    if (!s.location) continue;
    features.push_back(
        {{"type", "Feature"},
         {"id", "site/" + s.id},
         {"geometry", {{"type", "Point"}, {"coordinates", {s.location->lon, s.location->lat}}}},
         {"properties",
          {{"element", "site"},
           {"id", s.id},
           {"name", s.name},
           {"kind", std::string(toString(s.kind))},
           {"metro", s.metro}}}});
  }
  for (FiberIndex f = 0; f < t.fibers().size(); ++f) {
    const Fiber& fiber = t.fiber(f);
    auto a = t.location(t.fiberA(f));
    auto b = t.location(t.fiberB(f));
    if (!a || !b) continue;
    features.push_back(
        {{"type", "Feature"},
         {"id", "fiber/" + fiber.id},
         {"geometry",
          {{"type", "LineString"}, {"coordinates", {{a->lon, a->lat}, {b->lon, b->lat}}}}},
         {"properties",
          {{"element", "fiber"},
           {"id", fiber.id},
           {"a", fiber.a},
           {"b", fiber.b},
           {"length_km", fiber.length.value()},
           {"length_source", std::string(toString(fiber.length_source))},
           {"latency_ms", fiberLatency(fiber.length).value() / 1000.0},
           {"srlgs", fiber.srlgs}}}});
  }
  ordered_json doc{{"type", "FeatureCollection"}, {"name", t.name()}, {"features", features}};
  return doc.dump(1) + "\n";
}

}  // namespace lightpath::io
