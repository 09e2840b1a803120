// Plain edge lists as optical-rl-gym ships them: '#' comments, the node count, the link count,
// then one "a b km" line per link with nodes numbered from 1.
#include <fmt/format.h>

#include "lightpath/io/internal/graph_sketch.h"
#include "lightpath/io/internal/readers.h"
#include "lightpath/io/internal/text.h"

namespace lightpath::io {

Result<Topology> readEdgeList(std::string_view text, std::string_view source,
                              const ImportOptions& options) {
  std::vector<std::pair<std::size_t, std::vector<std::string_view>>> rows;
  CommentedLines lines(text);
  std::string_view line;
  while (lines.next(line)) {
    std::vector<std::string_view> words;
    std::size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
      std::size_t start = i;
      while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i]))) ++i;
      if (i > start) words.push_back(line.substr(start, i - start));
    }
    if (!words.empty()) rows.emplace_back(lines.number(), std::move(words));
  }
  auto count = [&](std::size_t row, const char* what) -> Result<std::size_t> {
    if (row >= rows.size() || rows[row].second.size() != 1) {
      return fail(
          invalidArgument(fmt::format("{}:{}: expected the {} alone on a line", source,
                                      row < rows.size() ? rows[row].first : lines.number(), what)));
    }
    auto n = parseNumber(rows[row].second[0]);
    if (!n || *n < 0 || *n != std::floor(*n) || *n > 1e6) {
      return fail(
          invalidArgument(fmt::format("{}:{}: the {} must be a whole number, got '{}'", source,
                                      rows[row].first, what, excerpt(rows[row].second[0]))));
    }
    return static_cast<std::size_t>(*n);
  };
  LP_ASSIGN_OR_RETURN(auto node_count, count(0, "node count"));
  LP_ASSIGN_OR_RETURN(auto link_count, count(1, "link count"));
  if (rows.size() - 2 != link_count) {
    return fail(invalidArgument(
        fmt::format("{}: header says {} links, file has {}", source, link_count, rows.size() - 2)));
  }
  GraphSketch sketch;
  sketch.name = baseName(source);
  sketch.provenance = "edge list: " + sketch.name;
  for (std::size_t r = 2; r < rows.size(); ++r) {
    const auto& [at, w] = rows[r];
    std::string where = fmt::format("{}:{}", source, at);
    if (w.size() != 3) {
      return fail(invalidArgument(where + ": expected '<node> <node> <km>'"));
    }
    auto km = parseNumber(w[2]);
    if (!km)
      return fail(
          invalidArgument(fmt::format("{}: length '{}' is not a number", where, excerpt(w[2]))));
    sketch.links.push_back(
        {.a = std::string(w[0]), .b = std::string(w[1]), .length_km = *km, .origin = where});
  }
  // Every node is an end of some link: a count beyond what the links can join is a wrong
  // header (and would make a small file a huge network).
  if (node_count > 2 * link_count) {
    return fail(invalidArgument(
        fmt::format("{}:{}: the node count says {}, but {} links join at most {} nodes", source,
                    rows[0].first, node_count, link_count, 2 * link_count)));
  }
  for (std::size_t n = 1; n <= node_count; ++n) {
    sketch.nodes.push_back({.key = std::to_string(n),
                            .label = std::to_string(n),
                            .origin = fmt::format("{}:{}", source, rows[0].first)});
  }
  return buildFromSketch(std::move(sketch), options);
}

}  // namespace lightpath::io
