// From a GraphSketch to a validated Topology.
#include "lightpath/io/internal/graph_sketch.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <unordered_map>

#include "lightpath/base/utf8.h"
#include "lightpath/io/internal/text.h"

namespace lightpath::io {
namespace {

// Shortest fiber we will estimate: nodes at the same coordinates are still a metro span apart.
constexpr double kMinEstimatedKm = 1.0;

// A unique, readable id per node: the slug of its label, or of its key when labels repeat.
std::vector<std::string> nodeIds(const GraphSketch& sketch) {
  std::map<std::string, int> label_count;
  for (const auto& n : sketch.nodes) ++label_count[slug(n.label)];
  std::vector<std::string> ids;
  std::set<std::string> used;
  for (const auto& n : sketch.nodes) {
    std::string label = slug(n.label);
    std::string id = (!label.empty() && label_count[label] == 1) ? label : slug(n.key);
    if (!label.empty() && label_count[label] > 1) id = label + "-" + slug(n.key);
    if (id.empty()) id = "node";
    std::string candidate = id;
    for (int i = 2; used.contains(candidate); ++i) candidate = id + "-" + std::to_string(i);
    used.insert(candidate);
    ids.push_back(candidate);
  }
  return ids;
}

}  // namespace

double degreesMinutesToDecimal(double value) {
  double degrees = std::trunc(value);
  double minutes = (value - degrees) * 100.0;
  return degrees + minutes / 60.0;
}

bool looksLikeDegreesMinutes(const std::vector<std::string>& texts) {
  bool any_fraction = false;
  for (const std::string& t : texts) {
    auto dot = t.find('.');
    if (dot == std::string::npos) continue;
    std::string_view decimals = std::string_view(t).substr(dot + 1);
    if (decimals.size() > 2) return false;
    auto value = parseNumber(t);
    if (!value) return false;
    double minutes = std::round(std::fabs(*value - std::trunc(*value)) * 100.0);
    if (minutes >= 60.0) return false;
    if (minutes > 0) any_fraction = true;
  }
  return any_fraction && texts.size() >= 8;
}

Result<Topology> buildFromSketch(GraphSketch sketch, const ImportOptions& options) {
  // Old files are often Latin-1; read any text that is not UTF-8 as Latin-1.
  auto utf8 = [](std::string& s) {
    if (!isValidUtf8(s)) s = latin1ToUtf8(s);
  };
  utf8(sketch.name);
  utf8(sketch.provenance);
  for (SketchNode& n : sketch.nodes) {
    utf8(n.key);
    utf8(n.label);
  }
  for (SketchLink& l : sketch.links) {
    utf8(l.a);
    utf8(l.b);
    utf8(l.fiber_type);
  }

  TopologyBuilder builder;
  builder.setName(sketch.name);
  builder.setProvenance(sketch.provenance);
  for (Finding& note : sketch.notes) builder.addFinding(std::move(note));

  const std::vector<std::string> ids = nodeIds(sketch);
  std::unordered_map<std::string, std::size_t> index_of;
  for (std::size_t i = 0; i < sketch.nodes.size(); ++i) {
    const SketchNode& n = sketch.nodes[i];
    if (!index_of.emplace(n.key, i).second) {
      return fail(invalidArgument(fmt::format("{}: node '{}' is defined twice", n.origin, n.key)));
    }
    Site site{.id = ids[i], .name = n.label.empty() ? n.key : n.label, .origin = n.origin};
    if (!sketch.planar) site.location = n.location;
    builder.addSite(std::move(site));
    builder.addNode({.id = ids[i],
                     .name = n.label.empty() ? n.key : n.label,
                     .site = ids[i],
                     .source_id = n.key != ids[i] ? n.key : "",
                     .origin = n.origin});
  }

  // Resolve link ends; a reference to an unknown node is an error of the file.
  struct Resolved {
    std::size_t a, b;
    const SketchLink* link;
  };
  std::vector<Resolved> resolved;
  for (const SketchLink& link : sketch.links) {
    auto a = index_of.find(link.a);
    auto b = index_of.find(link.b);
    if (a == index_of.end() || b == index_of.end()) {
      return fail(invalidArgument(fmt::format("{}: link refers to unknown node '{}'", link.origin,
                                              a == index_of.end() ? link.a : link.b)));
    }
    if (a->second == b->second) {
      builder.addFinding(
          {Severity::Warning, "self-loop-dropped",
           fmt::format("{}: link from '{}' to itself dropped", link.origin, ids[a->second])});
      continue;
    }
    if (link.length_km && !(std::isfinite(*link.length_km) && *link.length_km > 0)) {
      return fail(
          invalidArgument(fmt::format("{}: link length must be a positive number of km, "
                                      "got {}",
                                      link.origin, *link.length_km)));
    }
    resolved.push_back({a->second, b->second, &link});
  }

  // Positions for estimating lengths: the node's own, or (for nodes drawn without one, like
  // Topology Zoo's hyperedge points) the mean of its neighbours one layer closer to a node
  // with coordinates, found breadth-first so that any input takes O(nodes + links).
  const std::size_t node_count = sketch.nodes.size();
  std::vector<std::vector<std::size_t>> neighbours(node_count);
  for (const Resolved& r : resolved) {
    neighbours[r.a].push_back(r.b);
    neighbours[r.b].push_back(r.a);
  }
  std::vector<std::optional<GeoPoint>> position(node_count);
  std::vector<std::size_t> layer(node_count, SIZE_MAX);
  std::vector<std::size_t> frontier;
  for (std::size_t i = 0; i < node_count; ++i) {
    position[i] = sketch.nodes[i].location;
    if (position[i]) {
      layer[i] = 0;
      frontier.push_back(i);
    }
  }
  for (std::size_t depth = 1; !frontier.empty(); ++depth) {
    std::vector<std::size_t> next;
    for (std::size_t n : frontier) {
      for (std::size_t m : neighbours[n]) {
        if (layer[m] == SIZE_MAX) {
          layer[m] = depth;
          next.push_back(m);
        }
      }
    }
    for (std::size_t m : next) {
      double lat = 0, x = 0, y = 0;
      int count = 0;
      for (std::size_t k : neighbours[m]) {
        if (layer[k] >= depth) continue;
        lat += position[k]->lat;
        // Average longitudes on the unit circle so +179 and -179 meet at 180, not 0.
        x += std::cos(position[k]->lon * M_PI / 180);
        y += std::sin(position[k]->lon * M_PI / 180);
        ++count;
      }
      position[m] = GeoPoint{lat / count, std::atan2(y, x) * 180 / M_PI};
    }
    frontier = std::move(next);
  }

  auto estimate = [&](std::size_t a, std::size_t b, Fiber& fiber) {
    if (position[a] && position[b]) {
      double km =
          sketch.planar
              ? std::hypot(position[a]->lat - position[b]->lat, position[a]->lon - position[b]->lon)
              : greatCircle(*position[a], *position[b]).value() * options.route_factor;
      fiber.length = Km(std::max(km, kMinEstimatedKm));
      fiber.length_source = sketch.planar ? LengthSource::Assumed : LengthSource::Estimated;
    } else {
      fiber.length = options.assumed_length;
      fiber.length_source = LengthSource::Assumed;
    }
  };

  // One fiber pair per route: one-way links pair with their reverse, undirected duplicates
  // merge when the format draws one line per circuit.
  std::map<std::pair<std::size_t, std::size_t>, std::vector<std::size_t>> open_one_way;
  std::map<std::pair<std::size_t, std::size_t>, std::size_t> undirected_seen;
  std::map<std::string, int> fiber_id_count;
  std::size_t unpaired = 0;
  std::vector<std::string> unpaired_examples;
  std::vector<bool> consumed(resolved.size(), false);
  if (sketch.directed) {
    for (std::size_t i = 0; i < resolved.size(); ++i) {
      open_one_way[{resolved[i].a, resolved[i].b}].push_back(i);
    }
  }
  for (std::size_t i = 0; i < resolved.size(); ++i) {
    if (consumed[i]) continue;
    consumed[i] = true;
    const Resolved& r = resolved[i];
    const SketchLink& link = *r.link;
    if (sketch.directed) {
      auto& own = open_one_way[{r.a, r.b}];
      std::erase(own, i);
      auto& reverse = open_one_way[{r.b, r.a}];
      if (!reverse.empty()) {
        consumed[reverse.front()] = true;
        reverse.erase(reverse.begin());
      } else {
        ++unpaired;
        if (unpaired_examples.size() < 3) unpaired_examples.push_back(link.origin);
      }
    } else if (sketch.merge_duplicates) {
      auto key = std::minmax(r.a, r.b);
      auto [it, inserted] = undirected_seen.emplace(key, i);
      if (!inserted) {
        builder.addFinding(
            {Severity::Warning, "duplicate-link-merged",
             fmt::format("{}: second link between '{}' and '{}' merged with the "
                         "one at {}",
                         link.origin, ids[r.a], ids[r.b], resolved[it->second].link->origin)});
        continue;
      }
    }
    std::string id = ids[r.a] + "--" + ids[r.b];
    if (int n = ++fiber_id_count[id]; n > 1) id += "-" + std::to_string(n);
    Fiber fiber{.id = id, .a = ids[r.a], .b = ids[r.b], .origin = link.origin};
    if (link.length_km) {
      fiber.length = Km(*link.length_km);
      fiber.length_source = LengthSource::Measured;
    } else {
      estimate(r.a, r.b, fiber);
    }
    if (link.loss_db) fiber.loss = Db(*link.loss_db);
    if (!link.fiber_type.empty()) fiber.fiber_type = link.fiber_type;
    fiber.spans = link.spans;
    builder.addFiber(std::move(fiber));
  }
  if (unpaired > 0) {
    builder.addFinding(
        {Severity::Warning, "one-way-link",
         fmt::format("{} one-way link{} without a reverse link, kept as fiber "
                     "pairs (e.g. {})",
                     unpaired, unpaired == 1 ? "" : "s", fmt::join(unpaired_examples, ", "))});
  }
  return std::move(builder).build();
}

}  // namespace lightpath::io
