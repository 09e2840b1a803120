// Tenant isolation: every route x every method x another tenant's ids x every role. A probe
// that may not see a thing gets 404 as if it did not exist (403 for operator-only routes), no
// reply names anything of the other tenant's it was not given, and nothing changes.
#include "test/integration/api/api_fixture.h"

namespace lightpath::testing {
namespace {

class IsolationTest : public ApiFixture {
 protected:
  // What an operator sees of everything but the audit log (which records the probes).
  std::string snapshot() {
    std::string all;
    for (const char* route : {"/v1/connections", "/v1/api-keys", "/v1/ports", "/v1/tenants",
                              "/v1/orders", "/v1/webhooks"}) {
      all += call("GET", route, operator_key_, "", std::string(route) + "?limit=1000").raw;
    }
    return all + call("GET", "/v1/events", operator_key_, "", "/v1/events?limit=1000").raw;
  }
};

TEST_F(IsolationTest, NoRouteLetsOneTenantSeeOrTouchAnothersThings) {
  start();
  const std::string acme_admin = addTenant("acme", {"dc-ashburn-p1", "dc-hillsboro-p1"});
  const std::string acme_viewer =
      call("POST", "/v1/api-keys", acme_admin, R"({"role":"viewer"})").body.value("secret", "");
  const std::string globex_admin = addTenant("globex", {"dc-santa-clara-p1", "dc-elk-grove-p1"});
  const std::string globex_viewer =
      call("POST", "/v1/api-keys", globex_admin, R"({"role":"viewer"})").body.value("secret", "");
  ASSERT_FALSE(acme_viewer.empty());
  ASSERT_FALSE(globex_viewer.empty());

  Reply made = call("POST", "/v1/connections", acme_admin,
                    ethernetOrder("dc-ashburn-p1", "dc-hillsboro-p1"));
  ASSERT_EQ(made.status, 201);
  const std::string connection = made.body.value("id", "");
  ASSERT_EQ(waitFor(acme_admin, connection, "active"), "active");
  Reply theirs = call("POST", "/v1/connections", globex_admin,
                      ethernetOrder("dc-santa-clara-p1", "dc-elk-grove-p1"));
  ASSERT_EQ(theirs.status, 201);
  ASSERT_EQ(waitFor(globex_admin, theirs.body.value("id", ""), "active"),
            "active");  // settled before the snapshot
  const std::string order = call("GET", "/v1/orders", acme_admin).body["items"][0].value("id", "");
  std::string acme_key_id;
  const Reply keys = call("GET", "/v1/api-keys", acme_admin);
  for (const auto& k : keys.body["items"]) acme_key_id = k.value("id", "");
  ASSERT_FALSE(order.empty());
  ASSERT_FALSE(acme_key_id.empty());

  Reply lambda = call(
      "POST", "/v1/connections", acme_admin,
      R"({"kind":"wavelength","a_end":"dc-ashburn","z_end":"dc-hillsboro","bandwidth_mbps":200000})");
  ASSERT_EQ(lambda.status, 201);
  const std::string wavelength = lambda.body.value("id", "");
  const std::string lit_fiber = lambda.body["current"]["fibers"][0];
  ASSERT_EQ(waitFor(acme_admin, wavelength, "active"), "active");
  const std::string webhook =
      call("POST", "/v1/webhooks", acme_admin, R"({"url":"http://127.0.0.1:9/acme-hooks"})")
          .body.value("id", "");
  ASSERT_FALSE(webhook.empty());
  const std::string client =
      call("POST", "/v1/oauth-clients", acme_admin, R"({"role":"viewer"})").body.value("id", "");
  ASSERT_FALSE(client.empty());

  // Everything of acme's a probe could name, and what must never show up elsewhere.
  const std::vector<std::string> acme_ids{connection, order,  acme_key_id,     webhook,
                                          client,     "acme", "dc-ashburn-p1", "dc-hillsboro-p1"};
  const std::vector<std::string> secrets{connection,        wavelength,   order,  acme_key_id,
                                         webhook,           "acme-hooks", client, "dc-ashburn-p1",
                                         "dc-hillsboro-p1", "\"acme\""};
  const json hostile_order = json::parse(ethernetOrder("dc-ashburn-p1", "dc-hillsboro-p1"));
  auto bodyFor = [&](const std::string& method, const std::string& route) -> std::string {
    if (route == "/v1/connections" || route == "/v1/quotes") return hostile_order.dump();
    if (route == "/v1/connections/{id}") return R"({"bandwidth_mbps":5000,"tags":{"owned":"yes"}})";
    if (route == "/v1/ports/{id}") return R"({"tenant":"globex"})";
    if (route == "/v1/api-keys" || route == "/v1/oauth-clients")
      return R"({"tenant":"acme","role":"admin"})";
    if (route == "/v1/tenants") return R"({"id":"acme-2"})";
    if (route == "/v1/webhooks")
      return R"({"url":"http://127.0.0.1:9/globex-hooks","tenant":"acme"})";  // to hear acme
    return method == "GET" || method == "DELETE" ? "" : "{}";
  };
  const std::string before = snapshot();
  std::size_t probes = 0;
  struct Caller {
    std::string name, key;
    bool same_tenant;
  };
  const std::vector<Caller> callers{{"globex admin", globex_admin, false},
                                    {"globex viewer", globex_viewer, false},
                                    {"acme viewer", acme_viewer, true}};
  for (const auto& [route, operations] : openapi_["paths"].items()) {
    for (const std::string method : {"GET", "POST", "PATCH", "PUT", "DELETE"}) {
      // A stream never ends: its isolation is proven by EventStreamsCarryEachTenantItsOwnEvents.
      if (route == "/v1/events/stream" && method == "GET") continue;
      std::vector<std::string> paths;
      if (route.find("{id}") == std::string::npos) {
        paths.push_back(route);
      } else {
        for (const std::string& id : acme_ids) {
          std::string path = route;
          paths.push_back(path.replace(path.find("{id}"), 4, id));
        }
      }
      for (const std::string& path : paths) {
        for (const Caller& caller : callers) {
          const std::string body = bodyFor(method, route);
          Reply r = call(method, route, caller.key, body, path);
          ++probes;
          const std::string what = caller.name + ": " + method + " " + path;
          const bool read = method == "GET" || route == "/v1/quotes";  // a quote changes nothing
          if (!read) {
            EXPECT_TRUE(r.status >= 400)
                << what << " -> " << r.status << " " << r.raw.substr(0, 200);
          }
          if (caller.same_tenant) continue;  // a viewer may read its own tenant's things
          // A viewer's change is refused for its role before any id is looked at: the same
          // answer whatever the id, so it says nothing about the other tenant.
          const bool role_refusal = r.status == 403 && caller.name.ends_with("viewer") && !read;
          if (route.find("{id}") != std::string::npos) {
            EXPECT_TRUE(r.status == 404 || r.status == 405 || role_refusal)
                << what << " -> " << r.status << " " << r.raw.substr(0, 200);
          } else if (route == "/v1/audit" && read) {
            EXPECT_EQ(r.status, 403) << what;
          } else if (route == "/v1/topology" && read) {
            EXPECT_EQ(r.raw.find("utilization"), std::string::npos)
                << what << ": how full fibers are is the carrier's";
          }
          for (const std::string& secret : secrets) {
            if (path.find(secret) != std::string::npos || body.find(secret) != std::string::npos)
              continue;  // echoed input
            EXPECT_EQ(r.raw.find(secret), std::string::npos)
                << what << " shows " << secret << ": " << r.raw.substr(0, 300);
          }
        }
      }
    }
  }
  // The spectrum of a fiber acme lights: globex sees how full it is, not where acme's light
  // sits (blocks fiber by fiber would give away the route, the ends and the rate).
  for (const std::string& key : {globex_admin, globex_viewer}) {
    Reply spectrum =
        call("GET", "/v1/fibers/{id}/spectrum", key, "", "/v1/fibers/" + lit_fiber + "/spectrum");
    ASSERT_EQ(spectrum.status, 200);
    EXPECT_TRUE(spectrum.body["blocks"].empty()) << spectrum.raw;
    EXPECT_GT(spectrum.body.value("used_slots", 0), 0) << spectrum.raw;
    EXPECT_GT(spectrum.body.value("utilization", 0.0), 0.0) << spectrum.raw;
    EXPECT_EQ(spectrum.raw.find(wavelength), std::string::npos) << spectrum.raw;
  }
  Reply own = call("GET", "/v1/fibers/{id}/spectrum", acme_viewer, "",
                   "/v1/fibers/" + lit_fiber + "/spectrum");
  EXPECT_NE(own.raw.find(wavelength), std::string::npos)
      << "a tenant sees its own connection on the fiber";
  EXPECT_GT(probes, 400u);
  EXPECT_TRUE(snapshot() == before) << "a probe changed something";
  // Acme's own keys still work and see their connection as it was.
  EXPECT_EQ(call("GET", "/v1/connections/{id}", acme_viewer, "", "/v1/connections/" + connection)
                .body.value("state", ""),
            "active");
}

}  // namespace
}  // namespace lightpath::testing
