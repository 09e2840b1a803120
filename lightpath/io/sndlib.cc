// SNDlib networks (Orlowski et al., Networks 55(3), 2010) in the native text format and in
// XML. Neither carries fiber lengths. Coordinates are written three ways in the wild:
// decimal degrees, degrees.minutes (nobel-us: 37.25 = 37 deg 25 min), and planar x/y.
#include <fmt/format.h>

#include <sstream>

#include "lightpath/io/internal/graph_sketch.h"
#include "lightpath/io/internal/readers.h"
#include "lightpath/io/internal/text.h"
#include "lightpath/io/internal/xml_text.h"

namespace lightpath::io {
namespace {

std::string provenance(const std::string& name) {
  return "SNDlib 1.0 (Orlowski, Wessaely, Pioro, Tomaszewski, Networks 55(3), 2010): " + name +
         "; lengths estimated from coordinates";
}

// Applies the coordinate convention to the sketch's nodes, whose positions hold the numbers
// as written (x = lon in .lon, y = lat in .lat). `texts` are the numbers as written.
Status applyConvention(GraphSketch& sketch, const std::vector<std::string>& texts,
                       CoordinateConvention convention, bool declared_planar,
                       std::string_view source) {
  if (convention == CoordinateConvention::Auto) {
    bool in_range = true;
    for (const auto& n : sketch.nodes) {
      if (n.location && !isValidGeoPoint(*n.location)) in_range = false;
    }
    if (declared_planar || !in_range) {
      convention = CoordinateConvention::Planar;
    } else if (looksLikeDegreesMinutes(texts)) {
      convention = CoordinateConvention::DegreesMinutes;
    } else {
      convention = CoordinateConvention::Decimal;
    }
  }
  switch (convention) {
    case CoordinateConvention::Planar:
      sketch.planar = true;
      sketch.notes.push_back({Severity::Warning, "planar-coordinates",
                              fmt::format("{}: coordinates are planar x/y, not latitude and "
                                          "longitude: no map positions, lengths assumed from "
                                          "x/y distance",
                                          source)});
      break;
    case CoordinateConvention::DegreesMinutes:
      for (auto& n : sketch.nodes) {
        if (!n.location) continue;
        n.location = GeoPoint{degreesMinutesToDecimal(n.location->lat),
                              degreesMinutesToDecimal(n.location->lon)};
      }
      sketch.notes.push_back({Severity::Warning, "degrees-minutes",
                              fmt::format("{}: coordinates read as degrees.minutes (every value "
                                          "has two decimals below .60); pass --coordinates "
                                          "decimal to override",
                                          source)});
      break;
    default:
      break;
  }
  if (!sketch.planar) {
    for (const auto& n : sketch.nodes) {
      if (n.location && !isValidGeoPoint(*n.location)) {
        return invalidArgument(
            fmt::format("{}: node '{}' coordinates ({}, {}) are not a "
                        "longitude and a latitude",
                        n.origin, n.key, n.location->lon, n.location->lat));
      }
    }
  }
  return Status::ok();
}

// Splits "  ATLAM5 ( -84.3833 33.75 )" into words, treating '(' and ')' as words.
std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    if (i >= line.size()) break;
    if (line[i] == '(' || line[i] == ')') {
      out.push_back(line.substr(i, 1));
      ++i;
      continue;
    }
    std::size_t start = i;
    while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i])) &&
           line[i] != '(' && line[i] != ')') {
      ++i;
    }
    out.push_back(line.substr(start, i - start));
  }
  return out;
}

}  // namespace

Result<Topology> readSndlibText(std::string_view text, std::string_view source,
                                const ImportOptions& options) {
  GraphSketch sketch;
  sketch.name = baseName(source);
  std::vector<std::string> coordinate_texts;
  enum class Section { None, Nodes, Links, Other } section = Section::None;
  int other_depth = 0;  // sections we skip (DEMANDS, ADMISSIBLE_PATHS) nest their own blocks
  bool saw_nodes = false;
  CommentedLines lines(text);
  std::string_view line;
  while (lines.next(line)) {
    auto w = words(line);
    if (w.empty() || w[0].starts_with("?")) continue;
    const std::string where = fmt::format("{}:{}", source, lines.number());
    if (section == Section::None) {
      if (w.size() == 2 && w[1] == "(") {
        section = w[0] == "NODES"   ? Section::Nodes
                  : w[0] == "LINKS" ? Section::Links
                                    : Section::Other;
        if (section == Section::Nodes) saw_nodes = true;
        other_depth = 1;
        continue;
      }
      if (w[0] == "network" || w[0] == "NETWORK") continue;
      return fail(
          invalidArgument(fmt::format("{}: expected a section such as 'NODES (' or "
                                      "'LINKS (', found '{}'",
                                      where, excerpt(line))));
    }
    if (section == Section::Other) {
      for (auto word : w) other_depth += word == "(" ? 1 : word == ")" ? -1 : 0;
      if (other_depth <= 0) section = Section::None;
      continue;
    }
    if (w.size() == 1 && w[0] == ")") {
      section = Section::None;
      continue;
    }
    if (section == Section::Nodes) {
      // <node_id> ( <x> <y> )   or just <node_id>
      SketchNode node{.key = std::string(w[0]), .label = std::string(w[0]), .origin = where};
      if (w.size() >= 5 && w[1] == "(" && w[4] == ")") {
        auto x = parseNumber(w[2]);
        auto y = parseNumber(w[3]);
        if (!x || !y) {
          return fail(
              invalidArgument(fmt::format("{}: node '{}' coordinates must be two numbers, "
                                          "got '{} {}'",
                                          where, w[0], excerpt(w[2]), excerpt(w[3]))));
        }
        node.location = GeoPoint{*y, *x};
        coordinate_texts.emplace_back(w[2]);
        coordinate_texts.emplace_back(w[3]);
      } else if (w.size() != 1) {
        return fail(invalidArgument(
            fmt::format("{}: expected '<node> ( <x> <y> )', found '{}'", where, excerpt(line))));
      }
      sketch.nodes.push_back(std::move(node));
    } else if (section == Section::Links) {
      // <link_id> ( <source> <target> ) <capacities and costs...>
      if (w.size() < 5 || w[1] != "(" || w[4] != ")") {
        return fail(
            invalidArgument(fmt::format("{}: expected '<link> ( <source> <target> ) ...', "
                                        "found '{}'",
                                        where, excerpt(line))));
      }
      sketch.links.push_back({.a = std::string(w[2]), .b = std::string(w[3]), .origin = where});
    }
  }
  if (section != Section::None) {
    return fail(
        invalidArgument(fmt::format("{}:{}: unexpected end of file: a section is not "
                                    "closed with ')'",
                                    source, lines.number())));
  }
  if (!saw_nodes) {
    return fail(invalidArgument(fmt::format("{}: no 'NODES (' section", source)));
  }
  sketch.provenance = provenance(sketch.name);
  LP_RETURN_IF_ERROR(applyConvention(sketch, coordinate_texts, options.coordinates, false, source));
  return buildFromSketch(std::move(sketch), options);
}

Result<Topology> readSndlibXml(std::string_view text, std::string_view source,
                               const ImportOptions& options) {
  pugi::xml_document doc;
  LP_RETURN_IF_ERROR(loadXml(text, source, doc));
  const LineIndex lines(text);
  auto line = [&](const pugi::xml_node& n) {
    return fmt::format("{}:{}", source, lines.lineOf(static_cast<std::size_t>(n.offset_debug())));
  };
  pugi::xml_node structure = doc.child("network").child("networkStructure");
  if (!structure) {
    return fail(
        invalidArgument(fmt::format("{}: no <network><networkStructure> element: not an "
                                    "SNDlib XML network",
                                    source)));
  }
  GraphSketch sketch;
  sketch.name = baseName(source);
  std::vector<std::string> coordinate_texts;
  pugi::xml_node nodes = structure.child("nodes");
  const bool declared_planar =
      std::string_view(nodes.attribute("coordinatesType").as_string()) == "pixel";
  for (pugi::xml_node n : nodes.children("node")) {
    std::string id = n.attribute("id").as_string();
    if (id.empty()) return fail(invalidArgument(line(n) + ": <node> has no id attribute"));
    SketchNode node{.key = id, .label = id, .origin = line(n)};
    if (pugi::xml_node c = n.child("coordinates")) {
      std::string x_text = c.child("x").text().as_string();
      std::string y_text = c.child("y").text().as_string();
      auto x = parseNumber(x_text);
      auto y = parseNumber(y_text);
      if (!x || !y) {
        return fail(
            invalidArgument(fmt::format("{}: node '{}' <x>/<y> must be numbers, got '{}' "
                                        "and '{}'",
                                        line(c), id, excerpt(x_text), excerpt(y_text))));
      }
      node.location = GeoPoint{*y, *x};
      coordinate_texts.push_back(x_text);
      coordinate_texts.push_back(y_text);
    }
    sketch.nodes.push_back(std::move(node));
  }
  for (pugi::xml_node l : structure.child("links").children("link")) {
    std::string a = l.child("source").text().as_string();
    std::string b = l.child("target").text().as_string();
    if (a.empty() || b.empty()) {
      return fail(invalidArgument(line(l) + ": <link> needs <source> and <target>"));
    }
    sketch.links.push_back({.a = a, .b = b, .origin = line(l)});
  }
  sketch.provenance = provenance(sketch.name);
  LP_RETURN_IF_ERROR(
      applyConvention(sketch, coordinate_texts, options.coordinates, declared_planar, source));
  return buildFromSketch(std::move(sketch), options);
}

}  // namespace lightpath::io
