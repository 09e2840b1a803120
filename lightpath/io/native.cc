// The native Lightpath topology format, in YAML or JSON (schema: docs/topology-format.md).
// Both parse into one JSON tree; YAML keeps a map from JSON pointer to line so that errors
// name the line. Readers are strict: unknown keys and wrong types are errors, because a
// typo in a carrier's network file must not pass silently.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <map>
#include <set>

#include "lightpath/io/internal/json_text.h"
#include "lightpath/io/internal/readers.h"
#include "lightpath/io/internal/text.h"

namespace lightpath::io {
namespace {

using nlohmann::json;
using ordered_json = nlohmann::ordered_json;

constexpr int kFormatVersion = 1;

// Where a JSON pointer came from: "net.yaml:12" for YAML, "net.json: /fibers/3" for JSON.
class Locator {
 public:
  explicit Locator(std::string source) : source_(std::move(source)) {}
  void setLine(const std::string& pointer, std::size_t line) { lines_[pointer] = line; }
  std::string operator()(const std::string& pointer) const {
    // The closest enclosing pointer that has a line.
    for (std::string p = pointer;; p = p.substr(0, p.rfind('/'))) {
      if (auto it = lines_.find(p); it != lines_.end()) {
        return fmt::format("{}:{} ({})", source_, it->second, pointer.empty() ? "/" : pointer);
      }
      if (p.empty()) break;
    }
    return fmt::format("{}: {}", source_, pointer.empty() ? "/" : pointer);
  }

 private:
  std::string source_;
  std::map<std::string, std::size_t> lines_;
};

// YAML -> JSON with YAML 1.2 core-schema typing of plain scalars. `budget` is how many values
// the document may still expand to: aliases repeat a node wherever they stand, so a small file
// can stand for an exponential one ("billion laughs"); it is refused instead of expanded.
Result<json> yamlToJson(const YAML::Node& node, const std::string& pointer, int depth,
                        Locator& locator, std::string_view source, std::size_t& budget) {
  if (budget == 0) {
    return fail(invalidArgument(fmt::format(
        "{}: expands to more values than a file of its size holds (aliases repeated?)", source)));
  }
  --budget;
  if (depth > kMaxNestingDepth) {
    return fail(invalidArgument(fmt::format("{}:{}: nested deeper than {} levels", source,
                                            node.Mark().line + 1, kMaxNestingDepth)));
  }
  if (node.Mark().line >= 0)
    locator.setLine(pointer, static_cast<std::size_t>(node.Mark().line) + 1);
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return json(nullptr);
    case YAML::NodeType::Scalar: {
      const std::string& s = node.Scalar();
      if (node.Tag() == "!") return json(s);  // quoted: always a string
      if (s == "true" || s == "True" || s == "TRUE") return json(true);
      if (s == "false" || s == "False" || s == "FALSE") return json(false);
      if (s == "null" || s == "~" || s == "Null" || s == "NULL") return json(nullptr);
      if (auto number = parseNumber(s);
          number && s.find_first_of("0123456789") != std::string::npos) {
        return json(*number);
      }
      return json(s);
    }
    case YAML::NodeType::Sequence: {
      json array = json::array();
      std::size_t i = 0;
      for (const auto& item : node) {
        auto value = yamlToJson(item, pointer + "/" + std::to_string(i++), depth + 1, locator,
                                source, budget);
        if (!value) return value;
        array.push_back(std::move(*value));
      }
      return array;
    }
    case YAML::NodeType::Map: {
      json object = json::object();
      for (const auto& item : node) {
        if (!item.first.IsScalar()) {
          return fail(invalidArgument(
              fmt::format("{}:{}: keys must be plain words", source, item.first.Mark().line + 1)));
        }
        std::string key = item.first.Scalar();
        if (object.contains(key)) {
          return fail(invalidArgument(fmt::format("{}:{}: key '{}' appears twice", source,
                                                  item.first.Mark().line + 1, excerpt(key))));
        }
        auto value = yamlToJson(item.second, fmt::format("{}/{}", pointer, key), depth + 1, locator,
                                source, budget);
        if (!value) return value;
        object[key] = std::move(*value);
      }
      return object;
    }
  }
  return json(nullptr);
}

// Reads the fields of one JSON object, remembering the first error and which keys were used
// so that unknown keys can be reported.
class Fields {
 public:
  Fields(const json& object, std::string pointer, const Locator& where, Status& status)
      : object_(object), pointer_(std::move(pointer)), where_(where), status_(status) {
    if (!object_.is_object()) {
      setError(pointer_, "expected an object, got " + jsonTypeName(object_));
    }
  }

  std::string str(const char* key, bool required, std::string fallback = {}) {
    const json* v = get(key, required);
    if (!v) return fallback;
    if (!v->is_string()) {
      setError(pointer_ + "/" + key, "expected a string, got " + jsonTypeName(*v) +
                                         (v->is_number() ? " (quote it)" : ""));
      return fallback;
    }
    return v->get<std::string>();
  }
  std::optional<double> num(const char* key, bool required) {
    const json* v = get(key, required);
    if (!v) return std::nullopt;
    if (!v->is_number()) {
      setError(pointer_ + "/" + key, "expected a number, got " + jsonTypeName(*v));
      return std::nullopt;
    }
    return v->get<double>();
  }
  bool flag(const char* key, bool fallback) {
    const json* v = get(key, false);
    if (!v) return fallback;
    if (!v->is_boolean()) {
      setError(pointer_ + "/" + key, "expected true or false, got " + jsonTypeName(*v));
      return fallback;
    }
    return v->get<bool>();
  }
  std::vector<std::string> strings(const char* key) {
    std::vector<std::string> out;
    const json* v = get(key, false);
    if (!v) return out;
    if (!v->is_array()) {
      setError(pointer_ + "/" + key, "expected a list of strings, got " + jsonTypeName(*v));
      return out;
    }
    for (std::size_t i = 0; i < v->size(); ++i) {
      if (!(*v)[i].is_string()) {
        setError(fmt::format("{}/{}/{}", pointer_, key, i), "expected a string");
        return out;
      }
      out.push_back((*v)[i].get<std::string>());
    }
    return out;
  }
  template <typename T>
  T parsed(const char* key, Result<T> (*parse)(std::string_view), T fallback) {
    std::string text = str(key, false);
    if (text.empty()) return fallback;
    auto value = parse(text);
    if (!value) {
      setError(pointer_ + "/" + key, value.error().message());
      return fallback;
    }
    return *value;
  }
  const json* raw(const char* key) { return get(key, false); }
  void setError(const std::string& pointer, const std::string& why) {
    if (status_.isOk()) status_ = invalidArgument(fmt::format("{}: {}", where_(pointer), why));
  }
  std::string origin() const { return where_(pointer_); }
  const std::string& pointer() const { return pointer_; }

  // Reports the first key nobody asked for.
  void finish() {
    if (!object_.is_object()) return;
    for (const auto& [key, value] : object_.items()) {
      if (!used_.contains(key)) {
        setError(pointer_ + "/" + key, fmt::format("unknown key '{}'", excerpt(key)));
        return;
      }
    }
  }

 private:
  const json* get(const char* key, bool required) {
    used_.insert(key);
    if (!object_.is_object()) return nullptr;
    auto it = object_.find(key);
    if (it == object_.end() || it->is_null()) {
      if (required) setError(pointer_, fmt::format("missing required key '{}'", key));
      return nullptr;
    }
    return &*it;
  }

  const json& object_;
  std::string pointer_;
  const Locator& where_;
  Status& status_;
  std::set<std::string> used_;
};

template <typename Fn>
void forEachItem(Fields& top, const char* key, const Locator& where, Status& status, Fn&& fn) {
  const json* list = top.raw(key);
  if (!list) return;
  if (!list->is_array()) {
    top.setError(std::string("/") + key, "expected a list, got " + jsonTypeName(*list));
    return;
  }
  for (std::size_t i = 0; i < list->size() && status.isOk(); ++i) {
    Fields f((*list)[i], fmt::format("/{}/{}", key, i), where, status);
    fn(f);
    f.finish();
  }
}

Result<Topology> fromJson(const json& doc, const Locator& where) {
  Status status;
  if (!doc.is_object()) {
    return fail(invalidArgument(where("") + ": expected a mapping with 'lightpath_topology: 1'"));
  }
  Fields top(doc, "", where, status);
  auto version = top.num("lightpath_topology", true);
  if (version && *version != kFormatVersion) {
    top.setError("/lightpath_topology",
                 fmt::format("unsupported format version {}; this build reads {}", *version,
                             kFormatVersion));
  }
  TopologyBuilder b;
  b.setName(top.str("name", false));
  b.setProvenance(top.str("provenance", false));

  forEachItem(top, "sites", where, status, [&](Fields& f) {
    Site s{.id = f.str("id", true),
           .name = f.str("name", false),
           .kind = f.parsed<SiteKind>("kind", parseSiteKind, SiteKind::Pop),
           .metro = f.str("metro", false)};
    auto lat = f.num("lat", false);
    auto lon = f.num("lon", false);
    if (lat.has_value() != lon.has_value()) f.setError("", "give both 'lat' and 'lon' or neither");
    if (lat && lon) s.location = GeoPoint{*lat, *lon};
    s.provider = f.str("provider", false);
    s.region = f.str("region", false);
    s.origin = f.origin();
    b.addSite(std::move(s));
  });
  forEachItem(top, "nodes", where, status, [&](Fields& f) {
    b.addNode({.id = f.str("id", true),
               .name = f.str("name", false),
               .site = f.str("site", true),
               .kind = f.parsed<NodeKind>("kind", parseNodeKind, NodeKind::Roadm),
               .regeneration = f.flag("regeneration", true),
               .transit = f.flag("transit", true),
               .source_id = f.str("source_id", false),
               .origin = f.origin()});
  });
  forEachItem(top, "srlgs", where, status, [&](Fields& f) {
    b.addSrlg({.id = f.str("id", true),
               .name = f.str("name", false),
               .kind = f.parsed<SrlgKind>("kind", parseSrlgKind, SrlgKind::Conduit),
               .origin = f.origin()});
  });
  forEachItem(top, "fibers", where, status, [&](Fields& f) {
    Fiber fiber{.id = f.str("id", true),
                .a = f.str("a", true),
                .b = f.str("b", true),
                .length = Km(f.num("length_km", true).value_or(0)),
                .length_source = f.parsed<LengthSource>("length_source", parseLengthSource,
                                                        LengthSource::Measured)};
    if (auto loss = f.num("loss_db", false)) fiber.loss = Db(*loss);
    fiber.cost = f.num("cost", false);
    fiber.fiber_type = f.str("fiber_type", false, "SSMF");
    fiber.srlgs = f.strings("srlgs");
    if (const json* band = f.raw("band_thz")) {
      if (!band->is_array() || band->size() != 2 || !(*band)[0].is_number() ||
          !(*band)[1].is_number()) {
        f.setError(f.pointer() + "/band_thz", "expected [start, end] in THz");
      } else {
        fiber.band = {(*band)[0].get<double>(), (*band)[1].get<double>()};
      }
    }
    if (const json* spans = f.raw("spans")) {
      if (!spans->is_array()) {
        f.setError(f.pointer() + "/spans", "expected a list of {km, loss_db, amplifier}");
      } else {
        for (std::size_t i = 0; i < spans->size(); ++i) {
          const json& span = (*spans)[i];
          if (!span.is_object() || !span.contains("km") || !span["km"].is_number() ||
              !span.contains("loss_db") || !span["loss_db"].is_number() ||
              (span.contains("amplifier") && !span["amplifier"].is_string())) {
            f.setError(fmt::format("{}/spans/{}", f.pointer(), i),
                       "expected {km: number, loss_db: number, amplifier: name (optional)}");
            break;
          }
          fiber.spans.push_back({Km(span["km"].get<double>()), Db(span["loss_db"].get<double>()),
                                 span.value("amplifier", std::string())});
        }
      }
    }
    fiber.origin = f.origin();
    b.addFiber(std::move(fiber));
  });
  forEachItem(top, "ports", where, status, [&](Fields& f) {
    Port p{.id = f.str("id", true),
           .name = f.str("name", false),
           .site = f.str("site", true),
           .node = f.str("node", false),
           .speed = Gbps(f.num("speed_gbps", true).value_or(0)),
           .macsec = f.flag("macsec", false)};
    if (auto zone = f.num("zone", false)) {
      if (*zone != 1 && *zone != 2)
        f.setError(f.pointer() + "/zone", "1 or 2 (a provider's diversity zone)");
      p.zone = static_cast<int>(*zone);
    }
    std::string tenant = f.str("tenant", false);
    if (!tenant.empty()) p.tenant = tenant;
    p.origin = f.origin();
    b.addPort(std::move(p));
  });
  forEachItem(top, "transceivers", where, status, [&](Fields& f) {
    b.addTransceiver({.id = f.str("id", true),
                      .name = f.str("name", false),
                      .line_rate = Gbps(f.num("line_rate_gbps", true).value_or(0)),
                      .baud_gbd = f.num("baud_gbd", true).value_or(0),
                      .slot_width = GHz(f.num("slot_width_ghz", true).value_or(0)),
                      .min_gsnr = Db(f.num("min_gsnr_db", true).value_or(0)),
                      .reach = Km(f.num("reach_km", true).value_or(0)),
                      .layer1_encryption = f.flag("layer1_encryption", false),
                      .origin = f.origin()});
  });
  top.finish();
  if (!status.isOk()) return fail(status);
  return std::move(b).build();
}

ordered_json toJson(const Topology& t) {
  ordered_json doc;
  doc["lightpath_topology"] = kFormatVersion;
  doc["name"] = t.name();
  if (!t.provenance().empty()) doc["provenance"] = t.provenance();
  auto& sites = doc["sites"] = ordered_json::array();
  for (const Site& s : t.sites()) {
    ordered_json j{{"id", s.id}, {"name", s.name}, {"kind", toString(s.kind)}};
    if (!s.metro.empty()) j["metro"] = s.metro;
    if (s.location) {
      j["lat"] = s.location->lat;
      j["lon"] = s.location->lon;
    }
    if (!s.provider.empty()) j["provider"] = s.provider;
    if (!s.region.empty()) j["region"] = s.region;
    sites.push_back(std::move(j));
  }
  auto& nodes = doc["nodes"] = ordered_json::array();
  for (const Node& n : t.nodes()) {
    ordered_json j{{"id", n.id}, {"name", n.name}, {"site", n.site}, {"kind", toString(n.kind)}};
    if (!n.regeneration) j["regeneration"] = false;
    if (!n.transit) j["transit"] = false;
    if (!n.source_id.empty()) j["source_id"] = n.source_id;
    nodes.push_back(std::move(j));
  }
  auto& srlgs = doc["srlgs"] = ordered_json::array();
  for (const Srlg& s : t.srlgs()) {
    srlgs.push_back({{"id", s.id}, {"name", s.name}, {"kind", toString(s.kind)}});
  }
  auto& fibers = doc["fibers"] = ordered_json::array();
  for (const Fiber& f : t.fibers()) {
    ordered_json j{{"id", f.id}, {"a", f.a}, {"b", f.b}, {"length_km", f.length.value()}};
    if (f.length_source != LengthSource::Measured) j["length_source"] = toString(f.length_source);
    if (f.loss) j["loss_db"] = f.loss->value();
    if (f.cost) j["cost"] = *f.cost;
    if (f.fiber_type != "SSMF") j["fiber_type"] = f.fiber_type;
    if (!f.srlgs.empty()) j["srlgs"] = f.srlgs;
    if (f.band != SpectrumBand{}) j["band_thz"] = {f.band.start_thz, f.band.end_thz};
    if (!f.spans.empty()) {
      auto& spans = j["spans"] = ordered_json::array();
      for (const FiberSpan& span : f.spans) {
        ordered_json one{{"km", span.length.value()}, {"loss_db", span.loss.value()}};
        if (!span.amplifier.empty()) one["amplifier"] = span.amplifier;
        spans.push_back(std::move(one));
      }
    }
    fibers.push_back(std::move(j));
  }
  auto& ports = doc["ports"] = ordered_json::array();
  for (const Port& p : t.ports()) {
    ordered_json j{{"id", p.id}, {"name", p.name}, {"site", p.site}};
    if (!p.node.empty()) j["node"] = p.node;
    j["speed_gbps"] = p.speed.value();
    if (p.tenant) j["tenant"] = *p.tenant;
    if (p.macsec) j["macsec"] = true;
    if (p.zone != 0) j["zone"] = p.zone;
    ports.push_back(std::move(j));
  }
  auto& transceivers = doc["transceivers"] = ordered_json::array();
  for (const TransceiverSpec& x : t.transceivers()) {
    transceivers.push_back({{"id", x.id},
                            {"name", x.name},
                            {"line_rate_gbps", x.line_rate.value()},
                            {"baud_gbd", x.baud_gbd},
                            {"slot_width_ghz", x.slot_width.value()},
                            {"min_gsnr_db", x.min_gsnr.value()},
                            {"reach_km", x.reach.value()}});
    if (x.layer1_encryption) transceivers.back()["layer1_encryption"] = true;
  }
  return doc;
}

// A string that a YAML reader would take for something else must be quoted.
bool needsQuotes(const std::string& s) {
  if (s.empty()) return true;
  if (parseNumber(s)) return true;
  static const std::set<std::string> kReserved = {"true", "True", "TRUE", "false", "False", "FALSE",
                                                  "null", "Null", "NULL", "~",     "yes",   "no",
                                                  "on",   "off",  "Yes",  "No"};
  return kReserved.contains(s);
}

void emitYaml(YAML::Emitter& out, const ordered_json& value, bool flow) {
  switch (value.type()) {
    case ordered_json::value_t::object:
      out << (flow ? YAML::Flow : YAML::Block) << YAML::BeginMap;
      for (const auto& [key, item] : value.items()) {
        out << YAML::Key << key << YAML::Value;
        // Short lists of scalars read best on one line.
        emitYaml(out, item, item.is_array() && !item.empty() && !item[0].is_object());
      }
      out << YAML::EndMap;
      break;
    case ordered_json::value_t::array:
      out << (flow ? YAML::Flow : YAML::Block) << YAML::BeginSeq;
      for (const auto& item : value) emitYaml(out, item, flow);
      out << YAML::EndSeq;
      break;
    case ordered_json::value_t::string: {
      const auto& s = value.get_ref<const std::string&>();
      if (needsQuotes(s)) out << YAML::DoubleQuoted;
      out << s;
      break;
    }
    case ordered_json::value_t::boolean:
      out << (value.get<bool>() ? "true" : "false");
      break;
    case ordered_json::value_t::number_integer:
    case ordered_json::value_t::number_unsigned:
      out << value.dump();
      break;
    case ordered_json::value_t::number_float:
      out << fmt::format("{}", value.get<double>());  // shortest text that reads back exactly
      break;
    default:
      out << YAML::Null;
  }
}

}  // namespace

Result<Topology> readNative(std::string_view text, std::string_view source, bool yaml) {
  Locator locator{std::string(source)};
  if (!yaml) {
    LP_ASSIGN_OR_RETURN(auto doc, parseJson(text, source));
    return fromJson(doc, locator);
  }
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return fail(
        invalidArgument(fmt::format("{}:{}: not valid YAML: {}", source, e.mark.line + 1, e.msg)));
  } catch (const std::exception& e) {
    return fail(invalidArgument(fmt::format("{}: not valid YAML: {}", source, e.what())));
  }
  // Without aliases a value takes at least a byte of YAML: room for every honest file.
  std::size_t budget = text.size() + 16;
  LP_ASSIGN_OR_RETURN(auto doc, yamlToJson(root, "", 0, locator, source, budget));
  return fromJson(doc, locator);
}

std::string nativeJson(const Topology& topology) { return toJson(topology).dump(2) + "\n"; }

std::string jsonAsYaml(const ordered_json& document) {
  YAML::Emitter out;
  out.SetIndent(2);
  emitYaml(out, document, false);
  return out.c_str();
}

std::string nativeYaml(const Topology& topology) {
  return "# Lightpath topology (docs/topology-format.md)\n" + jsonAsYaml(toJson(topology)) + "\n";
}

}  // namespace lightpath::io
