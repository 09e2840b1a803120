// Simulated AWS Direct Connect: the JSON 1.1 protocol the AWS CLI and SDKs speak (POST, target
// OvertureService.<Action>, errors as {"__type", "message"}), SigV4 checked, hosted connections
// with their real states.
#include <fmt/format.h>

#include "lightpath/base/crypto.h"
#include "lightpath/cloud/provider.h"
#include "lightpath/cloud/sigv4.h"
#include "lightpath/cloudsim/cloud_sim.h"
#include "lightpath/cloudsim/internal/replies.h"
#include "lightpath/service/connection_json.h"

namespace lightpath {
namespace {

using nlohmann::json;

constexpr const char* kJson11 = "application/x-amz-json-1.1";

HttpResponse awsError(int status, const std::string& type, const std::string& message) {
  HttpResponse r = cloudsim::reply(status, {{"__type", type}, {"message", message}}, kJson11);
  r.headers.emplace_back("x-amzn-ErrorType", type);
  return r;
}

HttpResponse clientError(const std::string& message) {
  return awsError(400, "DirectConnectClientException", message);
}

bool isAccount(const std::string& s) {
  return s.size() == 12 && s.find_first_not_of("0123456789") == std::string::npos;
}

// The connection as DescribeConnections shows it (our bookkeeping fields left out).
json shown(const json& c) {
  json out = c;
  out.erase("since");
  out.erase("interconnect");
  return out;
}

}  // namespace

HttpResponse CloudSim::aws(const HttpRequest& request) {
  if (request.method != "POST") return awsError(405, "UnknownOperationException", "POST only");
  const std::string* target = request.header("x-amz-target");
  const std::string prefix = "OvertureService.";
  if (!target || target->rfind(prefix, 0) != 0)
    return awsError(400, "UnknownOperationException", "X-Amz-Target: OvertureService.<Action>");
  const std::string action = target->substr(prefix.size());
  // Authentication: the signature's shape always; its value when we know the account's secret.
  const std::string* authorization = request.header("authorization");
  if (!authorization)
    return awsError(403, "MissingAuthenticationTokenException", "no Authorization");
  auto auth = parseSigV4Authorization(*authorization);
  if (!auth) return awsError(403, "IncompleteSignatureException", auth.error().message());
  const std::string* amz_date = request.header("x-amz-date");
  if (!amz_date || amz_date->size() != 16 || amz_date->substr(0, 8) != auth->date)
    return awsError(403, "IncompleteSignatureException",
                    "X-Amz-Date must match the credential date");
  if (auth->service != "directconnect")
    return awsError(403, "InvalidSignatureException",
                    fmt::format("credential scope names '{}', not directconnect", auth->service));
  const std::string account = auth->access_key_id;
  if (!isAccount(account)) {
    return awsError(403, "UnrecognizedClientException",
                    "the simulator takes your 12-digit AWS account id as the access key id");
  }
  if (auto secret = options_.aws_secrets.find(account); secret != options_.aws_secrets.end()) {
    SigV4Request signed_request{request.method, request.path, request.query, request.headers,
                                request.body};
    if (!constantTimeEquals(sigV4Signature(signed_request, *auth, secret->second, *amz_date),
                            auth->signature)) {
      return awsError(
          403, "InvalidSignatureException",
          "The request signature we calculated does not match the signature you provided");
    }
  }
  const json input =
      request.body.empty() ? json::object() : json::parse(request.body, nullptr, false);
  if (!input.is_object())
    return awsError(400, "SerializationException", "the body is not a JSON object");
  const bool partner = account == options_.aws_partner_account;
  json& connections = state_["aws"];
  auto text = [&](const char* key) {
    return input.contains(key) && input[key].is_string() ? input[key].get<std::string>()
                                                         : std::string();
  };

  if (action == "AllocateHostedConnection") {
    if (!partner)
      return clientError("only an AWS Direct Connect Partner may allocate hosted connections");
    const std::string interconnect = text("connectionId"), owner = text("ownerAccount");
    const std::string name = text("connectionName");
    if (interconnect.empty()) return clientError("connectionId: the interconnect is required");
    if (!isAccount(owner))
      return clientError("ownerAccount: a 12-digit AWS account id is required");
    if (owner == account)
      return clientError("ownerAccount: the partner cannot own its hosted connection");
    const auto mbps = parseAwsBandwidth(text("bandwidth"));
    if (!mbps)
      return clientError(
          fmt::format("bandwidth: '{}' is not a hosted connection speed", text("bandwidth")));
    if (!input.contains("vlan") || !input["vlan"].is_number_unsigned() ||
        input["vlan"].get<unsigned>() < 1 || input["vlan"].get<unsigned>() > 4094)
      return clientError("vlan: 1 to 4094");
    const unsigned vlan = input["vlan"].get<unsigned>();
    for (const auto& [id, c] : connections.items()) {
      const std::string state = c.value("connectionState", "");
      if (c.value("interconnect", "") == interconnect && c.value("vlan", 0u) == vlan &&
          state != "deleted" && state != "rejected")
        return clientError(fmt::format("vlan {} is in use on {} by {}", vlan, interconnect, id));
    }
    const std::string id = "dxcon-" + randomHex(4);
    connections[id] = {{"connectionId", id},
                       {"connectionName", name},
                       {"connectionState", "ordering"},
                       {"ownerAccount", owner},
                       {"region", auth->region},
                       {"location", interconnect},
                       {"bandwidth", awsBandwidth(*mbps)},
                       {"vlan", vlan},
                       {"partnerName", "Lightpath"},
                       {"interconnect", interconnect}};
    if (Status s = save(); !s.isOk())
      return awsError(500, "DirectConnectServerException", s.message());
    return cloudsim::reply(200, shown(connections[id]), kJson11);
  }
  if (action == "DescribeHostedConnections") {
    if (!partner)
      return clientError("only the interconnect's owner may describe its hosted connections");
    json list = json::array();
    for (const auto& [id, c] : connections.items()) {
      if (c.value("interconnect", "") == text("connectionId")) list.push_back(shown(c));
    }
    return cloudsim::reply(200, {{"connections", list}}, kJson11);
  }
  if (action == "DescribeConnections") {
    json list = json::array();
    for (const auto& [id, c] : connections.items()) {
      if (c.value("ownerAccount", "") != account) continue;
      if (!text("connectionId").empty() && id != text("connectionId")) continue;
      list.push_back(shown(c));
    }
    if (!text("connectionId").empty() && list.empty())
      return clientError(fmt::format("Connection ID {} not found", text("connectionId")));
    return cloudsim::reply(200, {{"connections", list}}, kJson11);
  }
  const std::string id = text("connectionId");
  if (!connections.contains(id) ||
      (connections[id].value("ownerAccount", "") != account && !partner)) {
    // Another account's connection is not found, as if it did not exist.
    return clientError(fmt::format("Connection ID {} not found", id.substr(0, 40)));
  }
  json& c = connections[id];
  if (action == "ConfirmConnection") {
    if (partner) return clientError("the connection's owner confirms it, not the partner");
    if (c["connectionState"] != "ordering")
      return clientError(fmt::format("Connection {} is {}, not ordering", id,
                                     c["connectionState"].get<std::string>()));
    c["connectionState"] = "pending";
    c["since"] = formatTime(now());
    if (Status s = save(); !s.isOk())
      return awsError(500, "DirectConnectServerException", s.message());
    return cloudsim::reply(200, {{"connectionState", "pending"}}, kJson11);
  }
  if (action == "DeleteConnection") {
    c["connectionState"] = "deleted";
    if (Status s = save(); !s.isOk())
      return awsError(500, "DirectConnectServerException", s.message());
    return cloudsim::reply(200, shown(c), kJson11);
  }
  return awsError(400, "UnknownOperationException",
                  fmt::format("{} is not simulated", action.substr(0, 60)));
}

}  // namespace lightpath
