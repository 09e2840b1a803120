// The format readers behind parseTopology(). Each takes the whole text and the source name
// used in messages; none throws.
#pragma once

#include <string_view>

#include "lightpath/io/topology_io.h"

namespace lightpath::io {

Result<Topology> readNative(std::string_view text, std::string_view source, bool yaml);
Result<Topology> readGml(std::string_view text, std::string_view source,
                         const ImportOptions& options);
Result<Topology> readSndlibText(std::string_view text, std::string_view source,
                                const ImportOptions& options);
Result<Topology> readSndlibXml(std::string_view text, std::string_view source,
                               const ImportOptions& options);
Result<Topology> readNodeLinkJson(std::string_view text, std::string_view source,
                                  const ImportOptions& options);
Result<Topology> readGnpyJson(std::string_view text, std::string_view source,
                              const ImportOptions& options);
Result<Topology> readNet2Plan(std::string_view text, std::string_view source,
                              const ImportOptions& options);
Result<Topology> readEdgeList(std::string_view text, std::string_view source,
                              const ImportOptions& options);

}  // namespace lightpath::io

namespace lightpath::io {

// Writers behind writeNativeYaml / writeNativeJson / writeGeoJson.
std::string nativeYaml(const Topology& topology);
std::string jsonAsYaml(const nlohmann::ordered_json& document);
std::string nativeJson(const Topology& topology);
std::string geoJson(const Topology& topology);

}  // namespace lightpath::io
