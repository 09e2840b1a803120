#include "lightpath/cloudsim/cloud_sim.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "lightpath/cloud/sigv4.h"
#include "lightpath/service/connection_json.h"

namespace lightpath {
namespace {

using nlohmann::json;

const TimePoint kStart = parseTime("2026-11-27T10:00:00Z").value();

class CloudSimTest : public ::testing::Test {
 protected:
  void SetUp() override { open(""); }
  void open(const std::string& file) {
    auto sim = CloudSim::open({.state_file = file,
                               .aws_partner_account = "999999999999",
                               .partner_token = "partner",
                               .aws_secrets = {{"999999999999", "partner-secret"}},
                               .bring_up = std::chrono::seconds(2),
                               .clock = &clock_});
    ASSERT_TRUE(sim) << sim.error().toString();
    sim_ = std::move(*sim);
  }

  // An AWS call by `account`, signed with `secret`.
  HttpResponse aws(const std::string& account, const std::string& action, const std::string& body,
                   const std::string& secret = "partner-secret") {
    SigV4Request r{.method = "POST",
                   .path = "/cloudsim/aws/",
                   .query = {},
                   .headers = {{"host", "127.0.0.1:8080"},
                               {"content-type", "application/x-amz-json-1.1"},
                               {"x-amz-target", "OvertureService." + action}},
                   .body = body};
    signSigV4(r, {account, secret}, "us-east-1", "directconnect", clock_.now());
    return sim_->handle({"POST", r.path, {}, r.headers, body, "test"});
  }
  HttpResponse bearer(const std::string& method, const std::string& path, const std::string& body,
                      const std::string& token = "partner") {
    return sim_->handle({method, path, {}, {{"authorization", "Bearer " + token}}, body, "test"});
  }

  ManualClock clock_{kStart};
  std::unique_ptr<CloudSim> sim_;
};

TEST_F(CloudSimTest, AwsHostedConnectionLifecycle) {
  HttpResponse made = aws("999999999999", "AllocateHostedConnection",
                          R"({"connectionId":"aws-ashburn-p1","ownerAccount":"123456789012",
                              "bandwidth":"1Gbps","connectionName":"lightpath-x","vlan":7})");
  ASSERT_EQ(made.status, 200) << made.body;
  const json c = json::parse(made.body);
  const std::string id = c["connectionId"];
  EXPECT_EQ(c["connectionState"], "ordering");
  // The same VLAN on the same interconnect is taken.
  EXPECT_EQ(aws("999999999999", "AllocateHostedConnection",
                R"({"connectionId":"aws-ashburn-p1","ownerAccount":"123456789012",
                    "bandwidth":"1Gbps","connectionName":"y","vlan":7})")
                .status,
            400);
  // Only the owner confirms; the partner and others cannot.
  EXPECT_EQ(aws("999999999999", "ConfirmConnection", json{{"connectionId", id}}.dump()).status,
            400);
  EXPECT_EQ(aws("111111111111", "ConfirmConnection", json{{"connectionId", id}}.dump(), "x").status,
            400);
  HttpResponse confirmed =
      aws("123456789012", "ConfirmConnection", json{{"connectionId", id}}.dump(), "any");
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  EXPECT_EQ(json::parse(confirmed.body)["connectionState"], "pending");
  auto stateNow = [&] {
    const json list = json::parse(
        aws("999999999999", "DescribeHostedConnections", R"({"connectionId":"aws-ashburn-p1"})")
            .body);
    return list["connections"][0]["connectionState"].get<std::string>();
  };
  EXPECT_EQ(stateNow(), "pending");
  clock_.advance(std::chrono::seconds(3));  // brought up
  EXPECT_EQ(stateNow(), "available");
  EXPECT_EQ(aws("123456789012", "DeleteConnection", json{{"connectionId", id}}.dump(), "x").status,
            200);
  EXPECT_EQ(stateNow(), "deleted");
}

TEST_F(CloudSimTest, AwsAuthenticationIsChecked) {
  HttpRequest bare{"POST", "/cloudsim/aws/",
                   {},     {{"x-amz-target", "OvertureService.DescribeConnections"}},
                   "{}",   ""};
  EXPECT_EQ(sim_->handle(bare).status, 403);
  bare.headers["authorization"] = "AWS4-HMAC-SHA256 Credential=x";
  EXPECT_EQ(sim_->handle(bare).status, 403);
  // Not an account id; the partner's secret wrong (the simulator knows it).
  EXPECT_EQ(aws("AKIAEXAMPLE", "DescribeConnections", "{}").status, 403);
  HttpResponse forged = aws("999999999999", "DescribeConnections", "{}", "guessed");
  EXPECT_EQ(forged.status, 403);
  EXPECT_NE(forged.body.find("InvalidSignatureException"), std::string::npos);
  // A customer's secret is unknown: its signature's shape is enough.
  EXPECT_EQ(aws("123456789012", "DescribeConnections", "{}", "anything").status, 200);
}

TEST_F(CloudSimTest, HostileBodiesGetClientErrors) {
  const std::vector<std::string> bodies{"",
                                        "null",
                                        "[]",
                                        "7",
                                        "\"x\"",
                                        "{",
                                        R"({"vlan":"x"})",
                                        R"({"connectionId":5,"ownerAccount":[],"bandwidth":{}})",
                                        R"({"stag":-1,"link":7})",
                                        R"({"adminEnabled":"yes"})",
                                        R"({"properties":{"serviceProviderProperties":[]}})",
                                        R"({"name":7,"type":"PARTNER","pairingKey":null})"};
  const std::vector<std::string> actions{"AllocateHostedConnection", "DescribeHostedConnections",
                                         "DescribeConnections",      "ConfirmConnection",
                                         "DeleteConnection",         "Nope"};
  const std::vector<std::pair<std::string, std::string>> routes{
      {"PUT",
       "/cloudsim/azure/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/"
       "expressRouteCircuits/c"},
      {"POST", "/cloudsim/azure/provider/circuits/k/provision"},
      {"POST", "/cloudsim/google/compute/v1/projects/p/regions/r/interconnectAttachments"},
      {"PATCH", "/cloudsim/google/compute/v1/projects/p/regions/r/interconnectAttachments/a"},
      {"POST", "/cloudsim/google/partner/attachments"},
      {"GET", "/cloudsim/google/partner/attachments/x"},
      {"DELETE", "/cloudsim/nowhere"}};
  // Something to act on: a circuit and an attachment.
  ASSERT_EQ(
      bearer(
          "PUT", routes[0].second,
          R"({"properties":{"serviceProviderProperties":{"peeringLocation":"X","bandwidthInMbps":1000}}})",
          "c")
          .status,
      201);
  ASSERT_EQ(bearer("POST", routes[2].second, R"({"name":"a","type":"PARTNER"})", "c").status, 200);
  for (const std::string& body : bodies) {
    for (const std::string& action : actions) {
      const HttpResponse r = aws("999999999999", action, body);
      EXPECT_LT(r.status, 500) << action << " " << body << ": " << r.body;
    }
    for (const auto& [method, path] : routes) {
      const HttpResponse r = bearer(method, path, body);
      EXPECT_LT(r.status, 500) << method << " " << path << " " << body << ": " << r.body;
    }
  }
}

TEST_F(CloudSimTest, StateSurvivesAReopenAndACorruptFileIsNamed) {
  const auto file = std::filesystem::temp_directory_path() /
                    ("lightpath-cloudsim-" + std::to_string(::getpid()) + ".json");
  open(file.string());
  const json made = json::parse(
      bearer(
          "POST", "/cloudsim/google/compute/v1/projects/p/regions/us-east4/interconnectAttachments",
          R"({"name":"a","type":"PARTNER","edgeAvailabilityDomain":"AVAILABILITY_DOMAIN_2"})", "c")
          .body);
  EXPECT_EQ(made["pairingKey"].get<std::string>().substr(36), "/us-east4/2");
  open(file.string());
  const json again = json::parse(
      bearer("GET",
             "/cloudsim/google/compute/v1/projects/p/regions/us-east4/interconnectAttachments/a",
             "", "c")
          .body);
  EXPECT_EQ(again["pairingKey"], made["pairingKey"]);
  std::ofstream(file) << "not json";
  auto broken = CloudSim::open({.state_file = file.string()});
  ASSERT_FALSE(broken);
  EXPECT_NE(broken.error().message().find(file.string()), std::string::npos);
  std::filesystem::remove(file);
}

}  // namespace
}  // namespace lightpath
