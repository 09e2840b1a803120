// Simulated control planes of AWS Direct Connect, Azure ExpressRoute and Google Cloud Partner
// Interconnect, for trying cloud connections end to end without an account at any of them. Each
// keeps its provider's state machine and speaks its API's shape; `lightpath serve` mounts them
// under /cloudsim/{aws,azure,google} when no real endpoint is configured, and `lightpath
// cloudsim` serves them alone. State lives in the store (serve) or one JSON file (alone),
// written on every change, so a restart of either keeps every hand-shake where it was.
//
//   AWS (POST /cloudsim/aws/, JSON 1.1, X-Amz-Target OvertureService.<Action>, SigV4): the access
//     key id is the caller's 12-digit account id; the signature's shape is checked, and its value
//     too for accounts whose secret the simulator knows. Partner calls (the partner account):
//     AllocateHostedConnection, DescribeHostedConnections, DeleteConnection; customer calls:
//     DescribeConnections, ConfirmConnection, DeleteConnection. ordering -> pending (confirmed)
//     -> available (bring_up later) -> deleted.
//   Azure (Bearer): customer PUT/GET/DELETE .../expressRouteCircuits/{name} makes a circuit and
//     its service key; partner GET /provider/circuits/{key}, POST .../provision {stag},
//     .../deprovision. NotProvisioned -> Provisioning -> Provisioned (bring_up later).
//   Google (Bearer): customer POST/GET/PATCH/DELETE .../interconnectAttachments/{name} (type
//     PARTNER: a pairing key uuid/region/1|2); partner POST /partner/attachments {pairingKey,
//     bandwidth, vlanTag8021q}, GET/DELETE /partner/attachments/{name}. PENDING_PARTNER ->
//     PENDING_CUSTOMER (partner activated) -> ACTIVE (customer set adminEnabled).
//
// Thread-safe.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "lightpath/api/http.h"
#include "lightpath/base/clock.h"
#include "lightpath/base/status.h"
#include "lightpath/store/store.h"

namespace lightpath {

struct CloudSimOptions {
  // Where the state lives: a store (serve's: every instance on one database shares it, each
  // request read and written in one transaction), else this file (empty: in memory only).
  Store* store = nullptr;
  std::string state_file;
  // Who Lightpath is at each provider: the AWS partner account (its access key id) and the
  // bearer token of the Azure and Google partner calls.
  std::string aws_partner_account = "999999999999";
  std::string partner_token;
  // Secret access keys the simulator knows, by account: requests from these are verified in
  // full, others by the signature's shape.
  std::map<std::string, std::string> aws_secrets;
  // How long a provider takes from the customer's acceptance to carrying traffic.
  std::chrono::milliseconds bring_up{1000};
  const Clock* clock = nullptr;  // none: the system clock
};

class CloudSim {
 public:
  static Result<std::unique_ptr<CloudSim>> open(CloudSimOptions options);
  // A request under /cloudsim/: the provider's answer (JSON), 404 elsewhere.
  HttpResponse handle(const HttpRequest& request);

 private:
  explicit CloudSim(CloudSimOptions options);
  HttpResponse guarded(const HttpRequest& request);  // exceptions become a 500
  HttpResponse route(const HttpRequest& request);
  HttpResponse aws(const HttpRequest& request);
  HttpResponse azure(const HttpRequest& request, const std::vector<std::string>& path);
  HttpResponse google(const HttpRequest& request, const std::vector<std::string>& path);
  // Moves what bring_up allows (pending -> available, Provisioning -> Provisioned).
  void advance();
  Status save();
  TimePoint now() const;

  CloudSimOptions options_;
  SystemClock system_clock_;
  std::mutex mutex_;
  nlohmann::json state_;
  bool dirty_ = false;  // state_ changed by this request
};

}  // namespace lightpath
