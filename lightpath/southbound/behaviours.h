// What a connection needs of one device, by the device's role. The orchestrator states intent;
// the device's driver turns it into its own configuration entries, so a vendor's names and
// values stay in its driver. A device offers the behaviours its role has (Device::crossConnect()
// and friends return null otherwise).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lightpath/base/status.h"

namespace lightpath {

struct ConfigEntry;

// The keys an encrypting end holds: every installed key (two while a rotation is under way) and
// the one in use. The secrets are clear here, on their way to the device only.
struct EncryptionIntent {
  std::string mode;  // "macsec" or "layer1"
  struct Key {
    std::string id;           // 32 hex digits (MACsec: the CKN)
    std::string secret;       // 64 hex digits: 256 bits (MACsec: the CAK); empty: not opened
    std::string fingerprint;  // keyFingerprint(secret)
  };
  std::vector<Key> keys;
  std::string active;
};

// A ROADM adds, drops or expresses a spectrum slice.
struct CrossConnectIntent {
  std::string connection;
  std::string leg;                             // "working" or "protection"
  std::string in_fiber, out_fiber;             // empty at the add / drop end
  std::map<std::string, std::string> slots;    // fiber id -> "first+count", for in and out
  std::string transceiver;                     // the mode, at the add / drop ends
  std::optional<EncryptionIntent> encryption;  // layer 1, at the add / drop ends
};

// A packet hop (switch or client port) carries an Ethernet service.
struct ClientServiceIntent {
  std::string connection;
  std::string leg;
  std::string in_fiber, out_fiber;  // empty at the client end
  std::optional<std::uint16_t> vlan;
  std::uint64_t mbps = 0;
  std::optional<EncryptionIntent> encryption;  // MACsec, at the client ends
};

// The on-ramp end of a cloud connection.
struct CloudAttachmentIntent {
  std::string connection;
  std::string provider;  // aws, azure, google
  std::string key;       // the provider's pairing / service key
  std::optional<std::uint16_t> vlan;
  std::uint64_t mbps = 0;
};

class CrossConnect {
 public:
  virtual ~CrossConnect() = default;
  virtual ConfigEntry crossConnect(const CrossConnectIntent& intent) const = 0;
};

class ClientPort {
 public:
  virtual ~ClientPort() = default;
  virtual ConfigEntry clientService(const ClientServiceIntent& intent) const = 0;
};

class CloudOnRamp {
 public:
  virtual ~CloudOnRamp() = default;
  virtual ConfigEntry cloudAttachment(const CloudAttachmentIntent& intent) const = 0;
};

// What the device says of the services it carries.
struct EntryStatus {
  std::string key;
  std::string owner;
  bool up = false;
};
class Telemetry {
 public:
  virtual ~Telemetry() = default;
  virtual Result<std::vector<EntryStatus>> status() = 0;
  // Whether the node itself is in service (its line side lit, no node-level alarm); a device
  // that cannot answer is down too.
  virtual Result<bool> nodeUp() = 0;
  // Changes whenever the device may have lost its configuration since last asked (a new session
  // after a lost one: the box may have restarted empty). No I/O; devices that keep their state
  // whatever happens answer 0 always.
  virtual std::uint64_t epoch() const { return 0; }
  // What the entries with these keys have carried since each was set (its traffic counter, in
  // bytes; replacing an entry's values keeps counting, removing it drops the counter). Entries
  // the device does not count, or does not hold, are absent; a device that counts nothing
  // answers an empty map.
  virtual Result<std::map<std::string, std::uint64_t>> octets(
      const std::vector<std::string>& keys) {
    (void)keys;
    return std::map<std::string, std::uint64_t>{};
  }
};

}  // namespace lightpath
