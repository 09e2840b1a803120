// GML as written by the Internet Topology Zoo (Latitude/Longitude, no lengths, labels that
// repeat, circuits drawn as duplicate edges) and by TopoHub (lat/lon, dist in km).
#include <fmt/format.h>

#include <memory>
#include <vector>

#include "lightpath/io/internal/graph_sketch.h"
#include "lightpath/io/internal/readers.h"
#include "lightpath/io/internal/text.h"

namespace lightpath::io {
namespace {

struct GmlEntry;

// A GML value: a number, a string, or a list of key-value entries.
struct GmlValue {
  enum class Kind { Number, String, List } kind = Kind::Number;
  double number = 0;
  std::string text;  // strings, and numbers as written
  std::vector<GmlEntry> list;
  std::size_t line = 0;

  const GmlValue* find(std::string_view key) const;
  std::optional<double> numberAt(std::string_view key) const;
  // Ids and labels may be written as numbers or strings.
  std::optional<std::string> textAt(std::string_view key) const;
};

struct GmlEntry {
  std::string key;
  GmlValue value;
};

const GmlValue* GmlValue::find(std::string_view key) const {
  for (const auto& entry : list) {
    if (entry.key == key) return &entry.value;
  }
  return nullptr;
}

std::optional<double> GmlValue::numberAt(std::string_view key) const {
  const GmlValue* v = find(key);
  if (!v || v->kind != Kind::Number) return std::nullopt;
  return v->number;
}

std::optional<std::string> GmlValue::textAt(std::string_view key) const {
  const GmlValue* v = find(key);
  if (!v || v->kind == Kind::List) return std::nullopt;
  return v->text;
}

class GmlParser {
 public:
  GmlParser(std::string_view text, std::string_view source)
      : text_(text), source_(source), lines_(text) {}

  // The top level is a list of pairs without brackets.
  Result<GmlValue> parseDocument() {
    GmlValue root{.kind = GmlValue::Kind::List, .line = 1};
    LP_RETURN_IF_ERROR(parsePairs(root, 0, /*closing=*/false));
    return root;
  }

 private:
  Status error(std::string why) const {
    return invalidArgument(fmt::format("{}:{}: {}", source_, lines_.lineOf(pos_), why));
  }

  void skipSpace() {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '#') {
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
      } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++pos_;
      } else {
        break;
      }
    }
  }

  Status parsePairs(GmlValue& into, int depth, bool closing) {
    for (;;) {
      skipSpace();
      if (pos_ >= text_.size()) {
        if (closing) return error("unexpected end of file: a '[' list is not closed");
        return Status::ok();
      }
      if (text_[pos_] == ']') {
        if (!closing) return error("']' without a matching '['");
        ++pos_;
        return Status::ok();
      }
      std::size_t start = pos_;
      while (pos_ < text_.size() &&
             (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_')) {
        ++pos_;
      }
      if (pos_ == start) {
        return error(fmt::format("expected a key, found '{}'", excerpt(text_.substr(pos_, 1))));
      }
      std::string key(text_.substr(start, pos_ - start));
      skipSpace();
      GmlValue value;
      value.line = lines_.lineOf(pos_);
      LP_RETURN_IF_ERROR(parseValue(value, depth, key));
      into.list.push_back({std::move(key), std::move(value)});
    }
  }

  Status parseValue(GmlValue& value, int depth, const std::string& key) {
    if (pos_ >= text_.size()) return error(fmt::format("key '{}' has no value", key));
    char c = text_[pos_];
    if (c == '[') {
      if (depth + 1 > kMaxNestingDepth) {
        return error(fmt::format("lists nested deeper than {}", kMaxNestingDepth));
      }
      ++pos_;
      value.kind = GmlValue::Kind::List;
      return parsePairs(value, depth + 1, /*closing=*/true);
    }
    if (c == '"') {
      std::size_t close = text_.find('"', pos_ + 1);
      if (close == std::string_view::npos) return error("string is not closed with '\"'");
      value.kind = GmlValue::Kind::String;
      value.text = decodeEntities(text_.substr(pos_ + 1, close - pos_ - 1));
      pos_ = close + 1;
      return Status::ok();
    }
    std::size_t start = pos_;
    while (pos_ < text_.size() && !std::isspace(static_cast<unsigned char>(text_[pos_])) &&
           text_[pos_] != ']' && text_[pos_] != '[') {
      ++pos_;
    }
    std::string_view word = text_.substr(start, pos_ - start);
    auto number = parseNumber(word);
    if (!number) {
      return error(fmt::format("value of '{}' must be a number, a \"string\" or a [list], got '{}'",
                               key, excerpt(word)));
    }
    value.kind = GmlValue::Kind::Number;
    value.number = *number;
    value.text = std::string(word);
    return Status::ok();
  }

  static std::string decodeEntities(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '&') {
        for (auto [entity, ch] : {std::pair{"&amp;", '&'},
                                  {"&quot;", '"'},
                                  {"&lt;", '<'},
                                  {"&gt;", '>'},
                                  {"&apos;", '\''}}) {
          if (s.substr(i).starts_with(entity)) {
            out += ch;
            i += std::string_view(entity).size() - 1;
            goto next;
          }
        }
      }
      out += s[i];
    next:;
    }
    return out;
  }

  std::string_view text_;
  std::string_view source_;
  LineIndex lines_;
  std::size_t pos_ = 0;
};

std::optional<GeoPoint> positionOf(const GmlValue& node) {
  auto lat = node.numberAt("Latitude");
  auto lon = node.numberAt("Longitude");
  if (!lat || !lon) {
    lat = node.numberAt("lat");
    lon = node.numberAt("lon");
  }
  if (!lat || !lon) return std::nullopt;
  return GeoPoint{*lat, *lon};
}

}  // namespace

Result<Topology> readGml(std::string_view text, std::string_view source,
                         const ImportOptions& options) {
  GmlParser parser(text, source);
  LP_ASSIGN_OR_RETURN(auto document, parser.parseDocument());
  const GmlValue* graph = document.find("graph");
  if (!graph || graph->kind != GmlValue::Kind::List) {
    return fail(invalidArgument(fmt::format("{}: no 'graph [ ... ]' found", source)));
  }
  auto where = [&](const GmlValue& v) { return fmt::format("{}:{}", source, v.line); };

  GraphSketch sketch;
  sketch.name = graph->textAt("label").value_or(graph->textAt("name").value_or(baseName(source)));
  const bool topohub = graph->find("stats") != nullptr;
  if (topohub) {
    sketch.provenance = "TopoHub backbone graph '" + sketch.name +
                        "': synthetic links on real city locations (scale tests only)";
  } else {
    sketch.provenance =
        fmt::format("Internet Topology Zoo (Knight et al., IEEE JSAC 2011), CC BY 4.0: {}{}",
                    graph->textAt("Network").value_or(sketch.name),
                    graph->textAt("Source") ? " (" + *graph->textAt("Source") + ")" : "");
  }
  sketch.directed = graph->numberAt("directed").value_or(0) != 0;
  sketch.merge_duplicates = true;

  std::size_t without_position = 0;
  for (const auto& [key, value] : graph->list) {
    if (key == "node") {
      if (value.kind != GmlValue::Kind::List) {
        return fail(invalidArgument(where(value) + ": 'node' must be a [list]"));
      }
      auto id = value.textAt("id");
      if (!id) return fail(invalidArgument(where(value) + ": node has no 'id'"));
      SketchNode node{.key = *id,
                      .label = value.textAt("label").value_or(""),
                      .location = positionOf(value),
                      .origin = where(value)};
      if (node.location && !isValidGeoPoint(*node.location)) {
        return fail(invalidArgument(
            fmt::format("{}: node '{}' has coordinates out of range "
                        "({}, {})",
                        where(value), *id, node.location->lat, node.location->lon)));
      }
      if (!node.location) ++without_position;
      sketch.nodes.push_back(std::move(node));
    } else if (key == "edge") {
      if (value.kind != GmlValue::Kind::List) {
        return fail(invalidArgument(where(value) + ": 'edge' must be a [list]"));
      }
      auto source_id = value.textAt("source");
      auto target_id = value.textAt("target");
      if (!source_id || !target_id) {
        return fail(invalidArgument(where(value) + ": edge needs 'source' and 'target'"));
      }
      SketchLink link{.a = *source_id, .b = *target_id, .origin = where(value)};
      if (value.find("dist")) {
        link.length_km = value.numberAt("dist");
        if (!link.length_km) {
          return fail(invalidArgument(where(value) + ": edge 'dist' must be a number of km"));
        }
      }
      sketch.links.push_back(std::move(link));
    }
  }
  if (without_position > 0) {
    sketch.notes.push_back(
        {Severity::Warning, "position-interpolated",
         fmt::format("{} of {} nodes have no coordinates; lengths of their links are estimated "
                     "from their neighbours' positions or assumed",
                     without_position, sketch.nodes.size())});
  }
  return buildFromSketch(std::move(sketch), options);
}

}  // namespace lightpath::io
