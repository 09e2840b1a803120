// The cloud side of a cloud connection: Lightpath, as the providers' partner, asks AWS, Azure or
// Google for the hosted connection / circuit / attachment the customer's order names, reads its
// state until the customer has done their part, and removes it on termination. One adapter per
// provider speaks that provider's own API (AWS Direct Connect's JSON 1.1 with SigV4, an
// ExpressRoute partner call against the customer's service key, a Partner Interconnect
// attachment activated with the customer's pairing key); an endpoint names where it is (the
// real provider or `lightpath cloudsim`).
//
//   auto aws = makeCloudProvider(endpoint);                  // CloudEndpoint from the config
//   Result<ProviderState> s = (*aws)->create(handshake);    // idempotent by connection id
//   s = (*aws)->read(handshake, s->id);                     // polled until ready or gone
//   (*aws)->remove(handshake, s->id);                       // on termination
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "lightpath/base/status.h"
#include "lightpath/service/connection.h"

namespace lightpath {

// What Lightpath asks of the provider for one connection.
struct CloudHandshake {
  std::string connection;    // the Lightpath connection id (names the provider's object)
  std::string provider;      // aws, azure, google
  std::string customer_key;  // AWS owner account, Azure service key, Google pairing key
  std::string interconnect;  // the on-ramp port the connection lands on (the partner's port)
  std::string location;      // the on-ramp's metro ("Washington DC"): Azure's peering location
  std::string region;        // the on-ramp's provider region ("us-east-1")
  std::uint16_t vlan = 0;    // the VLAN (Azure: S-tag) configured on the on-ramp port
  int zone = 0;              // the on-ramp port's diversity zone (Azure: 2 is the secondary link)
  std::uint64_t mbps = 0;
};

// Where the provider side is, in the provider's own word (`state`) and as Lightpath acts on it.
enum class ProviderPhase {
  AwaitingCustomer,  // the customer must act at the provider (accept, activate)
  Provisioning,      // accepted; the provider is bringing it up
  Ready,             // carries traffic
  Gone,              // deleted or rejected at the provider (by the customer, or expired there)
};
std::string_view toString(ProviderPhase phase);

struct ProviderState {
  std::string id;  // dxcon-..., the ExpressRoute service key, the attachment's name
  std::string
      state;  // ordering, pending, available; Provisioning, Provisioned; PENDING_CUSTOMER...
  ProviderPhase phase = ProviderPhase::AwaitingCustomer;
  std::string next_step;              // what the customer must do, when AwaitingCustomer
  std::optional<std::uint16_t> vlan;  // as the provider recorded it
};

class CloudProvider {
 public:
  virtual ~CloudProvider() = default;
  // Asks the provider for the connection's cloud side. Idempotent: one made for this connection
  // already (a restart between the call and our record of it) is found and returned. The
  // customer's key naming nothing, or something that does not match the order, is
  // FailedPrecondition with the provider's reason; the provider unreachable is Unavailable.
  virtual Result<ProviderState> create(const CloudHandshake& handshake) = 0;
  // Its state now; Gone when the provider no longer has it.
  virtual Result<ProviderState> read(const CloudHandshake& handshake, const std::string& id) = 0;
  // Removes it; already gone is fine.
  virtual Status remove(const CloudHandshake& handshake, const std::string& id) = 0;
};

// One HTTP exchange, for an endpoint reached without the network (serve's own simulators).
struct CloudHttpReply {
  int status = 0;
  std::string body;
};
using CloudTransport = std::function<CloudHttpReply(
    const std::string& method, const std::string& path,
    const std::map<std::string, std::string>& headers, const std::string& body)>;

// Where a provider's API is and who Lightpath is there. Secrets come from a file or the
// environment, never from the configuration itself, and are never logged.
struct CloudEndpoint {
  std::string provider;       // aws, azure, google
  std::string url;            // "https://directconnect.us-east-1.amazonaws.com", ".../cloudsim/aws"
  std::string access_key_id;  // AWS: the partner's access key; Azure, Google: the client id
  std::string secret;         // AWS: the secret access key; Azure, Google: a bearer token
  std::chrono::milliseconds timeout{5000};
  // Set: requests go to it, not over the network (the url's path still prefixes theirs).
  CloudTransport transport;
};

Result<std::unique_ptr<CloudProvider>> makeCloudProvider(const CloudEndpoint& endpoint);

// The providers Lightpath talks to, by name.
using CloudProviders = std::map<std::string, std::shared_ptr<CloudProvider>>;

// AWS's way of writing them ("50Mbps", "1Gbps") and back.
std::string awsBandwidth(std::uint64_t mbps);
std::optional<std::uint64_t> parseAwsBandwidth(const std::string& text);
// Google's ("BPS_50M", "BPS_1G") and back.
std::string googleBandwidth(std::uint64_t mbps);
std::optional<std::uint64_t> parseGoogleBandwidth(const std::string& text);

}  // namespace lightpath
