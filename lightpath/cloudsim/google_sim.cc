// Simulated Google Cloud Partner Interconnect: the customer's PARTNER attachments under the
// Compute API's path (each with its pairing key), and the partner's side that activates them.
#include <fmt/format.h>

#include "lightpath/cloud/provider.h"
#include "lightpath/cloudsim/cloud_sim.h"
#include "lightpath/cloudsim/internal/replies.h"

namespace lightpath {
namespace {

using cloudsim::errorReply;
using cloudsim::reply;
using nlohmann::json;

json partnerView(const json& p, const json* customer) {
  json out = p;
  out["state"] = customer ? customer->value("state", "DEFUNCT") : "DEFUNCT";
  if (customer) out["customerAttachment"] = customer->value("name", "");
  return out;
}

}  // namespace

HttpResponse CloudSim::google(const HttpRequest& request, const std::vector<std::string>& path) {
  const std::string* authorization = request.header("authorization");
  if (!authorization || authorization->rfind("Bearer ", 0) != 0 || authorization->size() <= 7)
    return errorReply(401, "UNAUTHENTICATED", "Authorization: Bearer TOKEN is required");
  json& attachments = state_["google"];
  json& partners = state_["google_partner"];
  auto customerOf = [&](const json& p) -> json* {
    const std::string key = p.value("attachment", "");
    return attachments.contains(key) ? &attachments[key] : nullptr;
  };
  if (!path.empty() && path[0] == "partner") {
    if (!options_.partner_token.empty() && *authorization != "Bearer " + options_.partner_token)
      return errorReply(403, "PERMISSION_DENIED", "not the partner");
    if (path.size() < 2 || path[1] != "attachments")
      return errorReply(404, "NOT_FOUND", "/partner/attachments[/{name}]");
    if (path.size() == 3) {
      if (!partners.contains(path[2]))
        return errorReply(404, "NOT_FOUND", "no such partner attachment");
      json& p = partners[path[2]];
      if (request.method == "GET") return reply(200, partnerView(p, customerOf(p)));
      if (request.method != "DELETE") return errorReply(405, "METHOD_NOT_ALLOWED", "GET, DELETE");
      if (json* c = customerOf(p)) (*c)["state"] = "DEFUNCT";
      partners.erase(path[2]);
      if (Status s = save(); !s.isOk()) return errorReply(500, "INTERNAL", s.message());
      return reply(200, json::object());
    }
    if (path.size() != 2 || request.method != "POST")
      return errorReply(405, "METHOD_NOT_ALLOWED", "POST /partner/attachments");
    const json input = json::parse(request.body, nullptr, false);
    if (!input.is_object())
      return errorReply(400, "INVALID_ARGUMENT", "the body is not a JSON object");
    const std::string name = cloudsim::text(input, "name"),
                      key = cloudsim::text(input, "pairingKey");
    if (name.empty()) return errorReply(400, "INVALID_ARGUMENT", "name is required");
    if (partners.contains(name))
      return errorReply(409, "ALREADY_EXISTS", fmt::format("{} exists", name));
    if (!parseGoogleBandwidth(cloudsim::text(input, "bandwidth")))
      return errorReply(400, "INVALID_ARGUMENT", "bandwidth: BPS_50M to BPS_10G");
    auto customer = std::find_if(attachments.begin(), attachments.end(),
                                 [&](const json& a) { return a.value("pairingKey", "") == key; });
    if (key.empty() || customer == attachments.end())
      return errorReply(404, "NOT_FOUND",
                        fmt::format("no attachment has the pairing key '{}'", key.substr(0, 80)));
    if (customer->value("state", "") != "PENDING_PARTNER")
      return errorReply(
          409, "FAILED_PRECONDITION",
          fmt::format("the attachment is {}, not PENDING_PARTNER", customer->value("state", "")));
    (*customer)["state"] = "PENDING_CUSTOMER";
    (*customer)["bandwidth"] = cloudsim::text(input, "bandwidth");
    (*customer)["vlanTag8021q"] = cloudsim::number(input, "vlanTag8021q");
    (*customer)["partnerMetadata"] =
        (input.contains("partnerMetadata") && input["partnerMetadata"].is_object()
             ? input["partnerMetadata"]
             : json::object());
    partners[name] = {{"name", name},
                      {"pairingKey", key},
                      {"attachment", customer.key()},
                      {"bandwidth", cloudsim::text(input, "bandwidth")},
                      {"vlanTag8021q", cloudsim::number(input, "vlanTag8021q")},
                      {"interconnect", cloudsim::text(input, "interconnect")}};
    if (Status s = save(); !s.isOk()) return errorReply(500, "INTERNAL", s.message());
    return reply(200, partnerView(partners[name], &*customer));
  }
  // The customer's: /compute/v1/projects/{p}/regions/{r}/interconnectAttachments[/{name}].
  if (path.size() < 7 || path.size() > 8 || path[0] != "compute" || path[1] != "v1" ||
      path[2] != "projects" || path[4] != "regions" || path[6] != "interconnectAttachments")
    return errorReply(
        404, "NOT_FOUND",
        "/compute/v1/projects/{project}/regions/{region}/interconnectAttachments[/{name}]");
  const std::string& region = path[5];
  if (path.size() == 7) {
    if (request.method != "POST") return errorReply(405, "METHOD_NOT_ALLOWED", "POST to create");
    const json input = json::parse(request.body, nullptr, false);
    if (!input.is_object() || cloudsim::text(input, "name").empty())
      return errorReply(400, "INVALID_ARGUMENT", "name is required");
    if (cloudsim::text(input, "type") != "PARTNER")
      return errorReply(400, "INVALID_ARGUMENT", "type: only PARTNER attachments are simulated");
    const std::string domain =
        cloudsim::text(input, "edgeAvailabilityDomain", "AVAILABILITY_DOMAIN_1");
    if (domain != "AVAILABILITY_DOMAIN_1" && domain != "AVAILABILITY_DOMAIN_2")
      return errorReply(400, "INVALID_ARGUMENT",
                        "edgeAvailabilityDomain: AVAILABILITY_DOMAIN_1 or _2");
    const std::string id = path[3] + "/" + region + "/" + cloudsim::text(input, "name");
    if (attachments.contains(id)) return errorReply(409, "ALREADY_EXISTS", "the attachment exists");
    attachments[id] = {
        {"name", input["name"]},
        {"type", "PARTNER"},
        {"region", region},
        {"edgeAvailabilityDomain", domain},
        {"pairingKey", cloudsim::uuid() + "/" + region + "/" + domain.substr(domain.size() - 1)},
        {"state", "PENDING_PARTNER"},
        {"adminEnabled", false}};
    if (Status s = save(); !s.isOk()) return errorReply(500, "INTERNAL", s.message());
    return reply(200, attachments[id]);
  }
  const std::string id = path[3] + "/" + region + "/" + path[7];
  if (!attachments.contains(id)) return errorReply(404, "NOT_FOUND", "no such attachment");
  json& a = attachments[id];
  if (request.method == "GET") return reply(200, a);
  if (request.method == "DELETE") {
    attachments.erase(id);
    if (Status s = save(); !s.isOk()) return errorReply(500, "INTERNAL", s.message());
    return reply(200, json::object());
  }
  if (request.method != "PATCH") return errorReply(405, "METHOD_NOT_ALLOWED", "GET, PATCH, DELETE");
  const json input = json::parse(request.body, nullptr, false);
  if (!input.is_object() || !input.contains("adminEnabled") || !input["adminEnabled"].is_boolean())
    return errorReply(400, "INVALID_ARGUMENT", "adminEnabled: true or false");
  a["adminEnabled"] = input["adminEnabled"];
  if (input["adminEnabled"].get<bool>() && a["state"] == "PENDING_CUSTOMER") a["state"] = "ACTIVE";
  if (Status s = save(); !s.isOk()) return errorReply(500, "INTERNAL", s.message());
  return reply(200, a);
}

}  // namespace lightpath
