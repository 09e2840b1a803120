// GNPy topology JSON (Telecom Infra Project): "elements" (Roadm, Transceiver, Fiber,
// RamanFiber, Edfa, Fused) and one-way "connections" between them. ROADMs (and transceivers
// not attached to a ROADM) become nodes; each chain of line elements between two of them
// becomes one direction of a fiber pair, its length the sum of its spans.
#include <fmt/format.h>

#include <map>
#include <unordered_map>

#include "lightpath/io/internal/graph_sketch.h"
#include "lightpath/io/internal/json_text.h"
#include "lightpath/io/internal/readers.h"
#include "lightpath/io/internal/text.h"

namespace lightpath::io {
namespace {

struct Element {
  std::string uid;
  std::string type;
  const nlohmann::json* json = nullptr;
  std::string where;
  std::vector<std::size_t> next;  // outgoing connections
  std::vector<std::size_t> prev;
};

bool isTerminal(const std::string& type) { return type == "Roadm" || type == "Transceiver"; }
bool isSpan(const std::string& type) { return type == "Fiber" || type == "RamanFiber"; }

std::optional<double> numberAt(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return std::nullopt;
  auto it = object.find(key);
  if (it == object.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

}  // namespace

Result<Topology> readGnpyJson(std::string_view text, std::string_view source,
                              const ImportOptions& options) {
  auto json = parseJson(text, source);
  if (!json) return fail(json.error());
  const auto& doc = *json;
  if (!doc.is_object() || !doc.contains("elements") || !doc["elements"].is_array() ||
      !doc.contains("connections") || !doc["connections"].is_array()) {
    return fail(invalidArgument(fmt::format(
        "{}: expected a GNPy topology: an object with \"elements\" and \"connections\" arrays",
        source)));
  }
  std::vector<Element> elements;
  std::unordered_map<std::string, std::size_t> by_uid;
  const auto& items = doc["elements"];
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto& e = items[i];
    std::string where = fmt::format("{}: /elements/{}", source, i);
    if (!e.is_object() || !e.contains("uid") || !e["uid"].is_string() || !e.contains("type") ||
        !e["type"].is_string()) {
      return fail(invalidArgument(where + ": expected an object with string \"uid\" and \"type\""));
    }
    Element element{e["uid"].get<std::string>(), e["type"].get<std::string>(), &e, where, {}, {}};
    if (!by_uid.emplace(element.uid, elements.size()).second) {
      return fail(invalidArgument(fmt::format("{}: uid '{}' is used twice", where, element.uid)));
    }
    elements.push_back(std::move(element));
  }
  const auto& connections = doc["connections"];
  for (std::size_t i = 0; i < connections.size(); ++i) {
    const auto& c = connections[i];
    std::string where = fmt::format("{}: /connections/{}", source, i);
    if (!c.is_object() || !c.contains("from_node") || !c["from_node"].is_string() ||
        !c.contains("to_node") || !c["to_node"].is_string()) {
      return fail(invalidArgument(where + ": expected string \"from_node\" and \"to_node\""));
    }
    auto from = by_uid.find(c["from_node"].get<std::string>());
    auto to = by_uid.find(c["to_node"].get<std::string>());
    if (from == by_uid.end() || to == by_uid.end()) {
      return fail(invalidArgument(
          fmt::format("{}: connects unknown element '{}'", where,
                      (from == by_uid.end() ? c["from_node"] : c["to_node"]).get<std::string>())));
    }
    elements[from->second].next.push_back(to->second);
    elements[to->second].prev.push_back(from->second);
  }

  // Nodes: every ROADM, and every transceiver that is not simply the add/drop of a ROADM.
  GraphSketch sketch;
  sketch.name = baseName(source);
  sketch.provenance = "GNPy topology (Telecom Infra Project, BSD-3-Clause): " + sketch.name;
  sketch.directed = true;
  std::vector<bool> is_node(elements.size(), false);
  for (std::size_t i = 0; i < elements.size(); ++i) {
    const Element& e = elements[i];
    if (e.type == "Roadm") is_node[i] = true;
    if (e.type == "Transceiver") {
      bool attached = false;
      for (std::size_t n : e.next) attached |= elements[n].type == "Roadm";
      for (std::size_t p : e.prev) attached |= elements[p].type == "Roadm";
      is_node[i] = !attached;
    }
    if (!is_node[i]) continue;
    SketchNode node{.key = e.uid, .origin = e.where};
    node.label = e.uid;
    for (const char* prefix : {"roadm ", "trx "}) {
      if (node.label.starts_with(prefix))
        node.label = node.label.substr(std::string_view(prefix).size());
    }
    const auto& metadata = e.json->value("metadata", nlohmann::json::object());
    if (metadata.is_object() && metadata.contains("location")) {
      const auto& location = metadata["location"];
      if (location.is_object() && location.contains("city") && location["city"].is_string() &&
          !location["city"].get<std::string>().empty()) {
        node.label = location["city"].get<std::string>();
      }
      auto lat = numberAt(location, "latitude");
      auto lon = numberAt(location, "longitude");
      if (lat && lon) {
        node.location = GeoPoint{*lat, *lon};
        if (!isValidGeoPoint(*node.location)) {
          return fail(
              invalidArgument(fmt::format("{}/metadata/location: coordinates ({}, {}) "
                                          "out of range",
                                          e.where, *lat, *lon)));
        }
      }
    }
    sketch.nodes.push_back(std::move(node));
  }

  // Walk each chain of line elements from a node to the next node.
  for (std::size_t start = 0; start < elements.size(); ++start) {
    if (!is_node[start]) continue;
    for (std::size_t first : elements[start].next) {
      if (is_node[first] || isTerminal(elements[first].type)) continue;
      double km = 0, loss = 0;
      bool loss_known = true;
      std::string fiber_type;
      // The line as the file lays it out: spans (a Fused joins two fibers into one span) and
      // the amplifier after each, kept when the file places amplifiers or cuts spans itself.
      std::vector<FiberSpan> spans;
      bool amplified = false, joined = false;
      std::size_t at = first;
      std::size_t steps = 0;
      for (;;) {
        const Element& e = elements[at];
        if (isTerminal(e.type)) break;
        if (++steps > elements.size()) {
          return fail(invalidArgument(
              fmt::format("{}: line elements form a loop through '{}'", e.where, e.uid)));
        }
        if (isSpan(e.type)) {
          const auto& params = e.json->value("params", nlohmann::json::object());
          auto length = numberAt(params, "length");
          if (!length || !std::isfinite(*length) || *length <= 0) {
            return fail(
                invalidArgument(fmt::format("{}/params/length: fiber '{}' needs a "
                                            "positive length",
                                            e.where, e.uid)));
          }
          std::string units = params.is_object() && params.contains("length_units") &&
                                      params["length_units"].is_string()
                                  ? params["length_units"].get<std::string>()
                                  : "km";
          double span_km = units == "m" ? *length / 1000.0 : *length;
          if (units != "m" && units != "km") {
            return fail(
                invalidArgument(fmt::format("{}/params/length_units: expected \"km\" or "
                                            "\"m\", got \"{}\"",
                                            e.where, units)));
          }
          km += span_km;
          const auto coef = numberAt(params, "loss_coef");
          const double span_loss = span_km * coef.value_or(0.2) +
                                   numberAt(params, "con_in").value_or(0) +
                                   numberAt(params, "con_out").value_or(0);
          if (coef) {
            loss += span_loss;
          } else {
            loss_known = false;
          }
          if (joined && !spans.empty()) {
            spans.back().length = Km(spans.back().length.value() + span_km);
            spans.back().loss = Db(spans.back().loss.value() + span_loss);
          } else {
            spans.push_back({Km(span_km), Db(span_loss), ""});
          }
          joined = false;
          if (fiber_type.empty() && e.json->contains("type_variety") &&
              (*e.json)["type_variety"].is_string()) {
            fiber_type = (*e.json)["type_variety"].get<std::string>();
          }
        }
        if (e.type == "Fused") {
          joined = true;
          const auto& params = e.json->value("params", nlohmann::json::object());
          if (!spans.empty()) {
            spans.back().loss =
                Db(spans.back().loss.value() + numberAt(params, "loss").value_or(1));
          }
        } else if (e.type == "Edfa") {
          amplified = true;
          if (!spans.empty() && e.json->contains("type_variety") &&
              (*e.json)["type_variety"].is_string()) {
            spans.back().amplifier = (*e.json)["type_variety"].get<std::string>();
          }
        }
        if (e.next.size() != 1) {
          return fail(
              invalidArgument(fmt::format("{}: line element '{}' has {} outgoing "
                                          "connections; a line must continue to exactly "
                                          "one element",
                                          e.where, e.uid, e.next.size())));
        }
        at = e.next.front();
      }
      if (!is_node[at]) continue;  // ends at a ROADM's own transceiver: not a route
      if (km <= 0) {
        return fail(invalidArgument(fmt::format("{}: line from '{}' to '{}' has no fiber span",
                                                elements[first].where, elements[start].uid,
                                                elements[at].uid)));
      }
      SketchLink link{.a = elements[start].uid,
                      .b = elements[at].uid,
                      .length_km = km,
                      .fiber_type = fiber_type,
                      .origin = elements[first].where};
      if (loss_known) link.loss_db = loss;
      if (amplified || spans.size() > 1) link.spans = std::move(spans);
      sketch.links.push_back(std::move(link));
    }
  }
  return buildFromSketch(std::move(sketch), options);
}

}  // namespace lightpath::io
