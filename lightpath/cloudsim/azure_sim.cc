// Simulated Azure ExpressRoute: the customer's circuits under the Resource Manager path, and the
// connectivity provider's side of them by service key.
#include <fmt/format.h>

#include "lightpath/cloud/provider.h"
#include "lightpath/cloudsim/cloud_sim.h"
#include "lightpath/cloudsim/internal/replies.h"
#include "lightpath/service/connection_json.h"

namespace lightpath {
namespace {

using cloudsim::errorReply;
using cloudsim::reply;
using nlohmann::json;

// The circuit as its customer sees it (Resource Manager's shape).
json customerView(const json& c) {
  return {{"id", c["resource"]},
          {"name", c["name"]},
          {"location", c["location"]},
          {"type", "Microsoft.Network/expressRouteCircuits"},
          {"properties",
           {{"serviceKey", c["serviceKey"]},
            {"circuitProvisioningState", "Enabled"},
            {"serviceProviderProvisioningState", c["serviceProviderProvisioningState"]},
            {"serviceProviderProperties",
             {{"serviceProviderName", c["serviceProviderName"]},
              {"peeringLocation", c["peeringLocation"]},
              {"bandwidthInMbps", c["bandwidthInMbps"]}}}}}};
}

json providerView(const json& c) {
  json out = c;
  out.erase("resource");
  for (auto& [name, link] : out["links"].items()) link.erase("since");
  return out;
}

// The circuit's state from its links': provisioned once one is, provisioning while one is.
void summarize(json& c) {
  std::string state = "NotProvisioned";
  for (const auto& [name, link] : c["links"].items()) {
    const std::string s = link.value("state", "NotProvisioned");
    if (s == "Provisioned") state = s;
    if (s == "Provisioning" && state == "NotProvisioned") state = s;
  }
  c["serviceProviderProvisioningState"] = state;
}

}  // namespace

HttpResponse CloudSim::azure(const HttpRequest& request, const std::vector<std::string>& path) {
  const std::string* authorization = request.header("authorization");
  if (!authorization || authorization->rfind("Bearer ", 0) != 0 || authorization->size() <= 7)
    return errorReply(401, "AuthenticationFailed", "Authorization: Bearer TOKEN is required");
  json& circuits = state_["azure"];
  // The provider's side: /provider/circuits/{serviceKey}[/provision|/deprovision].
  if (!path.empty() && path[0] == "provider") {
    if (!options_.partner_token.empty() && *authorization != "Bearer " + options_.partner_token)
      return errorReply(403, "AuthorizationFailed", "not the connectivity provider");
    if (path.size() < 3 || path[1] != "circuits")
      return errorReply(404, "NotFound", "/provider/circuits/{serviceKey}");
    const std::string& key = path[2];
    if (!circuits.contains(key))
      return errorReply(404, "NotFound",
                        fmt::format("no circuit has the service key {}", key.substr(0, 40)));
    json& c = circuits[key];
    if (path.size() == 3 && request.method == "GET") return reply(200, providerView(c));
    const json input =
        request.body.empty() ? json::object() : json::parse(request.body, nullptr, false);
    const std::string link = input.is_object() ? cloudsim::text(input, "link", "primary") : "";
    if (path.size() == 4 && link != "primary" && link != "secondary")
      return errorReply(400, "InvalidRequest", "link: primary or secondary");
    if (path.size() == 4 && request.method == "POST" && path[3] == "provision") {
      if (!input.contains("stag") || !input["stag"].is_number_unsigned() ||
          input["stag"].get<unsigned>() < 1 || input["stag"].get<unsigned>() > 4094)
        return errorReply(400, "InvalidRequest", "stag: 1 to 4094");
      if (!c["links"].contains(link)) c["links"][link] = {{"state", "NotProvisioned"}};
      json& l = c["links"][link];
      if (l.value("state", "NotProvisioned") != "NotProvisioned")
        return errorReply(409, "Conflict",
                          fmt::format("the {} link is {}", link, l["state"].get<std::string>()));
      l = {{"state", "Provisioning"},
           {"stag", input["stag"]},
           {"connection", cloudsim::text(input, "connection")},
           {"port", cloudsim::text(input, "port")},
           {"since", formatTime(now())}};
      summarize(c);
      if (Status s = save(); !s.isOk()) return errorReply(500, "InternalError", s.message());
      return reply(200, providerView(c));
    }
    if (path.size() == 4 && request.method == "POST" && path[3] == "deprovision") {
      c["links"].erase(link);
      summarize(c);
      if (Status s = save(); !s.isOk()) return errorReply(500, "InternalError", s.message());
      return reply(200, providerView(c));
    }
    return errorReply(405, "MethodNotAllowed", "GET, POST provision, POST deprovision");
  }
  // The customer's side: /subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.Network/
  // expressRouteCircuits/{name}.
  if (path.size() != 8 || path[0] != "subscriptions" || path[2] != "resourceGroups" ||
      path[4] != "providers" || path[5] != "Microsoft.Network" || path[6] != "expressRouteCircuits")
    return errorReply(404, "NotFound",
                      "/subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.Network/"
                      "expressRouteCircuits/{name}");
  std::string resource;
  for (const std::string& p : path) resource += "/" + p;
  auto found = std::find_if(circuits.begin(), circuits.end(),
                            [&](const json& c) { return c.value("resource", "") == resource; });
  if (request.method == "GET") {
    if (found == circuits.end()) return errorReply(404, "ResourceNotFound", "no such circuit");
    return reply(200, customerView(*found));
  }
  if (request.method == "DELETE") {
    if (found == circuits.end()) return reply(204, json::object());
    circuits.erase(found.key());
    if (Status s = save(); !s.isOk()) return errorReply(500, "InternalError", s.message());
    return reply(200, json::object());
  }
  if (request.method != "PUT") return errorReply(405, "MethodNotAllowed", "GET, PUT, DELETE");
  if (found != circuits.end()) return reply(200, customerView(*found));
  const json input = json::parse(request.body, nullptr, false);
  const json* props = input.is_object() && input.contains("properties") &&
                              input["properties"].is_object() &&
                              input["properties"].contains("serviceProviderProperties")
                          ? &input["properties"]["serviceProviderProperties"]
                          : nullptr;
  if (!props || !props->is_object() || !(*props).contains("peeringLocation") ||
      !(*props)["peeringLocation"].is_string() || !(*props).contains("bandwidthInMbps") ||
      !(*props)["bandwidthInMbps"].is_number_unsigned())
    return errorReply(
        400, "InvalidRequestFormat",
        "properties.serviceProviderProperties: {serviceProviderName, peeringLocation, "
        "bandwidthInMbps}");
  const auto mbps = (*props)["bandwidthInMbps"].get<std::uint64_t>();
  const auto& tiers = hostedBandwidths("azure");
  if (std::find(tiers.begin(), tiers.end(), mbps) == tiers.end())
    return errorReply(400, "InvalidBandwidth",
                      fmt::format("{} Mbps is not an ExpressRoute bandwidth", mbps));
  const std::string key = cloudsim::uuid();
  circuits[key] = {{"serviceKey", key},
                   {"resource", resource},
                   {"name", path[7]},
                   {"location", cloudsim::text(input, "location")},
                   {"serviceProviderName", (*props).value("serviceProviderName", "Lightpath")},
                   {"peeringLocation", (*props)["peeringLocation"]},
                   {"bandwidthInMbps", mbps},
                   {"serviceProviderProvisioningState", "NotProvisioned"},
                   {"links", json::object()}};
  if (Status s = save(); !s.isOk()) return errorReply(500, "InternalError", s.message());
  return reply(201, customerView(circuits[key]));
}

}  // namespace lightpath
