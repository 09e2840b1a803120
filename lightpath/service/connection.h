// Connections as customers order them: what was asked for (kind, ends, bandwidth, protection,
// latency bound, schedule, tags) and where the service is in its lifecycle, as an explicit
// state machine that only takes legal transitions and records each one with time, actor and
// reason.
//
//   Connection c = Connection::draft(id, tenant, spec, clock.now(), "api-key:abc");
//   LP_RETURN_IF_ERROR(c.transition(ConnectionState::Provisioning, now, "orchestrator",
//   "reserved")); if (stateInfo(c.state()).ready) ...
//
// Lifecycle (docs/ARCHITECTURE.md): draft -> provisioning -> [awaiting_counterparty] -> active
// <-> modifying -> deprovisioning -> terminated; plus failed, rejected and cancelled.
// Administrative and operational state are separate from the lifecycle.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lightpath/base/clock.h"
#include "lightpath/base/status.h"
#include "lightpath/base/units.h"

namespace lightpath {

enum class ConnectionKind { Wavelength, Ethernet, Cloud };
enum class ConnectionState {
  Draft,
  Provisioning,
  AwaitingCounterparty,
  Active,
  Modifying,
  Deprovisioning,
  Terminated,
  Failed,
  Rejected,
  Cancelled,
};
enum class Protection { None, OnePlusOne };
// Encryption of the traffic between the ends: MACsec (IEEE 802.1AE, keyed by a CAK/CKN pair for
// MKA) on an Ethernet connection's end ports, or the transponders' own AES-256-GCM on a
// wavelength (layer 1).
enum class Encryption { None, Macsec, Layer1 };
enum class AdminState { Enabled, Disabled };
enum class OperState { Unknown, Up, Down, Degraded };

std::string_view toString(ConnectionKind v);
std::string_view toString(ConnectionState v);
std::string_view toString(Protection v);
std::string_view toString(Encryption v);
std::string_view toString(AdminState v);
std::string_view toString(OperState v);
Result<ConnectionKind> parseConnectionKind(std::string_view text);
Result<ConnectionState> parseConnectionState(std::string_view text);
Result<Protection> parseProtection(std::string_view text);
Result<Encryption> parseEncryption(std::string_view text);

struct StateInfo {
  bool ready;     // the service carries traffic as ordered
  bool terminal;  // nothing more will happen to it
};
StateInfo stateInfo(ConnectionState state);
// Whether the lifecycle allows going from `from` to `to`.
bool canTransition(ConnectionState from, ConnectionState to);
std::vector<ConnectionState> nextStates(ConnectionState from);

struct BandwidthStep {
  TimePoint at;
  std::uint64_t mbps = 0;
  bool operator==(const BandwidthStep&) const = default;
};

// What the customer asked for.
struct ConnectionSpec {
  ConnectionKind kind = ConnectionKind::Ethernet;
  std::string a_end, z_end;          // port ids (ethernet, cloud A end) or site ids (wavelength)
  std::uint64_t bandwidth_mbps = 0;  // wavelengths: the line rate (100000, 400000, 800000)
  Protection protection = Protection::None;
  // 1+1: present = revertive, back on the working leg this long after the repair; absent =
  // non-revertive (stays on the leg it switched to).
  std::optional<std::chrono::seconds> wait_to_restore;
  std::optional<Micros> max_latency;
  std::optional<TimePoint> start, end;  // absent start: now; absent end: until terminated
  std::vector<BandwidthStep> steps;     // bandwidth changes over time, in order
  std::optional<std::uint16_t> vlan;    // ethernet/cloud: absent = chosen by Lightpath
  std::string cloud_provider;           // cloud: aws, azure, google
  // cloud: what the customer brings from the provider: the AWS account that will own the hosted
  // connection, the ExpressRoute circuit's service key, the Partner Interconnect pairing key.
  std::string cloud_key;
  std::string sla = "standard";
  std::string term = "1";  // commitment: "hourly" or 1, 12, 24, 36 (months)
  Encryption encryption = Encryption::None;
  // Ethernet/cloud: a connection of the same tenant this one must share no fiber or shared-risk
  // group with (the second of a redundant pair).
  std::string diverse_from;
  // Ethernet: the fibers to take, A to Z (a bulk transfer's legs; a route the customer pins);
  // empty: Lightpath chooses.
  std::vector<std::string> route;
  std::map<std::string, std::string> tags;
  bool operator==(const ConnectionSpec&) const = default;
};

// The bandwidth asked for at `t`: the last step at or before it, else `bandwidth_mbps`.
std::uint64_t bandwidthAt(const ConnectionSpec& spec, TimePoint t);
// The most it ever asks for.
std::uint64_t peakBandwidth(const ConnectionSpec& spec);

// The order's name for `provider`'s cloud_key: owner_account (aws), service_key (azure),
// pairing_key (google); "key" for another.
std::string cloudKeyField(std::string_view provider);
// The bandwidths (Mb/s, ascending) a provider sells as hosted connections; none for another.
const std::vector<std::uint64_t>& hostedBandwidths(std::string_view provider);
// "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" in hex digits.
bool isGuid(std::string_view text);
// A Google Partner Interconnect pairing key, "UUID/REGION/DOMAIN": the region it was made in and
// its edge availability domain (1 or 2); nothing when it is not one.
struct PairingKey {
  std::string region;
  int domain = 0;
};
std::optional<PairingKey> parsePairingKey(std::string_view key);

// Tags a connection may carry (each at most 128 / 256 characters).
inline constexpr std::size_t kMaxTags = 64;
inline constexpr std::size_t kMaxRouteFibers = 64;
// How far in the past an order's start may lie (clocks differ); earlier is refused.
inline constexpr std::chrono::seconds kStartGrace{60};

// Checks a spec on its own (the network checks come later): the ends, the bandwidth range of
// its kind, schedule order, VLAN range, the cloud fields, the number of tags. InvalidArgument
// names the field.
Status validateSpec(const ConnectionSpec& spec);
// The window against the clock: InvalidArgument when the end has passed or the start lies
// more than kStartGrace in the past.
Status checkWindowAt(const ConnectionSpec& spec, TimePoint now);

struct StateChange {
  TimePoint at;
  ConnectionState from, to;
  std::string actor;  // who: an API key id, "orchestrator", "operator:..."
  std::string reason;
};

// How the network carries it: the values Lightpath chose (path, VLAN, spectrum, mode).
struct SpectrumBlock {
  std::string fiber;
  std::uint32_t first_slot = 0;
  std::uint32_t slots = 0;
  bool operator==(const SpectrumBlock&) const = default;
};
// A key both ends of an encrypted connection hold: its id (also the MACsec CKN) and its 256 bits,
// sealed under the master key (base/seal.h): the clear key exists only on its way to a device.
struct EncryptionKey {
  std::string id;           // 32 hex digits
  std::string sealed;       // "sealed:v1:...", context "connection-key/<connection>/<id>"
  std::string fingerprint;  // what the devices show of it (southbound keyFingerprint)
  TimePoint created;
  bool operator==(const EncryptionKey&) const = default;
};
struct EncryptionKeys {
  // One key; two while a rotation is under way (the next is installed beside the one in use,
  // then used, then the old one removed: make-before-break).
  std::vector<EncryptionKey> installed;
  std::string active;  // the id of the key in use
  TimePoint rotated_at, next_rotation;
  bool rotating() const { return installed.size() > 1; }
  bool operator==(const EncryptionKeys&) const = default;
};

// A cloud connection's other half, at the provider (orchestrator/cloud_handshake.h).
struct ProviderSide {
  std::string id;                    // dxcon-..., the service key, the partner attachment
  std::string state;                 // in the provider's own word (ordering, Provisioned, ...)
  std::string next_step;             // what the customer must do there; empty: nothing
  std::optional<TimePoint> expires;  // the hand-shake ends then unless the customer acts
  bool operator==(const ProviderSide&) const = default;
};

struct Realization {
  std::vector<std::string> nodes;                                // node ids, A to Z
  std::vector<std::string> fibers;                               // fiber ids
  std::vector<std::string> protection_nodes, protection_fibers;  // 1+1: the second leg
  double km = 0;
  double latency_ms = 0;
  std::optional<std::uint16_t> vlan;      // ethernet/cloud
  std::string transceiver;                // wavelength: the mode's id
  std::vector<std::string> regenerators;  // wavelength: node ids
  std::vector<SpectrumBlock> spectrum;    // wavelength: per fiber
  std::vector<std::uint64_t> holds;       // ledger holds
  double protection_km = 0;               // 1+1: the second leg's length
  bool on_protection = false;             // 1+1: switched: traffic is on the leg ordered second
  std::optional<TimePoint> revert_at;     // revertive 1+1: when it goes back to the first leg
  // Wavelength: the light's quality per leg (working, then protection), at its weakest
  // segment: GSNR in 0.1 nm and its margin over the transceiver's threshold.
  struct LegQot {
    double gsnr_db = 0, margin_db = 0;
    bool operator==(const LegQot&) const = default;
  };
  std::vector<LegQot> qot;
  // The price agreed when it was ordered (the price book's, for these values).
  struct Price {
    std::string currency, term;
    double monthly = 0, hourly = 0, setup = 0;
    bool operator==(const Price&) const = default;
  };
  std::optional<Price> price;
  std::optional<EncryptionKeys> keys;    // encrypted connections
  std::optional<ProviderSide> provider;  // cloud connections, once the provider was asked
  bool operator==(const Realization&) const = default;
};

// A time the service carried no traffic (a failure until its switch or restoration); open while
// it lasts.
struct Outage {
  TimePoint start;
  std::optional<TimePoint> end;
  std::string reason;
  bool operator==(const Outage&) const = default;
};

class Connection {
 public:
  static Connection draft(std::string id, std::string tenant, ConnectionSpec spec, TimePoint at,
                          std::string actor);
  // Rebuilds a connection read from the store (no checks: the store only holds valid ones).
  static Connection restore(std::string id, std::string tenant, ConnectionSpec spec,
                            ConnectionState state, AdminState admin, OperState oper,
                            std::vector<StateChange> history, Realization current,
                            std::uint64_t version, std::vector<Outage> outages = {});

  const Realization& current() const { return current_; }
  void setCurrent(Realization current) {
    current_ = std::move(current);
    ++version_;
  }

  const std::string& id() const { return id_; }
  const std::string& tenant() const { return tenant_; }
  const ConnectionSpec& requested() const { return requested_; }
  ConnectionState state() const { return state_; }
  AdminState adminState() const { return admin_; }
  OperState operState() const { return oper_; }
  const std::vector<StateChange>& history() const { return history_; }
  std::uint64_t version() const { return version_; }  // bumped on every change (ETags)

  // FailedPrecondition when the lifecycle does not allow it (the message lists what would be).
  Status transition(ConnectionState to, TimePoint at, std::string actor, std::string reason);
  void setOperState(OperState state) {
    oper_ = state;
    ++version_;
  }
  void setAdminState(AdminState state) {
    admin_ = state;
    ++version_;
  }
  const std::vector<Outage>& outages() const { return outages_; }
  void setOutages(std::vector<Outage> outages) {
    outages_ = std::move(outages);
    ++version_;
  }

 private:
  std::string id_, tenant_;
  ConnectionSpec requested_;
  ConnectionState state_ = ConnectionState::Draft;
  AdminState admin_ = AdminState::Enabled;
  OperState oper_ = OperState::Unknown;
  std::vector<StateChange> history_;
  Realization current_;
  std::vector<Outage> outages_;
  std::uint64_t version_ = 1;
};

}  // namespace lightpath
