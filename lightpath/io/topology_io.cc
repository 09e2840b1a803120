// Format detection and dispatch to the readers and writers.
#include "lightpath/io/topology_io.h"

#include <fmt/format.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "lightpath/base/enum_names.h"
#include "lightpath/io/internal/readers.h"
#include "lightpath/io/internal/text.h"

namespace lightpath {
namespace {

constexpr std::array<std::pair<TopologyFormat, std::string_view>, 10> kFormatNames{{
    {TopologyFormat::NativeYaml, "native-yaml"},
    {TopologyFormat::NativeJson, "native-json"},
    {TopologyFormat::Gml, "gml"},
    {TopologyFormat::SndlibText, "sndlib"},
    {TopologyFormat::SndlibXml, "sndlib-xml"},
    {TopologyFormat::NodeLinkJson, "node-link"},
    {TopologyFormat::GnpyJson, "gnpy"},
    {TopologyFormat::Net2Plan, "net2plan"},
    {TopologyFormat::EdgeList, "edge-list"},
    {TopologyFormat::GeoJson, "geojson"},
}};

std::string_view extensionOf(std::string_view name) {
  auto dot = name.find_last_of('.');
  auto slash = name.find_last_of('/');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return {};
  return name.substr(dot + 1);
}

std::string_view skipSpaceAndComments(std::string_view text) {
  for (;;) {
    auto start = text.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos) return {};
    text.remove_prefix(start);
    if (!text.starts_with('#')) return text;
    auto end = text.find('\n');
    if (end == std::string_view::npos) return {};
    text.remove_prefix(end + 1);
  }
}

bool contains(std::string_view text, std::string_view what) {
  return text.find(what) != std::string_view::npos;
}

// "0,2,1\n2,0,2\n..." — a demand matrix, which people pass by mistake.
bool looksLikeCsvMatrix(std::string_view text) {
  if (text.empty() || text.find(',') == std::string_view::npos) return false;
  return text.find_first_not_of("0123456789.,-+eE \t\r\n") == std::string_view::npos;
}

}  // namespace

std::string_view toString(TopologyFormat format) { return nameOf(format, kFormatNames); }

Result<TopologyFormat> parseTopologyFormat(std::string_view name) {
  return parseName(name, kFormatNames, "topology format");
}

Result<TopologyFormat> detectTopologyFormat(std::string_view text, std::string_view file_name) {
  // The first few kilobytes tell every format apart.
  std::string_view head = text.substr(0, 8192);
  std::string_view start = skipSpaceAndComments(head);
  std::string_view ext = extensionOf(file_name);
  if (head.starts_with("?SNDlib") || contains(head, "\nNODES (")) return TopologyFormat::SndlibText;
  if (start.starts_with("<")) {
    if (contains(head, "sndlib.zib.de") || contains(head, "<networkStructure")) {
      return TopologyFormat::SndlibXml;
    }
    if (contains(head, "<network") && (contains(head, "xCoord") || ext == "n2p")) {
      return TopologyFormat::Net2Plan;
    }
    return fail(
        invalidArgument(fmt::format("{}: XML, but neither SNDlib nor Net2Plan", file_name)));
  }
  if (start.starts_with("graph") || ext == "gml") return TopologyFormat::Gml;
  if (start.starts_with("{") || start.starts_with("[")) {
    if (contains(head, "\"lightpath_topology\"")) return TopologyFormat::NativeJson;
    if (contains(head, "\"path-request\"")) {
      return fail(
          invalidArgument(fmt::format("{}: a GNPy service request file (path-request), "
                                      "not a topology",
                                      file_name)));
    }
    if (contains(head, "\"elements\"") || contains(head, "\"connections\"")) {
      return TopologyFormat::GnpyJson;
    }
    if (contains(head, "\"nodes\"")) return TopologyFormat::NodeLinkJson;
    if (contains(head, "\"FeatureCollection\"")) {
      return fail(
          invalidArgument(fmt::format("{}: GeoJSON is written for maps, not read: import "
                                      "the network from its source format",
                                      file_name)));
    }
    if (ext == "json") return TopologyFormat::NativeJson;
  }
  if (contains(head, "lightpath_topology:") || ext == "yaml" || ext == "yml") {
    return TopologyFormat::NativeYaml;
  }
  if (looksLikeCsvMatrix(start)) {
    return fail(
        invalidArgument(fmt::format("{}: a matrix of comma-separated numbers (a traffic "
                                    "matrix?), not a topology",
                                    file_name)));
  }
  // An edge list starts (after comments) with a number alone on a line.
  if (!start.empty() && std::isdigit(static_cast<unsigned char>(start[0]))) {
    auto line = start.substr(0, start.find('\n'));
    if (io::parseNumber(line.substr(0, line.find_last_not_of(" \t\r") + 1))) {
      return TopologyFormat::EdgeList;
    }
  }
  return fail(invalidArgument(fmt::format(
      "{}: cannot tell the topology format from the content; pass --format", file_name)));
}

Result<Topology> parseTopology(std::string_view text, std::string_view source_name,
                               const ImportOptions& options) {
  if (text.size() > kMaxTopologyBytes) {
    return fail(
        invalidArgument(fmt::format("{}: {} bytes is more than the {} MiB a topology may "
                                    "have",
                                    source_name, text.size(), kMaxTopologyBytes >> 20)));
  }
  if (!(options.route_factor >= 1.0 && options.route_factor <= 5.0)) {
    return fail(invalidArgument(
        fmt::format("route factor must be between 1 and 5, got {}", options.route_factor)));
  }
  if (!(options.assumed_length.value() > 0) || !std::isfinite(options.assumed_length.value())) {
    return fail(invalidArgument("assumed fiber length must be a positive number of km"));
  }
  TopologyFormat format;
  if (options.format) {
    format = *options.format;
  } else {
    LP_ASSIGN_OR_RETURN(auto detected, detectTopologyFormat(text, source_name));
    format = detected;
  }
  switch (format) {
    case TopologyFormat::NativeYaml:
      return io::readNative(text, source_name, true);
    case TopologyFormat::NativeJson:
      return io::readNative(text, source_name, false);
    case TopologyFormat::Gml:
      return io::readGml(text, source_name, options);
    case TopologyFormat::SndlibText:
      return io::readSndlibText(text, source_name, options);
    case TopologyFormat::SndlibXml:
      return io::readSndlibXml(text, source_name, options);
    case TopologyFormat::NodeLinkJson:
      return io::readNodeLinkJson(text, source_name, options);
    case TopologyFormat::GnpyJson:
      return io::readGnpyJson(text, source_name, options);
    case TopologyFormat::Net2Plan:
      return io::readNet2Plan(text, source_name, options);
    case TopologyFormat::EdgeList:
      return io::readEdgeList(text, source_name, options);
    case TopologyFormat::GeoJson:
      return fail(invalidArgument("GeoJSON is an output format only"));
  }
  return fail(internalError("unhandled topology format"));
}

Result<std::string> readFileText(const std::string& path, std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail(notFound(fmt::format("{}: cannot open: {}", path, std::strerror(errno))));
  }
  in.seekg(0, std::ios::end);
  std::streamoff size = in.tellg();
  if (size < 0) return fail(invalidArgument(fmt::format("{}: not a regular file", path)));
  if (static_cast<std::size_t>(size) > max_bytes) {
    return fail(invalidArgument(
        fmt::format("{}: {} bytes is more than the {} bytes allowed", path, size, max_bytes)));
  }
  in.seekg(0);
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), size);
  if (!in) return fail(unavailable(fmt::format("{}: read failed", path)));
  return text;
}

Result<Topology> readTopologyFile(const std::string& path, const ImportOptions& options) {
  LP_ASSIGN_OR_RETURN(auto text, readFileText(path));
  return parseTopology(text, path, options);
}

std::string writeNativeYaml(const Topology& topology) { return io::nativeYaml(topology); }
std::string jsonAsYaml(const nlohmann::ordered_json& document) { return io::jsonAsYaml(document); }
std::string writeNativeJson(const Topology& topology) { return io::nativeJson(topology); }
std::string writeGeoJson(const Topology& topology) { return io::geoJson(topology); }

Status writeTopologyFile(const Topology& topology, const std::string& path) {
  std::string_view ext = extensionOf(path);
  std::string text;
  if (ext == "yaml" || ext == "yml") {
    text = writeNativeYaml(topology);
  } else if (ext == "geojson") {
    text = writeGeoJson(topology);
  } else if (ext == "json") {
    text = writeNativeJson(topology);
  } else {
    return invalidArgument(
        fmt::format("{}: cannot tell the output format from the extension "
                    "'{}': use .yaml, .json or .geojson",
                    path, ext));
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return unavailable(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
  out << text;
  out.close();
  if (!out) return unavailable(fmt::format("{}: write failed", path));
  return Status::ok();
}

}  // namespace lightpath
