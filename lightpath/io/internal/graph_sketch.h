// GraphSketch: what the foreign formats have in common — named points with optional
// coordinates and links with optional lengths — and the one place that turns it into a
// Topology: estimating missing lengths, pairing one-way links into fiber pairs, merging
// duplicate edges, and recording each such decision as a finding.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "lightpath/io/topology_io.h"

namespace lightpath::io {

struct SketchNode {
  std::string key;    // the identifier links refer to
  std::string label;  // human name; may repeat or be empty
  std::optional<GeoPoint> location;
  std::string origin;  // "file:line" for messages
};

struct SketchLink {
  std::string a, b;                 // node keys
  std::optional<double> length_km;  // measured length when the source gives one
  std::optional<double> loss_db;
  std::string fiber_type;        // empty: SSMF
  std::vector<FiberSpan> spans;  // when the source lays the line out span by span
  std::string origin;
};

struct GraphSketch {
  std::string name;
  std::string provenance;
  std::vector<SketchNode> nodes;
  std::vector<SketchLink> links;
  bool directed = false;          // links are one-way: pair a->b with b->a into a fiber pair
  bool merge_duplicates = false;  // undirected duplicates are one route drawn twice
  bool planar = false;            // positions are x/y in unknown units, not lat/lon
  std::vector<Finding> notes;     // the importer's own remarks
};

Result<Topology> buildFromSketch(GraphSketch sketch, const ImportOptions& options);

// Converts degrees.minutes (37.25 = 37 deg 25 min) to decimal degrees.
double degreesMinutesToDecimal(double value);

// True when every coordinate is written with at most two decimals whose value is below .60,
// and at least one is not whole: the signature of degrees.minutes in SNDlib files.
bool looksLikeDegreesMinutes(const std::vector<std::string>& coordinate_texts);

}  // namespace lightpath::io
