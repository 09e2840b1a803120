// The three adapters, over HTTP (cpp-httplib). Each maps its provider's states onto
// ProviderPhase and its errors onto ours: the provider refusing (a 4xx) is FailedPrecondition
// with its message, the provider unreachable or failing (a 5xx) is Unavailable.
#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "lightpath/base/clock.h"
#include "lightpath/cloud/provider.h"
#include "lightpath/cloud/sigv4.h"

namespace lightpath {
namespace {

using nlohmann::json;

struct Reply {
  int status = 0;
  json body;
};

// An endpoint's URL cut into what httplib connects to and the path its API is under.
class Http {
 public:
  static Result<Http> make(const CloudEndpoint& e) {
    const std::size_t scheme = e.url.find("://");
    if (scheme == std::string::npos ||
        (e.url.rfind("http://", 0) != 0 && e.url.rfind("https://", 0) != 0))
      return fail(invalidArgument(
          fmt::format("{}.url: http(s)://HOST[:PORT][/PATH], got '{}'", e.provider, e.url)));
    const std::size_t slash = e.url.find('/', scheme + 3);
    Http h;
    h.endpoint_ = e;
    h.origin_ = e.url.substr(0, slash);
    h.host_ = e.url.substr(scheme + 3,
                           slash == std::string::npos ? std::string::npos : slash - scheme - 3);
    h.base_ = slash == std::string::npos ? "" : e.url.substr(slash);
    while (!h.base_.empty() && h.base_.back() == '/') h.base_.pop_back();
    if (h.host_.empty()) return fail(invalidArgument(fmt::format("{}.url: no host", e.provider)));
    return h;
  }

  const std::string& host() const { return host_; }
  const std::string& base() const { return base_; }

  Result<Reply> call(const std::string& method, const std::string& path,
                     const std::map<std::string, std::string>& headers,
                     const std::string& body) const {
    if (endpoint_.transport) {
      std::map<std::string, std::string> sent = headers;
      sent.emplace("host", host_);
      const CloudHttpReply r = endpoint_.transport(method, path, sent, body);
      return replyOf(r.status, r.body);
    }
    httplib::Client client(origin_);
    client.set_connection_timeout(endpoint_.timeout);
    client.set_read_timeout(endpoint_.timeout);
    client.set_write_timeout(endpoint_.timeout);
    httplib::Headers h;
    std::string content_type = "application/json";
    for (const auto& [name, value] : headers) {
      if (name == "content-type")
        content_type = value;
      else if (name != "host")
        h.emplace(name, value);
    }
    httplib::Result r(nullptr, httplib::Error::Unknown);
    if (method == "GET")
      r = client.Get(path, h);
    else if (method == "DELETE")
      r = client.Delete(path, h);
    else if (method == "PATCH")
      r = client.Patch(path, h, body, content_type);
    else
      r = client.Post(path, h, body, content_type);
    if (!r) {
      return fail(unavailable(fmt::format("{}: cannot reach {}: {}", endpoint_.provider, origin_,
                                          httplib::to_string(r.error()))));
    }
    return replyOf(r->status, r->body);
  }

  Result<Reply> replyOf(int status, const std::string& body) const {
    Reply reply{status, json::parse(body, nullptr, false)};
    if (reply.body.is_discarded()) reply.body = json::object();
    if (status >= 500) {
      return fail(unavailable(fmt::format("{}: {} answered {}: {}", endpoint_.provider, origin_,
                                          status, body.substr(0, 200))));
    }
    return reply;
  }

  const CloudEndpoint& endpoint() const { return endpoint_; }

 private:
  CloudEndpoint endpoint_;
  std::string origin_, host_, base_;
};

std::string messageOf(const json& body) {
  for (const char* key : {"message", "Message"}) {
    if (body.contains(key) && body[key].is_string()) return body[key].get<std::string>();
  }
  if (body.contains("error") && body["error"].is_object())
    return body["error"].value("message", std::string("refused"));
  return "refused";
}

std::string objectName(const CloudHandshake& h) { return "lightpath-" + h.connection; }

// The provider no longer has it; `state` says how it went.
ProviderState goneState(const std::string& id, const std::string& state) {
  return {.id = id, .state = state, .phase = ProviderPhase::Gone, .next_step = {}, .vlan = {}};
}

// AWS Direct Connect, as an AWS Direct Connect Delivery Partner: hosted connections on the
// partner's interconnect (the on-ramp port), JSON 1.1 over HTTPS, SigV4-signed.
class AwsDirectConnect : public CloudProvider {
 public:
  explicit AwsDirectConnect(Http http) : http_(std::move(http)) {}

  Result<ProviderState> create(const CloudHandshake& h) override {
    LP_ASSIGN_OR_RETURN(auto existing, hosted(h));
    for (const json& c : existing) {
      const std::string state = c.value("connectionState", "");
      if (c.value("connectionName", "") == objectName(h) && state != "deleted" &&
          state != "rejected")
        return stateOf(c);
    }
    LP_ASSIGN_OR_RETURN(json made, call(h, "AllocateHostedConnection",
                                        {{"connectionId", h.interconnect},
                                         {"ownerAccount", h.customer_key},
                                         {"bandwidth", awsBandwidth(h.mbps)},
                                         {"connectionName", objectName(h)},
                                         {"vlan", h.vlan}}));
    return stateOf(made);
  }

  Result<ProviderState> read(const CloudHandshake& h, const std::string& id) override {
    LP_ASSIGN_OR_RETURN(auto existing, hosted(h));
    for (const json& c : existing) {
      if (c.value("connectionId", "") == id) return stateOf(c);
    }
    return goneState(id, "deleted");
  }

  Status remove(const CloudHandshake& h, const std::string& id) override {
    auto r = call(h, "DeleteConnection", {{"connectionId", id}});
    if (!r && r.error().code() == StatusCode::FailedPrecondition &&
        r.error().message().find("not found") != std::string::npos)
      return Status::ok();
    return r ? Status::ok() : r.error();
  }

 private:
  Result<json> hosted(const CloudHandshake& h) {
    LP_ASSIGN_OR_RETURN(json r,
                        call(h, "DescribeHostedConnections", {{"connectionId", h.interconnect}}));
    if (!r.contains("connections") || !r["connections"].is_array())
      return fail(unavailable("aws: DescribeHostedConnections answered without connections"));
    return r["connections"];
  }

  Result<json> call(const CloudHandshake& h, const std::string& action, const json& input) {
    SigV4Request request{.method = "POST",
                         .path = http_.base().empty() ? "/" : http_.base() + "/",
                         .query = {},
                         .headers = {{"host", http_.host()},
                                     {"content-type", "application/x-amz-json-1.1"},
                                     {"x-amz-target", "OvertureService." + action}},
                         .body = input.dump()};
    signSigV4(request, {http_.endpoint().access_key_id, http_.endpoint().secret},
              h.region.empty() ? "us-east-1" : h.region, "directconnect", SystemClock().now());
    LP_ASSIGN_OR_RETURN(Reply reply,
                        http_.call("POST", request.path, request.headers, request.body));
    if (reply.status >= 400) {
      return fail(failedPrecondition(fmt::format("aws: {}: {}", action, messageOf(reply.body))));
    }
    return reply.body;
  }

  static ProviderState stateOf(const json& c) {
    ProviderState s{.id = c.value("connectionId", ""),
                    .state = c.value("connectionState", ""),
                    .phase = ProviderPhase::Provisioning,
                    .next_step = {},
                    .vlan = {}};
    if (c.contains("vlan") && c["vlan"].is_number_unsigned())
      s.vlan = static_cast<std::uint16_t>(c["vlan"].get<unsigned>());
    if (s.state == "ordering" || s.state == "requested") {
      s.phase = ProviderPhase::AwaitingCustomer;
      s.next_step = fmt::format(
          "accept the hosted connection {} in AWS (console, or: aws directconnect "
          "confirm-connection --connection-id {})",
          s.id, s.id);
    } else if (s.state == "available" || s.state == "down") {
      s.phase = ProviderPhase::Ready;
    } else if (s.state == "deleting" || s.state == "deleted" || s.state == "rejected") {
      s.phase = ProviderPhase::Gone;
    }
    return s;
  }

  Http http_;
};

// Azure ExpressRoute, as a connectivity provider: the customer made the circuit and gave us its
// service key; we provision our side (the S-tag on our port) against it.
class AzureExpressRoute : public CloudProvider {
 public:
  explicit AzureExpressRoute(Http http) : http_(std::move(http)) {}

  Result<ProviderState> create(const CloudHandshake& h) override {
    LP_ASSIGN_OR_RETURN(Reply got, call("GET", h.customer_key, ""));
    if (got.status == 404)
      return fail(failedPrecondition(
          fmt::format("azure: no ExpressRoute circuit has the service key {}", h.customer_key)));
    if (got.status >= 400) return fail(failedPrecondition("azure: " + messageOf(got.body)));
    const json& c = got.body;
    if (c.value("peeringLocation", "") != h.location) {
      return fail(failedPrecondition(
          fmt::format("azure: the circuit's peering location is '{}', but the order lands in '{}'",
                      c.value("peeringLocation", ""), h.location)));
    }
    if (c.value("bandwidthInMbps", std::uint64_t{0}) != h.mbps) {
      return fail(failedPrecondition(fmt::format("azure: the circuit is {} Mb/s, the order {} Mb/s",
                                                 c.value("bandwidthInMbps", 0), h.mbps)));
    }
    const std::string name = linkOf(h);
    const json link = linkIn(c, name);
    const std::string state = link.value("state", "NotProvisioned");
    if (state != "NotProvisioned") {
      if (link.value("connection", "") == h.connection) return stateOf(c, name);
      return fail(failedPrecondition(
          fmt::format("azure: the {} link of the circuit with service key {} is {} already", name,
                      h.customer_key, state)));
    }
    LP_ASSIGN_OR_RETURN(Reply made, call("POST", h.customer_key + "/provision",
                                         json{{"link", name},
                                              {"connection", h.connection},
                                              {"port", h.interconnect},
                                              {"stag", h.vlan}}
                                             .dump()));
    if (made.status >= 400) return fail(failedPrecondition("azure: " + messageOf(made.body)));
    return stateOf(made.body, name);
  }

  Result<ProviderState> read(const CloudHandshake& h, const std::string& id) override {
    LP_ASSIGN_OR_RETURN(Reply got, call("GET", id, ""));
    if (got.status == 404) return goneState(id, "Deleted");
    if (got.status >= 400) return fail(failedPrecondition("azure: " + messageOf(got.body)));
    const std::string name = linkOf(h);
    if (linkIn(got.body, name).value("connection", h.connection) != h.connection)
      return goneState(id, "Reassigned");
    return stateOf(got.body, name);
  }

  Status remove(const CloudHandshake& h, const std::string& id) override {
    LP_ASSIGN_OR_RETURN(Reply r,
                        call("POST", id + "/deprovision", json{{"link", linkOf(h)}}.dump()));
    if (r.status >= 400 && r.status != 404)
      return failedPrecondition("azure: " + messageOf(r.body));
    return Status::ok();
  }

 private:
  // A circuit has two links; an on-ramp port in zone 2 carries the secondary.
  static std::string linkOf(const CloudHandshake& h) {
    return h.zone == 2 ? "secondary" : "primary";
  }
  static json linkIn(const json& circuit, const std::string& name) {
    if (!circuit.contains("links") || !circuit["links"].is_object()) return json::object();
    return circuit["links"].value(name, json::object());
  }

  Result<Reply> call(const std::string& method, const std::string& path, const std::string& body) {
    return http_.call(method, http_.base() + "/provider/circuits/" + path,
                      {{"authorization", "Bearer " + http_.endpoint().secret}}, body);
  }

  static ProviderState stateOf(const json& c, const std::string& name) {
    const json link = linkIn(c, name);
    ProviderState s{.id = c.value("serviceKey", ""),
                    .state = link.value("state", "NotProvisioned"),
                    .phase = ProviderPhase::Provisioning,
                    .next_step = {},
                    .vlan = {}};
    if (link.contains("stag") && link["stag"].is_number_unsigned())
      s.vlan = static_cast<std::uint16_t>(link["stag"].get<unsigned>());
    if (s.state == "Provisioned") s.phase = ProviderPhase::Ready;
    if (s.state == "NotProvisioned" || s.state == "Deprovisioning") s.phase = ProviderPhase::Gone;
    return s;
  }

  Http http_;
};

// Google Cloud Partner Interconnect: the customer's attachment gave a pairing key; we activate
// it on our interconnect with the bandwidth ordered, then the customer activates it.
class GooglePartnerInterconnect : public CloudProvider {
 public:
  explicit GooglePartnerInterconnect(Http http) : http_(std::move(http)) {}

  Result<ProviderState> create(const CloudHandshake& h) override {
    LP_ASSIGN_OR_RETURN(Reply got, call("GET", "/" + objectName(h), ""));
    if (got.status < 400) return stateOf(got.body, h);
    LP_ASSIGN_OR_RETURN(
        Reply made,
        call("POST", "",
             json{{"name", objectName(h)},
                  {"pairingKey", h.customer_key},
                  {"bandwidth", googleBandwidth(h.mbps)},
                  {"vlanTag8021q", h.vlan},
                  {"interconnect", h.interconnect},
                  {"partnerMetadata",
                   {{"partnerName", "Lightpath"}, {"interconnectName", h.interconnect}}}}
                 .dump()));
    if (made.status >= 400) return fail(failedPrecondition("google: " + messageOf(made.body)));
    return stateOf(made.body, h);
  }

  Result<ProviderState> read(const CloudHandshake& h, const std::string& id) override {
    LP_ASSIGN_OR_RETURN(Reply got, call("GET", "/" + id, ""));
    if (got.status == 404) return goneState(id, "DELETED");
    if (got.status >= 400) return fail(failedPrecondition("google: " + messageOf(got.body)));
    return stateOf(got.body, h);
  }

  Status remove(const CloudHandshake&, const std::string& id) override {
    LP_ASSIGN_OR_RETURN(Reply r, call("DELETE", "/" + id, ""));
    if (r.status >= 400 && r.status != 404)
      return failedPrecondition("google: " + messageOf(r.body));
    return Status::ok();
  }

 private:
  Result<Reply> call(const std::string& method, const std::string& path, const std::string& body) {
    return http_.call(method, http_.base() + "/partner/attachments" + path,
                      {{"authorization", "Bearer " + http_.endpoint().secret}}, body);
  }

  static ProviderState stateOf(const json& a, const CloudHandshake& h) {
    ProviderState s{.id = a.value("name", ""),
                    .state = a.value("state", ""),
                    .phase = ProviderPhase::Provisioning,
                    .next_step = {},
                    .vlan = {}};
    if (a.contains("vlanTag8021q") && a["vlanTag8021q"].is_number_unsigned())
      s.vlan = static_cast<std::uint16_t>(a["vlanTag8021q"].get<unsigned>());
    if (s.state == "PENDING_CUSTOMER") {
      s.phase = ProviderPhase::AwaitingCustomer;
      s.next_step = fmt::format(
          "activate the attachment {} in Google Cloud (console, or: gcloud compute interconnects "
          "attachments partner update {} --region {} --admin-enabled)",
          a.value("customerAttachment", std::string("with your pairing key")),
          a.value("customerAttachment", std::string("ATTACHMENT")), h.region);
    } else if (s.state == "ACTIVE") {
      s.phase = ProviderPhase::Ready;
    } else if (s.state == "DEFUNCT" || s.state == "DELETED") {
      s.phase = ProviderPhase::Gone;
    }
    return s;
  }

  Http http_;
};

}  // namespace

std::string_view toString(ProviderPhase phase) {
  switch (phase) {
    case ProviderPhase::AwaitingCustomer:
      return "awaiting_customer";
    case ProviderPhase::Provisioning:
      return "provisioning";
    case ProviderPhase::Ready:
      return "ready";
    case ProviderPhase::Gone:
      return "gone";
  }
  return "unknown";
}

Result<std::unique_ptr<CloudProvider>> makeCloudProvider(const CloudEndpoint& endpoint) {
  LP_ASSIGN_OR_RETURN(Http http, Http::make(endpoint));
  if (endpoint.provider == "aws") {
    if (endpoint.access_key_id.empty() || endpoint.secret.empty())
      return fail(invalidArgument("aws: an access key id and a secret access key are needed"));
    return std::unique_ptr<CloudProvider>(new AwsDirectConnect(std::move(http)));
  }
  if (endpoint.provider == "azure")
    return std::unique_ptr<CloudProvider>(new AzureExpressRoute(std::move(http)));
  if (endpoint.provider == "google")
    return std::unique_ptr<CloudProvider>(new GooglePartnerInterconnect(std::move(http)));
  return fail(invalidArgument(
      fmt::format("cloud provider: aws, azure or google, got '{}'", endpoint.provider)));
}

std::string awsBandwidth(std::uint64_t mbps) {
  return mbps % 1000 == 0 ? fmt::format("{}Gbps", mbps / 1000) : fmt::format("{}Mbps", mbps);
}

std::optional<std::uint64_t> parseAwsBandwidth(const std::string& text) {
  for (std::uint64_t mbps : hostedBandwidths("aws")) {
    if (awsBandwidth(mbps) == text) return mbps;
  }
  return std::nullopt;
}

std::string googleBandwidth(std::uint64_t mbps) {
  return mbps % 1000 == 0 ? fmt::format("BPS_{}G", mbps / 1000) : fmt::format("BPS_{}M", mbps);
}

std::optional<std::uint64_t> parseGoogleBandwidth(const std::string& text) {
  for (std::uint64_t mbps : hostedBandwidths("google")) {
    if (googleBandwidth(mbps) == text) return mbps;
  }
  return std::nullopt;
}

}  // namespace lightpath
