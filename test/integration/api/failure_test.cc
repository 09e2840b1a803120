// Failures over the API: an operator cuts a fiber, the tenant's connections are restored or
// switched and say so (events, outages, SLA), the what-if answers what the cut then did, the
// repair brings protection back; tenants may not touch failures; the month's SLA report.
#include <gtest/gtest.h>

#include "test/integration/api/api_fixture.h"

namespace lightpath::testing {
namespace {

TEST_F(ApiFixture, FiberCutIsAnsweredAndRepairedOverTheApi) {
  start();
  const std::string acme =
      addTenant("acme", {"dc-ashburn-p1", "dc-ashburn-p2", "dc-hillsboro-p1", "dc-hillsboro-p2"});
  Reply plain =
      call("POST", "/v1/connections", acme, ethernetOrder("dc-ashburn-p1", "dc-hillsboro-p1"));
  json protected_order = json::parse(ethernetOrder("dc-ashburn-p2", "dc-hillsboro-p2"));
  protected_order["protection"] = "1+1";
  protected_order["sla"] = "gold";
  Reply protected_one = call("POST", "/v1/connections", acme, protected_order.dump());
  ASSERT_EQ(plain.status, 201) << plain.raw;
  ASSERT_EQ(protected_one.status, 201) << protected_one.raw;
  const std::string a = plain.body.value("id", ""), b = protected_one.body.value("id", "");
  ASSERT_EQ(waitFor(acme, a, "active"), "active");
  ASSERT_EQ(waitFor(acme, b, "active"), "active");
  // A fiber both working legs use.
  const json fibers_a = plain.body["current"]["fibers"],
             fibers_b = protected_one.body["current"]["fibers"];
  std::string cut;
  for (const json& f : fibers_a) {
    for (const json& g : fibers_b)
      if (f == g && cut.empty()) cut = f.get<std::string>();
  }
  ASSERT_FALSE(cut.empty()) << fibers_a << fibers_b;
  const std::string body = json{{"fiber", cut}, {"reason", "backhoe"}}.dump();

  // Tenants may neither cut nor look.
  EXPECT_EQ(call("POST", "/v1/failures", acme, body).status, 403);
  EXPECT_EQ(call("GET", "/v1/failures", acme).status, 403);
  EXPECT_EQ(call("POST", "/v1/analysis/failure", acme, body).status, 403);
  EXPECT_EQ(call("POST", "/v1/failures", operator_key_, R"({"fiber":"f","node":"n"})").status, 400);
  EXPECT_EQ(call("POST", "/v1/failures", operator_key_, R"({"fiber":"nope"})").status, 400);
  EXPECT_EQ(call("POST", "/v1/failures", operator_key_, R"({"cable":"x"})").status, 400);

  Reply what_if = call("POST", "/v1/analysis/failure", operator_key_, body);
  ASSERT_EQ(what_if.status, 200) << what_if.raw;
  Reply failure = call("POST", "/v1/failures", operator_key_, body);
  ASSERT_EQ(failure.status, 201) << failure.raw;
  for (const char* key : {"hit", "switched", "restored", "degraded", "unrestorable", "shortfall"})
    EXPECT_EQ(what_if.body[key], failure.body[key]) << key;
  EXPECT_EQ(failure.body["restored"], json::array({a}));
  EXPECT_EQ(failure.body["switched"], json::array({b}));
  EXPECT_EQ(call("POST", "/v1/failures", operator_key_, body).status, 409);
  EXPECT_EQ(call("POST", "/v1/analysis/failure", operator_key_, body).status, 409);
  const std::string id = failure.body.value("id", "");
  EXPECT_EQ(failure.header("Location"), "/v1/failures/" + id);
  EXPECT_EQ(call("GET", "/v1/failures/{id}", operator_key_, "", "/v1/failures/" + id).status, 200);
  EXPECT_EQ(call("GET", "/v1/failures", operator_key_).body["total"], 1);

  // The tenant sees it on its connections: no failed fiber on the current path, an outage, the
  // events.
  for (const std::string& c : {a, b}) {
    Reply now = call("GET", "/v1/connections/{id}", acme, "", "/v1/connections/" + c);
    for (const json& f : now.body["current"]["fibers"]) EXPECT_NE(f, cut) << c;
    EXPECT_EQ(now.body["outages"].size(), 1u) << now.raw;
    Reply sla = call("GET", "/v1/connections/{id}/sla", acme, "", "/v1/connections/" + c + "/sla");
    ASSERT_EQ(sla.status, 200) << sla.raw;
    EXPECT_EQ(sla.body["outages"].size(), 1u);
    EXPECT_LT(sla.body.value("availability_percent", 100.0), 100.0);
  }
  EXPECT_EQ(call("GET", "/v1/connections/{id}", acme, "", "/v1/connections/" + b)
                .body.value("oper_state", ""),
            "degraded");
  std::string types;
  const Reply events = call("GET", "/v1/events", acme, "", "/v1/events?limit=1000");
  for (const json& e : events.body["items"]) types += e.value("type", "") + " ";
  EXPECT_NE(types.find("connection.restored"), std::string::npos) << types;
  EXPECT_NE(types.find("connection.switched"), std::string::npos) << types;

  Reply repaired = call("DELETE", "/v1/failures/{id}", operator_key_, "", "/v1/failures/" + id);
  ASSERT_EQ(repaired.status, 200) << repaired.raw;
  EXPECT_EQ(repaired.body.value("state", ""), "repaired");
  EXPECT_EQ(repaired.body["repair_effect"]["reprotected"], json::array({b}));
  EXPECT_EQ(call("GET", "/v1/connections/{id}", acme, "", "/v1/connections/" + b)
                .body.value("oper_state", ""),
            "up");
  EXPECT_EQ(call("DELETE", "/v1/failures/{id}", operator_key_, "", "/v1/failures/" + id).status,
            422);
  // What was done survives a restart, and the audit log has both.
  restart();
  EXPECT_EQ(call("GET", "/v1/failures/{id}", operator_key_, "", "/v1/failures/" + id)
                .body.value("state", ""),
            "repaired");
  const std::string audit = call("GET", "/v1/audit", operator_key_, "", "/v1/audit?limit=1000").raw;
  EXPECT_NE(audit.find("/v1/failures/" + id), std::string::npos);
}

TEST_F(ApiFixture, MonthlySlaReportInJsonAndCsv) {
  start();
  const std::string acme = addTenant("acme", {"dc-ashburn-p1", "dc-hillsboro-p1"});
  const std::string other = addTenant("other", {"dc-ashburn-p2", "dc-hillsboro-p2"});
  Reply mine =
      call("POST", "/v1/connections", acme, ethernetOrder("dc-ashburn-p1", "dc-hillsboro-p1"));
  Reply theirs =
      call("POST", "/v1/connections", other, ethernetOrder("dc-ashburn-p2", "dc-hillsboro-p2"));
  ASSERT_EQ(waitFor(acme, mine.body.value("id", ""), "active"), "active");
  ASSERT_EQ(waitFor(other, theirs.body.value("id", ""), "active"), "active");
  // The month the server's clock is in.
  const std::string month = mine.body["history"][0].value("at", "").substr(0, 7);
  Reply report = call("GET", "/v1/sla", acme, "", "/v1/sla?month=" + month);
  ASSERT_EQ(report.status, 200) << report.raw;
  ASSERT_EQ(report.body["items"].size(), 1u) << report.raw;
  EXPECT_EQ(report.body["items"][0].value("id", ""), mine.body.value("id", ""));
  EXPECT_EQ(report.body["items"][0].value("availability_percent", 0.0), 100.0);
  EXPECT_EQ(report.body.value("credit_total", -1.0), 0.0);
  Reply csv = call("GET", "/v1/sla", operator_key_, "", "/v1/sla?format=csv&month=" + month);
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.header("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(std::count(csv.raw.begin(), csv.raw.end(), '\n'), 3) << csv.raw;  // header + 2
  EXPECT_EQ(csv.raw.rfind("id,tenant,sla,", 0), 0u);
  // A month before it existed is empty; bad months and parameters are refused.
  EXPECT_TRUE(call("GET", "/v1/sla", acme, "", "/v1/sla?month=2001-01").body["items"].empty());
  EXPECT_EQ(call("GET", "/v1/sla", acme, "", "/v1/sla?month=2026-13").status, 400);
  EXPECT_EQ(call("GET", "/v1/sla", acme, "", "/v1/sla").status, 400);
  EXPECT_EQ(call("GET", "/v1/sla", acme, "", "/v1/sla?month=" + month + "&tenant=other").status,
            400);
  // Another tenant's connection answers as a missing one.
  EXPECT_EQ(call("GET", "/v1/connections/{id}/sla", acme, "",
                 "/v1/connections/" + theirs.body.value("id", "") + "/sla")
                .status,
            404);
}

}  // namespace
}  // namespace lightpath::testing
