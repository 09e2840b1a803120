// Cloud connections end to end through the API and the simulated providers serve embeds under
// /cloudsim: the order, the provider's side, the customer's part there (AWS through the stock
// AWS CLI), active, deleted; and what goes wrong: a wrong account or key, a hand-shake left to
// expire, a deletion by the customer at the provider, a restart in the middle.
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "test/integration/api/api_fixture.h"

namespace lightpath::testing {
namespace {

class CloudTest : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    config_.stack.cloud_poll = std::chrono::seconds(1);
  }

  std::string order(const std::string& key, const std::string& onramp_port, const json& cloud,
                    int mbps = 1000) {
    Reply r = call("POST", "/v1/connections", key,
                   json{{"kind", "cloud"},
                        {"a_end", "dc-ashburn-p1"},
                        {"z_end", onramp_port},
                        {"bandwidth_mbps", mbps},
                        {"cloud", cloud}}
                       .dump());
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.value("id", "");
  }

  json connection(const std::string& key, const std::string& id) {
    return call("GET", "/v1/connections/{id}", key, "", "/v1/connections/" + id).body;
  }

  // Polls (up to 20 s: the provider is read every second) until `state`.
  json waitUntil(const std::string& key, const std::string& id, const std::string& state) {
    json c;
    for (int i = 0; i < 400; ++i) {
      c = connection(key, id);
      if (c.value("state", "") == state) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_EQ(c.value("state", ""), state) << c.dump();
    return c;
  }

  std::string lastReason(const json& c) {
    return c["history"].empty() ? "" : c["history"].back().value("reason", "");
  }

  // A customer's call to a simulated provider, over HTTP like any client's.
  Reply customer(const std::string& method, const std::string& path, const json& body = {}) {
    httplib::Headers headers{{"Authorization", "Bearer customer-token"}};
    const std::string text = body.is_null() ? "" : body.dump();
    httplib::Result r = method == "GET"    ? client_->Get(path, headers)
                        : method == "POST" ? client_->Post(path, headers, text, "application/json")
                        : method == "PATCH"
                            ? client_->Patch(path, headers, text, "application/json")
                        : method == "PUT" ? client_->Put(path, headers, text, "application/json")
                                          : client_->Delete(path, headers);
    Reply reply;
    if (!r) {
      ADD_FAILURE() << method << " " << path << ": no reply";
      return reply;
    }
    reply.status = r->status;
    reply.raw = r->body;
    reply.body = json::parse(r->body, nullptr, false);
    return reply;
  }

  // The stock AWS CLI as the customer with this account (its secret never checked, its
  // signature's shape always). Nothing: the CLI is not installed.
  std::optional<json> aws(const std::string& account, const std::string& args,
                          int* exit_code = nullptr) {
    if (std::system("command -v aws >/dev/null 2>&1") != 0) return std::nullopt;
    const std::string command =
        "AWS_ACCESS_KEY_ID=" + account +
        " AWS_SECRET_ACCESS_KEY=anything AWS_CONFIG_FILE=/dev/null "
        "AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true AWS_PAGER= "
        "aws directconnect " +
        args +
        " --region us-east-1 --output json --endpoint-url "
        "http://127.0.0.1:" +
        std::to_string(server_->port()) + "/cloudsim/aws 2>&1";
    FILE* pipe = ::popen(command.c_str(), "r");
    std::string out;
    char buffer[4096];
    while (pipe && std::fgets(buffer, sizeof buffer, pipe)) out += buffer;
    const int status = pipe ? ::pclose(pipe) : -1;
    if (exit_code) *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    json parsed = json::parse(out, nullptr, false);
    return parsed.is_discarded() ? json{{"output", out}} : parsed;
  }
};

TEST_F(CloudTest, AwsHostedConnectionAcceptedThroughTheAwsCli) {
  config_.stack.cloudsim_bring_up = std::chrono::seconds(3);
  start();
  if (!aws("123456789012", "describe-connections")) GTEST_SKIP() << "the AWS CLI is not installed";
  const std::string acme = addTenant("acme", {"dc-ashburn-p1"});
  const std::string id =
      order(acme, "aws-ashburn-p1", {{"provider", "aws"}, {"owner_account", "123456789012"}});
  json c = waitUntil(acme, id, "awaiting_counterparty");
  const json side = c["current"]["provider"];
  const std::string dxcon = side.value("id", "");
  EXPECT_EQ(dxcon.rfind("dxcon-", 0), 0u) << side.dump();
  EXPECT_EQ(side.value("state", ""), "ordering");
  EXPECT_NE(side.value("next_step", "").find("confirm-connection --connection-id " + dxcon),
            std::string::npos);
  EXPECT_TRUE(side.contains("expires"));

  // The customer sees it in their account, named for the Lightpath connection.
  json seen = *aws("123456789012", "describe-connections");
  ASSERT_EQ(seen["connections"].size(), 1u) << seen.dump();
  EXPECT_EQ(seen["connections"][0]["connectionId"], dxcon);
  EXPECT_EQ(seen["connections"][0]["connectionState"], "ordering");
  EXPECT_EQ(seen["connections"][0]["connectionName"], "lightpath-" + id);
  EXPECT_EQ(seen["connections"][0]["bandwidth"], "1Gbps");
  EXPECT_EQ(seen["connections"][0]["vlan"], c["current"]["vlan"]);
  // Another account does not see it and cannot accept it.
  int exit_code = 0;
  EXPECT_TRUE((*aws("210987654321", "describe-connections"))["connections"].empty());
  json refused = *aws("210987654321", "confirm-connection --connection-id " + dxcon, &exit_code);
  EXPECT_NE(exit_code, 0);
  EXPECT_NE(refused.dump().find("not found"), std::string::npos) << refused.dump();
  EXPECT_EQ(connection(acme, id)["state"], "awaiting_counterparty");

  // The owner accepts: pending, then available once the provider brought it up: active here.
  json confirmed = *aws("123456789012", "confirm-connection --connection-id " + dxcon, &exit_code);
  EXPECT_EQ(exit_code, 0) << confirmed.dump();
  EXPECT_EQ(confirmed["connectionState"], "pending");
  // Bringing it up takes the provider a while (3 s here): the customer is told it is pending.
  bool told = false;
  for (int i = 0; i < 100 && !told; ++i) {
    Reply events = call("GET", "/v1/events", acme, "", "/v1/events?limit=100");
    for (const json& e : events.body["items"]) {
      told |= e.value("type", "") == "connection.providerStateChanged" &&
              e["data"].value("reason", "").find(dxcon + " is pending") != std::string::npos;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(told);
  c = waitUntil(acme, id, "active");
  EXPECT_EQ(c["current"]["provider"]["state"], "available");
  EXPECT_FALSE(c["current"]["provider"].contains("next_step"));
  EXPECT_EQ(c["oper_state"], "up");

  // Terminated here: deleted there.
  EXPECT_EQ(call("DELETE", "/v1/connections/{id}", acme, "", "/v1/connections/" + id).status, 202);
  waitUntil(acme, id, "terminated");
  seen = *aws("123456789012", "describe-connections");
  EXPECT_EQ(seen["connections"][0]["connectionState"], "deleted");
}

TEST_F(CloudTest, AwsHandshakeNotAcceptedInTimeExpires) {
  config_.stack.cloud_accept_within = std::chrono::seconds(2);
  start();
  const std::string acme = addTenant("acme", {"dc-ashburn-p1"});
  // Never accepted: expired, removed at AWS, capacity released.
  const std::string lapsed =
      order(acme, "aws-ashburn-p1", {{"provider", "aws"}, {"owner_account", "123456789012"}});
  json c = waitUntil(acme, lapsed, "terminated");
  EXPECT_NE(lastReason(c).find("configuration removed"), std::string::npos);
  bool expired = false;
  for (const json& h : c["history"])
    expired |= h.value("reason", "").find("expired") != std::string::npos;
  EXPECT_TRUE(expired) << c["history"].dump();
  if (auto seen = aws("123456789012", "describe-connections")) {
    EXPECT_EQ((*seen)["connections"][0]["connectionState"], "deleted");
  }
}

TEST_F(CloudTest, AwsAcceptedInTimeOutlivesTheWindowAndADeletionThereEndsIt) {
  // Accepted within the window, brought up after it: the window ends the customer's part only.
  config_.stack.cloud_accept_within = std::chrono::seconds(5);
  config_.stack.cloudsim_bring_up = std::chrono::seconds(8);
  start();
  if (!aws("123456789012", "describe-connections")) GTEST_SKIP() << "the AWS CLI is not installed";
  const std::string acme = addTenant("acme", {"dc-ashburn-p1"});
  const std::string kept =
      order(acme, "aws-ashburn-p2", {{"provider", "aws"}, {"owner_account", "123456789012"}});
  json c = waitUntil(acme, kept, "awaiting_counterparty");
  const std::string dxcon = c["current"]["provider"]["id"];
  int exit_code = 1;
  aws("123456789012", "confirm-connection --connection-id " + dxcon, &exit_code);
  ASSERT_EQ(exit_code, 0);
  c = waitUntil(acme, kept, "active");
  for (const json& h : c["history"])
    EXPECT_EQ(h.value("reason", "").find("expired"), std::string::npos) << c["history"].dump();
  // Deleted by the customer at AWS: torn down here too.
  aws("123456789012", "delete-connection --connection-id " + dxcon, &exit_code);
  EXPECT_EQ(exit_code, 0);
  c = waitUntil(acme, kept, "terminated");
  bool deleted = false;
  for (const json& h : c["history"])
    deleted |= h.value("reason", "").find("deleted at AWS") != std::string::npos;
  EXPECT_TRUE(deleted) << c["history"].dump();
}

TEST_F(CloudTest, AzureCircuitProvisionedAgainstTheServiceKey) {
  start();
  const std::string acme = addTenant("acme", {"dc-ashburn-p1"});
  const std::string circuit =
      "/cloudsim/azure/subscriptions/sub1/resourceGroups/rg/providers/Microsoft.Network/"
      "expressRouteCircuits/acme-er";
  Reply made = customer("PUT", circuit,
                        {{"location", "eastus"},
                         {"properties",
                          {{"serviceProviderProperties",
                            {{"serviceProviderName", "Lightpath"},
                             {"peeringLocation", "Washington DC"},
                             {"bandwidthInMbps", 1000}}}}}});
  ASSERT_EQ(made.status, 201) << made.raw;
  const std::string key = made.body["properties"]["serviceKey"];
  EXPECT_EQ(made.body["properties"]["serviceProviderProvisioningState"], "NotProvisioned");

  // A key no circuit has: the provider refuses, nothing is kept.
  const std::string unknown =
      order(acme, "azure-ashburn-p1",
            {{"provider", "azure"}, {"service_key", "00000000-0000-4000-8000-000000000000"}});
  json c = waitUntil(acme, unknown, "failed");
  EXPECT_NE(lastReason(c).find("no ExpressRoute circuit"), std::string::npos) << lastReason(c);
  // A circuit of another bandwidth: refused too.
  const std::string other =
      order(acme, "azure-ashburn-p1", {{"provider", "azure"}, {"service_key", key}}, 500);
  EXPECT_NE(lastReason(waitUntil(acme, other, "failed")).find("1000 Mb/s"), std::string::npos);

  const std::string id =
      order(acme, "azure-ashburn-p1", {{"provider", "azure"}, {"service_key", key}});
  c = waitUntil(acme, id, "active");
  EXPECT_EQ(c["current"]["provider"]["state"], "Provisioned");
  json seen = customer("GET", circuit).body;
  EXPECT_EQ(seen["properties"]["serviceProviderProvisioningState"], "Provisioned");
  EXPECT_EQ(call("DELETE", "/v1/connections/{id}", acme, "", "/v1/connections/" + id).status, 202);
  waitUntil(acme, id, "terminated");
  EXPECT_EQ(customer("GET", circuit).body["properties"]["serviceProviderProvisioningState"],
            "NotProvisioned");
}

TEST_F(CloudTest, GoogleAttachmentActivatedByPartnerThenCustomer) {
  start();
  const std::string acme = addTenant("acme", {"dc-ashburn-p1"});
  const std::string attachments =
      "/cloudsim/google/compute/v1/projects/acme-ml/regions/us-east4/interconnectAttachments";
  Reply made = customer("POST", attachments,
                        {{"name", "to-lightpath"},
                         {"type", "PARTNER"},
                         {"edgeAvailabilityDomain", "AVAILABILITY_DOMAIN_1"}});
  ASSERT_EQ(made.status, 200) << made.raw;
  const std::string pairing = made.body["pairingKey"];
  EXPECT_EQ(made.body["state"], "PENDING_PARTNER");

  // The key's region must be the on-ramp's: refused before anything is held.
  Reply wrong_region = call("POST", "/v1/connections", acme,
                            json{{"kind", "cloud"},
                                 {"a_end", "dc-ashburn-p1"},
                                 {"z_end", "google-portland-p1"},
                                 {"bandwidth_mbps", 1000},
                                 {"cloud", {{"provider", "google"}, {"pairing_key", pairing}}}}
                                .dump());
  EXPECT_EQ(wrong_region.status, 400) << wrong_region.raw;
  EXPECT_NE(wrong_region.raw.find("cloud.pairing_key"), std::string::npos);

  const std::string id =
      order(acme, "google-ashburn-p1", {{"provider", "google"}, {"pairing_key", pairing}}, 500);
  json c = waitUntil(acme, id, "awaiting_counterparty");
  EXPECT_EQ(c["current"]["provider"]["state"], "PENDING_CUSTOMER");
  EXPECT_NE(c["current"]["provider"].value("next_step", "").find("--admin-enabled"),
            std::string::npos);
  json seen = customer("GET", attachments + "/to-lightpath").body;
  EXPECT_EQ(seen["state"], "PENDING_CUSTOMER");
  EXPECT_EQ(seen["bandwidth"], "BPS_500M");
  EXPECT_EQ(seen["vlanTag8021q"], c["current"]["vlan"]);

  EXPECT_EQ(customer("PATCH", attachments + "/to-lightpath", {{"adminEnabled", true}}).status, 200);
  c = waitUntil(acme, id, "active");
  EXPECT_EQ(c["current"]["provider"]["state"], "ACTIVE");
  EXPECT_EQ(call("DELETE", "/v1/connections/{id}", acme, "", "/v1/connections/" + id).status, 202);
  waitUntil(acme, id, "terminated");
  EXPECT_EQ(customer("GET", attachments + "/to-lightpath").body["state"], "DEFUNCT");
}

TEST_F(CloudTest, HandshakeResumesAcrossARestart) {
  start();
  const std::string acme = addTenant("acme", {"dc-ashburn-p1"});
  const std::string attachments =
      "/cloudsim/google/compute/v1/projects/p/regions/us-east4/interconnectAttachments";
  const std::string pairing =
      customer("POST", attachments, {{"name", "a1"}, {"type", "PARTNER"}}).body["pairingKey"];
  const std::string id =
      order(acme, "google-ashburn-p3", {{"provider", "google"}, {"pairing_key", pairing}});
  waitUntil(acme, id, "awaiting_counterparty");
  restart();
  // The provider's state and ours both survived: the customer's part completes it.
  EXPECT_EQ(customer("GET", attachments + "/a1").body["state"], "PENDING_CUSTOMER");
  EXPECT_EQ(customer("PATCH", attachments + "/a1", {{"adminEnabled", true}}).status, 200);
  waitUntil(acme, id, "active");
}

TEST_F(CloudTest, OrderFieldsAreCheckedPerProvider) {
  start();
  const std::string acme = addTenant("acme", {"dc-ashburn-p1"});
  auto refused = [&](const std::string& port, const json& cloud, int mbps,
                     const std::string& field) {
    Reply r = call("POST", "/v1/connections", acme,
                   json{{"kind", "cloud"},
                        {"a_end", "dc-ashburn-p1"},
                        {"z_end", port},
                        {"bandwidth_mbps", mbps},
                        {"cloud", cloud}}
                       .dump());
    EXPECT_EQ(r.status, 400) << r.raw;
    EXPECT_NE(r.raw.find(field), std::string::npos) << field << ": " << r.raw;
  };
  refused("aws-ashburn-p1", {{"provider", "aws"}, {"owner_account", "12345"}}, 1000,
          "cloud.owner_account");
  refused("aws-ashburn-p1", {{"provider", "aws"}, {"service_key", "x"}}, 1000, "cloud.service_key");
  refused("azure-ashburn-p1", {{"provider", "azure"}, {"service_key", "not-a-guid"}}, 1000,
          "cloud.service_key");
  refused("google-ashburn-p1", {{"provider", "google"}, {"pairing_key", "abc/us-east4/3"}}, 1000,
          "cloud.pairing_key");
  refused("aws-ashburn-p1", {{"provider", "aws"}, {"owner_account", "123456789012"}}, 150,
          "bandwidth_mbps");
  refused("aws-ashburn-p1", {{"provider", "aws"}, {"owner_account", "123456789012"}}, 20000,
          "bandwidth_mbps");
  refused("azure-ashburn-p1",
          {{"provider", "azure"}, {"service_key", "00000000-0000-4000-8000-000000000000"}}, 300,
          "bandwidth_mbps");
  // Nothing was held by any of them.
  EXPECT_TRUE(call("GET", "/v1/connections", acme).body["items"].empty());
}

}  // namespace
}  // namespace lightpath::testing

namespace lightpath::testing {
namespace {

// Fibers the two connections' routes share (none for a diverse pair).
std::vector<std::string> sharedFibers(const json& a, const json& b) {
  std::vector<std::string> shared;
  for (const auto& f : a["current"]["fibers"]) {
    for (const auto& g : b["current"]["fibers"]) {
      if (f == g) shared.push_back(f);
    }
  }
  return shared;
}

TEST_F(CloudTest, GoogleRedundantPairAcrossBothEdgeAvailabilityDomains) {
  start();
  const std::string acme = addTenant("acme", {"dc-ashburn-p1"});
  const std::string attachments =
      "/cloudsim/google/compute/v1/projects/acme-ml/regions/us-east4/interconnectAttachments";
  std::string keys[2];
  for (int d = 1; d <= 2; ++d) {
    keys[d - 1] = customer("POST", attachments,
                           {{"name", "leg" + std::to_string(d)},
                            {"type", "PARTNER"},
                            {"edgeAvailabilityDomain", "AVAILABILITY_DOMAIN_" + std::to_string(d)}})
                      .body["pairingKey"];
  }
  auto leg = [&](const std::string& port, const std::string& key) {
    return json{{"kind", "cloud"},
                {"a_end", "dc-ashburn-p1"},
                {"z_end", port},
                {"bandwidth_mbps", 1000},
                {"cloud", {{"provider", "google"}, {"pairing_key", key}}}};
  };
  // A key of domain 2 on a port of domain 1: refused before anything is held.
  Reply crossed = call("POST", "/v1/connection-pairs", acme,
                       json{{"primary", leg("google-ashburn-p1", keys[1])},
                            {"secondary", leg("google-ashburn-p2", keys[0])}}
                           .dump());
  EXPECT_EQ(crossed.status, 400) << crossed.raw;
  EXPECT_NE(crossed.raw.find("primary: cloud.pairing_key"), std::string::npos) << crossed.raw;
  // Both in one zone: no pair.
  Reply same = call("POST", "/v1/connection-pairs", acme,
                    json{{"primary", leg("google-ashburn-p1", keys[0])},
                         {"secondary", leg("google-ashburn-p3", keys[0])}}
                        .dump());
  EXPECT_EQ(same.status, 400) << same.raw;
  EXPECT_NE(same.raw.find("secondary.z_end"), std::string::npos) << same.raw;
  EXPECT_TRUE(call("GET", "/v1/connections", acme).body["items"].empty());

  Reply pair = call("POST", "/v1/connection-pairs", acme,
                    json{{"primary", leg("google-ashburn-p1", keys[0])},
                         {"secondary", leg("google-ashburn-p2", keys[1])}}
                        .dump());
  ASSERT_EQ(pair.status, 201) << pair.raw;
  ASSERT_EQ(pair.body["items"].size(), 2u);
  const std::string primary = pair.body["items"][0]["id"], secondary = pair.body["items"][1]["id"];
  EXPECT_EQ(pair.body["items"][1]["requested"]["diverse_from"], primary);
  json a = waitUntil(acme, primary, "awaiting_counterparty");
  json b = waitUntil(acme, secondary, "awaiting_counterparty");
  EXPECT_TRUE(sharedFibers(a, b).empty()) << a["current"]["fibers"] << b["current"]["fibers"];
  for (int d = 1; d <= 2; ++d) {
    EXPECT_EQ(customer("PATCH", attachments + "/leg" + std::to_string(d), {{"adminEnabled", true}})
                  .status,
              200);
  }
  waitUntil(acme, primary, "active");
  waitUntil(acme, secondary, "active");
}

TEST_F(CloudTest, AzurePairProvisionsBothLinksOfOneCircuit) {
  start();
  const std::string acme = addTenant("acme", {"dc-ashburn-p1"});
  const std::string circuit =
      "/cloudsim/azure/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/"
      "expressRouteCircuits/er";
  const std::string key = customer("PUT", circuit,
                                   {{"location", "eastus"},
                                    {"properties",
                                     {{"serviceProviderProperties",
                                       {{"serviceProviderName", "Lightpath"},
                                        {"peeringLocation", "Washington DC"},
                                        {"bandwidthInMbps", 2000}}}}}})
                              .body["properties"]["serviceKey"];
  auto leg = [&](const std::string& port) {
    return json{{"kind", "cloud"},
                {"a_end", "dc-ashburn-p1"},
                {"z_end", port},
                {"bandwidth_mbps", 2000},
                {"cloud", {{"provider", "azure"}, {"service_key", key}}}};
  };
  Reply pair = call(
      "POST", "/v1/connection-pairs", acme,
      json{{"primary", leg("azure-ashburn-p1")}, {"secondary", leg("azure-ashburn-p2")}}.dump());
  ASSERT_EQ(pair.status, 201) << pair.raw;
  json a = waitUntil(acme, pair.body["items"][0]["id"], "active");
  json b = waitUntil(acme, pair.body["items"][1]["id"], "active");
  EXPECT_TRUE(sharedFibers(a, b).empty());
  // Terminating the primary leaves the circuit's secondary link in place.
  EXPECT_EQ(call("DELETE", "/v1/connections/{id}", acme, "",
                 "/v1/connections/" + a["id"].get<std::string>())
                .status,
            202);
  waitUntil(acme, a["id"], "terminated");
  EXPECT_EQ(customer("GET", circuit).body["properties"]["serviceProviderProvisioningState"],
            "Provisioned");
  EXPECT_EQ(connection(acme, b["id"])["state"], "active");
}

}  // namespace
}  // namespace lightpath::testing
