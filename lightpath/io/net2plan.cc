// Net2Plan .n2p (BSD-2-Clause tool, XML): nodes with xCoord (longitude) / yCoord (latitude),
// one-way links with lengthInKm, either directly under <network> or inside <layer>s.
#include <fmt/format.h>

#include "lightpath/io/internal/graph_sketch.h"
#include "lightpath/io/internal/readers.h"
#include "lightpath/io/internal/text.h"
#include "lightpath/io/internal/xml_text.h"

namespace lightpath::io {

Result<Topology> readNet2Plan(std::string_view text, std::string_view source,
                              const ImportOptions& options) {
  pugi::xml_document doc;
  LP_RETURN_IF_ERROR(loadXml(text, source, doc));
  pugi::xml_node network = doc.child("network");
  if (!network) {
    return fail(
        invalidArgument(fmt::format("{}: no <network> element: not a Net2Plan file", source)));
  }
  const LineIndex lines(text);
  auto line = [&](const pugi::xml_node& n) {
    return fmt::format("{}:{}", source, lines.lineOf(static_cast<std::size_t>(n.offset_debug())));
  };
  GraphSketch sketch;
  sketch.name = network.attribute("name").as_string();
  if (sketch.name.empty()) sketch.name = baseName(source);
  sketch.provenance = "Net2Plan (BSD-2-Clause): " + sketch.name;
  sketch.directed = true;

  for (pugi::xml_node n : network.children("node")) {
    SketchNode node{.key = n.attribute("id").as_string(),
                    .label = n.attribute("name").as_string(),
                    .origin = line(n)};
    if (node.key.empty()) return fail(invalidArgument(line(n) + ": <node> has no id attribute"));
    pugi::xml_attribute x = n.attribute("xCoord"), y = n.attribute("yCoord");
    if (x && y) {
      auto lon = parseNumber(x.value());
      auto lat = parseNumber(y.value());
      if (!lon || !lat || !isValidGeoPoint({*lat, *lon})) {
        return fail(invalidArgument(
            fmt::format("{}: node '{}' xCoord/yCoord must be a longitude "
                        "and a latitude, got '{}' and '{}'",
                        line(n), node.key, excerpt(x.value()), excerpt(y.value()))));
      }
      node.location = GeoPoint{*lat, *lon};
    }
    sketch.nodes.push_back(std::move(node));
  }

  auto addLinks = [&](pugi::xml_node parent) -> Status {
    for (pugi::xml_node l : parent.children("link")) {
      SketchLink link{.a = l.attribute("originNodeId").as_string(),
                      .b = l.attribute("destinationNodeId").as_string(),
                      .origin = line(l)};
      if (link.a.empty() || link.b.empty()) {
        return invalidArgument(line(l) + ": <link> needs originNodeId and destinationNodeId");
      }
      if (pugi::xml_attribute length = l.attribute("lengthInKm")) {
        link.length_km = parseNumber(length.value());
        if (!link.length_km) {
          return invalidArgument(fmt::format("{}: lengthInKm must be a number, got '{}'", line(l),
                                             excerpt(length.value())));
        }
      }
      sketch.links.push_back(std::move(link));
    }
    return Status::ok();
  };
  LP_RETURN_IF_ERROR(addLinks(network));
  // Multilayer plans repeat the physical links in each layer; read the default (first) one.
  pugi::xml_node layer = network.find_child_by_attribute("layer", "isDefaultLayer", "true");
  if (!layer) layer = network.child("layer");
  if (layer) LP_RETURN_IF_ERROR(addLinks(layer));
  return buildFromSketch(std::move(sketch), options);
}

}  // namespace lightpath::io
