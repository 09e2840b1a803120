// The elements of a carrier network as plain values: sites, nodes (ROADMs and switches),
// fibers, shared-risk link groups, client ports and transceiver types. A Topology
// (topology.h) holds them with indexes; these structs hold no references to each other
// except by id, so they can be read, written and compared as data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lightpath/base/geo.h"
#include "lightpath/base/status.h"
#include "lightpath/base/units.h"

namespace lightpath {

// Dense indexes into a Topology's arrays; stable for the life of one snapshot.
using NodeIndex = std::uint32_t;
using FiberIndex = std::uint32_t;
inline constexpr std::uint32_t kNoIndex = 0xffffffffu;

enum class SiteKind { Pop, Datacenter, CloudOnramp, Enterprise };
std::string_view toString(SiteKind kind);
Result<SiteKind> parseSiteKind(std::string_view text);

// A place: a carrier PoP, a data-center campus, a cloud on-ramp, an enterprise building.
struct Site {
  std::string id;
  std::string name;
  SiteKind kind = SiteKind::Pop;
  std::string metro;                 // the metro area it belongs to, e.g. "Washington DC"
  std::optional<GeoPoint> location;  // absent when the source has no coordinates
  std::string provider;              // cloud on-ramps: "aws", "azure", "google"
  std::string region;                // cloud on-ramps: provider region, e.g. "us-east-1"
  std::string origin;                // where it was read from ("file.yaml:12"), for messages
  bool operator==(const Site&) const = default;
};

enum class NodeKind { Roadm, Switch };
std::string_view toString(NodeKind kind);
Result<NodeKind> parseNodeKind(std::string_view text);

// Equipment at a site that fibers terminate on: a ROADM (optical) or a switch (packet).
struct Node {
  std::string id;
  std::string name;
  std::string site;  // id of the Site it stands in
  NodeKind kind = NodeKind::Roadm;
  bool regeneration = true;  // whether regenerators may be placed here
  bool transit = true;       // whether paths may pass through (not at customer sites)
  std::string source_id;     // the id the imported file gave it, when not `id`
  std::string origin;
  bool operator==(const Node&) const = default;
};

enum class LengthSource {
  Measured,   // the source gives the fiber length
  Estimated,  // great-circle distance x route factor
  Assumed,    // no coordinates either: a nominal default length
};
std::string_view toString(LengthSource source);
Result<LengthSource> parseLengthSource(std::string_view text);

// The optical band a fiber carries, as frequencies in THz.
struct SpectrumBand {
  double start_thz = 191.3;  // C-band, ITU-T G.694.1 flex grid
  double end_thz = 196.1;
  bool operator==(const SpectrumBand&) const = default;
};

// A fiber pair (one fiber each way) between two nodes; its cable route is described by
// the SRLGs it belongs to.
// One amplified span of a fiber whose line the source describes span by span (a GNPy topology
// with its amplifiers): the line design uses these instead of cutting the fiber itself.
struct FiberSpan {
  Km length{0};
  Db loss{0};             // fiber + connectors
  std::string amplifier;  // type_variety of the amplifier after it; empty: chosen by design
  bool operator==(const FiberSpan&) const = default;
};

struct Fiber {
  std::string id;
  std::string a;  // node id
  std::string b;  // node id
  Km length;
  LengthSource length_source = LengthSource::Measured;
  std::optional<Db> loss;      // total span loss when the source gives it
  std::optional<double> cost;  // administrative (TE) cost set by the operator
  std::string fiber_type = "SSMF";
  std::vector<std::string> srlgs;  // ids of the shared-risk groups it belongs to
  SpectrumBand band;
  std::vector<FiberSpan> spans;  // empty: the line design cuts it into spans
  std::string origin;
  bool operator==(const Fiber&) const = default;
};

enum class SrlgKind { Conduit, Bridge, Duct, CityEntry, Other };
std::string_view toString(SrlgKind kind);
Result<SrlgKind> parseSrlgKind(std::string_view text);

// A shared risk: everything in the same conduit, on the same bridge, through the same duct
// fails together.
struct Srlg {
  std::string id;
  std::string name;
  SrlgKind kind = SrlgKind::Conduit;
  std::string origin;
  bool operator==(const Srlg&) const = default;
};

// A client-facing port at a site, where customers' connections start and end.
struct Port {
  std::string id;
  std::string name;
  std::string site;  // id of the Site
  std::string node;  // id of the Node it is wired to (may be empty)
  Gbps speed{0};
  std::optional<std::string> tenant;  // owner; empty = carrier inventory, not yet sold
  bool macsec = false;                // its equipment encrypts Ethernet with MACsec (802.1AE)
  // Cloud on-ramps: the provider's diversity zone (AWS) / edge availability domain (Google) /
  // link (Azure: 1 primary, 2 secondary) the port is in; 0: none. A redundant pair takes one
  // port in each.
  int zone = 0;
  std::string origin;
  bool operator==(const Port&) const = default;
};

// A transceiver type the network can light a wavelength with.
struct TransceiverSpec {
  std::string id;
  std::string name;
  Gbps line_rate{0};
  double baud_gbd = 0.0;           // symbol rate in GBd
  GHz slot_width{0};               // spectrum it occupies
  Db min_gsnr{0};                  // required generalized SNR (0.1 nm reference not implied)
  Km reach{0};                     // vendor-stated maximum unregenerated reach
  bool layer1_encryption = false;  // encrypts what it carries (AES-256-GCM in the transponder)
  std::string origin;
  bool operator==(const TransceiverSpec&) const = default;
};

}  // namespace lightpath
