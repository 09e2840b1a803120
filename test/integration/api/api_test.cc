// The API over real HTTP: every route, its error paths, idempotency, ETags, events, restarts;
// each reply is checked against the OpenAPI description (api_fixture.h).
#include <sys/stat.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "test/integration/api/api_fixture.h"

namespace lightpath::testing {
namespace {

TEST_F(ApiFixture, FirstStartMakesAnOperatorKeyOnlyItsOwnerCanRead) {
  start();
  ASSERT_EQ(operator_key_.size(), 67u);  // "lp_" + 64 hex digits: 256 bits
  EXPECT_NE(start_output_.find(operator_key_), std::string::npos);
  struct stat info {};
  ASSERT_EQ(::stat((dir_ / "operator.key").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600);
  EXPECT_EQ(call("GET", "/v1/tenants", operator_key_).status, 200);
  restart();
  EXPECT_EQ(start_output_.find("lp_"), std::string::npos)
      << "a second start must not make or show a key";
  EXPECT_EQ(call("GET", "/v1/tenants", operator_key_).status, 200);
}

TEST_F(ApiFixture, OpenEndpointsAndAuthentication) {
  start();
  EXPECT_EQ(call("GET", "/healthz", "").status, 200);
  EXPECT_EQ(call("GET", "/readyz", "").status, 200);
  EXPECT_EQ(openapi_.value("openapi", ""), "3.1.0");
  Reply denied = call("GET", "/v1/connections", "");
  EXPECT_EQ(denied.status, 401);
  EXPECT_EQ(denied.header("WWW-Authenticate"), "Bearer");
  EXPECT_EQ(denied.body.value("type", ""), "/problems/unauthenticated");
  EXPECT_EQ(call("GET", "/v1/connections", "lp_" + std::string(64, 'a')).status, 401);
  EXPECT_EQ(call("GET", "/v1/connections", "not-a-key").status, 401);
  EXPECT_EQ(call("GET", "/v1/nothing-here", operator_key_).status, 404);
  Reply put = call("PUT", "/v1/connections", operator_key_, "{}");
  EXPECT_EQ(put.status, 405);
  EXPECT_EQ(put.header("Allow"), "POST, GET") << "RFC 9110: a 405 says what the path takes";
  // ... and the document says so for every operation.
  for (const auto& [path, item] : openapi_["paths"].items()) {
    for (const auto& [method, operation] : item.items()) {
      if (method == "parameters") continue;
      EXPECT_TRUE(operation["responses"].contains("405")) << method << " " << path;
    }
  }
  // Metrics count every tenant's traffic: operators only.
  EXPECT_EQ(call("GET", "/metrics", "").status, 401);
  Reply metrics = call("GET", "/metrics", operator_key_);
  EXPECT_NE(metrics.raw.find(
                "lightpath_http_requests_total{route=\"GET /v1/connections\",code=\"401\"} 3"),
            std::string::npos)
      << metrics.raw.substr(0, 2000);
  EXPECT_NE(metrics.raw.find("lightpath_ledger_utilization{resource=\"spectrum\"}"),
            std::string::npos);
  EXPECT_FALSE(call("GET", "/healthz", "").header("X-Request-Id").empty());
}

TEST_F(ApiFixture, MeSaysWhoCallsAndConnectionsShowNoLedgerInternals) {
  start();
  Reply me = call("GET", "/v1/me", operator_key_);
  ASSERT_EQ(me.status, 200) << me.raw;
  EXPECT_EQ(me.body.value("role", ""), "operator");
  EXPECT_TRUE(me.body["tenant"].is_null());
  EXPECT_EQ(me.body.value("key_id", "").substr(0, 4), "key_");
  const std::string acme = addTenant("acme", {"dc-ashburn-p1", "dc-hillsboro-p1"});
  const std::string viewer = addTenant("acme", {}, "viewer");
  Reply admin = call("GET", "/v1/me", acme);
  EXPECT_EQ(admin.body.value("role", ""), "admin");
  EXPECT_EQ(admin.body.value("tenant", ""), "acme");
  EXPECT_EQ(call("GET", "/v1/me", viewer).body.value("role", ""), "viewer");
  EXPECT_EQ(call("GET", "/v1/me", "").status, 401);

  // The stored document keeps the ledger's hold ids; no reply shows them, and the first entry
  // of the history is the order itself (no "from").
  Reply made =
      call("POST", "/v1/connections", acme, ethernetOrder("dc-ashburn-p1", "dc-hillsboro-p1"));
  ASSERT_EQ(made.status, 201) << made.raw;
  const std::string id = made.body.value("id", "");
  EXPECT_EQ(waitFor(acme, id, "active"), "active");
  for (const Reply& r :
       {made, call("GET", "/v1/connections/{id}", acme, "", "/v1/connections/" + id),
        call("GET", "/v1/connections", acme)}) {
    EXPECT_EQ(r.raw.find("\"holds\""), std::string::npos) << r.raw.substr(0, 400);
  }
  const json history =
      call("GET", "/v1/connections/{id}", acme, "", "/v1/connections/" + id).body["history"];
  ASSERT_GE(history.size(), 2u);
  EXPECT_FALSE(history[0].contains("from")) << history[0];
  EXPECT_EQ(history[0].value("to", ""), "draft");
  EXPECT_EQ(history[1].value("from", ""), "draft");
}

TEST_F(ApiFixture, TheLastOperatorKeySurvivesConcurrentDeletions) {
  start();
  // Each round: two operator keys delete each other at once. One may go, never both.
  std::string survivor = operator_key_;
  for (int round = 0; round < 15; ++round) {
    Reply made = call("POST", "/v1/api-keys", survivor,
                      json{{"role", "operator"}, {"name", "spare"}}.dump());
    ASSERT_EQ(made.status, 201) << made.raw;
    const std::string spare = made.body.value("secret", "");
    const std::string spare_id = made.body.value("id", "");
    const std::string survivor_id = call("GET", "/v1/me", survivor).body.value("key_id", "");
    Reply first, second;
    std::thread a([&] {
      first = call("DELETE", "/v1/api-keys/{id}", spare, "", "/v1/api-keys/" + survivor_id);
    });
    std::thread b([&] {
      second = call("DELETE", "/v1/api-keys/{id}", survivor, "", "/v1/api-keys/" + spare_id);
    });
    a.join();
    b.join();
    ASSERT_FALSE(first.status == 204 && second.status == 204)
        << "round " << round << ": both operator keys went";
    const bool spare_lives = call("GET", "/v1/me", spare).status == 200;
    const bool survivor_lives = call("GET", "/v1/me", survivor).status == 200;
    ASSERT_TRUE(spare_lives || survivor_lives) << "round " << round << ": no operator key left";
    survivor = survivor_lives ? survivor : spare;
  }
}

TEST_F(ApiFixture, SecretsAreNotCachedAndEventCursorsRevealNothing) {
  start();
  const std::string acme = addTenant("acme", {"dc-ashburn-p1", "dc-hillsboro-p1"});
  const std::string globex = addTenant("globex", {"dc-santa-clara-p1", "dc-goodyear-p1"});
  Reply key = call("POST", "/v1/api-keys", operator_key_,
                   json{{"tenant", "acme"}, {"role", "viewer"}}.dump());
  ASSERT_EQ(key.status, 201);
  EXPECT_EQ(key.header("Cache-Control"), "no-store");
  // Numbers are not cursors (nor wrap to one).
  for (const char* bad : {"0", "9223372036854775808", "18446744073709551615", "abc"}) {
    Reply refused =
        call("GET", "/v1/events", operator_key_, "", std::string("/v1/events?after=") + bad);
    EXPECT_EQ(refused.status, 400) << bad;
    EXPECT_EQ(refused.body.value("field", ""), "after");
    EXPECT_EQ(call("GET", "/v1/events/stream", operator_key_, "",
                   std::string("/v1/events/stream?after=") + bad)
                  .status,
              400);
  }
  // Globex's orders between two of acme's events change nothing acme sees of its cursors: the
  // same events, the same cursors, whatever happened in between.
  ASSERT_EQ(call("POST", "/v1/connections", acme, ethernetOrder("dc-ashburn-p1", "dc-hillsboro-p1"))
                .status,
            201);
  Reply before = call("GET", "/v1/events", acme);
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(call("POST", "/v1/connections", globex,
                   ethernetOrder("dc-santa-clara-p1", "dc-goodyear-p1", 50))
                  .status,
              201);
  }
  Reply again = call("GET", "/v1/events", acme);
  ASSERT_FALSE(before.body["items"].empty());
  EXPECT_EQ(again.body["items"].front().value("cursor", ""),
            before.body["items"].front().value("cursor", ""));
  const std::string cursor = before.body["items"].front().value("cursor", "");
  EXPECT_EQ(
      cursor.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos);
  // Another tenant's (or the operator's) cursor is refused; the operator's view has its own.
  Reply foreign = call("GET", "/v1/events", globex, "", "/v1/events?after=" + cursor);
  EXPECT_EQ(foreign.status, 400) << foreign.raw;
  Reply operator_view = call("GET", "/v1/events", operator_key_);
  for (const json& e : operator_view.body["items"]) EXPECT_NE(e.value("cursor", ""), cursor);
  EXPECT_EQ(
      call("GET", "/v1/events/stream", globex, "", "/v1/events/stream?after=" + cursor).status,
      400);
}

TEST_F(ApiFixture, OrderQuoteWatchChangeAndTerminate) {
  start();
  const std::string acme = addTenant("acme", {"dc-ashburn-p1", "dc-hillsboro-p1"});
  // A quote first: path, latency and price, nothing held.
  const std::string wavelength = json{
      {"kind", "wavelength"},
      {"a_end", "dc-ashburn"},
      {"z_end", "dc-hillsboro"},
      {"bandwidth_mbps", 200000},
      {"protection", "1+1"}}.dump();
  Reply quote = call("POST", "/v1/quotes", acme, wavelength);
  ASSERT_EQ(quote.status, 200) << quote.raw;
  EXPECT_TRUE(quote.body.value("feasible", false));
  EXPECT_GT(quote.body.value("latency_ms", 0.0), 20.0);
  EXPECT_FALSE(quote.body["protection_fibers"].empty());
  // The light of both legs: GSNR and margin over the mode's threshold, at least the 2 dB
  // system margin the plan requires.
  ASSERT_EQ(quote.body["qot"].size(), 2u) << quote.raw;
  for (const json& leg : quote.body["qot"]) {
    EXPECT_GE(leg.value("margin_db", 0.0), 2.0) << quote.raw;
    EXPECT_GT(leg.value("gsnr_db", 0.0), 16.0) << quote.raw;
  }
  EXPECT_GT(quote.body["price"].value("monthly", 0.0), 0.0);
  json tight = json::parse(wavelength);
  tight["max_latency_ms"] = 5;
  Reply infeasible = call("POST", "/v1/quotes", acme, tight.dump());
  ASSERT_EQ(infeasible.status, 200);
  EXPECT_FALSE(infeasible.body.value("feasible", true));
  EXPECT_NE(infeasible.body.value("reason", "").find("ms"), std::string::npos) << infeasible.raw;

  // Order with an Idempotency-Key: 201, Location, ETag; durable before the answer.
  httplib::Headers idem{{"Idempotency-Key", "order-1"}};
  Reply made = call("POST", "/v1/connections", acme, wavelength, "", idem);
  ASSERT_EQ(made.status, 201) << made.raw;
  const std::string id = made.body.value("id", "");
  EXPECT_EQ(made.header("Location"), "/v1/connections/" + id);
  EXPECT_FALSE(made.header("ETag").empty());
  EXPECT_EQ(made.body["requested"].value("protection", ""), "1+1");
  Reply again = call("POST", "/v1/connections", acme, wavelength, "", idem);
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.header("Idempotent-Replayed"), "true");
  EXPECT_EQ(again.body.value("id", ""), id);
  Reply reused = call("POST", "/v1/connections", acme,
                      ethernetOrder("dc-ashburn-p1", "dc-hillsboro-p1"), "", idem);
  EXPECT_EQ(reused.status, 409);
  EXPECT_EQ(reused.body.value("field", ""), "Idempotency-Key");
  EXPECT_EQ(waitFor(acme, id, "active"), "active");

  // Ethernet, listed with paging and a state filter.
  Reply ethernet =
      call("POST", "/v1/connections", acme, ethernetOrder("dc-ashburn-p1", "dc-hillsboro-p1"));
  ASSERT_EQ(ethernet.status, 201) << ethernet.raw;
  const std::string eth = ethernet.body.value("id", "");
  EXPECT_EQ(waitFor(acme, eth, "active"), "active");
  Reply page = call("GET", "/v1/connections", acme, "", "/v1/connections?limit=1&offset=1");
  EXPECT_EQ(page.body.value("total", 0), 2);
  EXPECT_EQ(page.body["items"].size(), 1u);
  EXPECT_EQ(call("GET", "/v1/connections", acme, "", "/v1/connections?state=terminated")
                .body.value("total", -1),
            0);
  EXPECT_EQ(call("GET", "/v1/connections", acme, "", "/v1/connections?state=sleepy").status, 400);
  EXPECT_EQ(call("GET", "/v1/connections", acme, "", "/v1/connections?limit=0").status, 400);
  EXPECT_EQ(call("GET", "/v1/connections", acme, "", "/v1/connections?colour=red").status, 400);

  // PATCH: If-Match guards against lost updates; bandwidth is make-before-break and re-priced.
  Reply current = call("GET", "/v1/connections/{id}", acme, "", "/v1/connections/" + eth);
  const std::string etag = current.header("ETag");
  Reply stale = call("PATCH", "/v1/connections/{id}", acme, R"({"bandwidth_mbps":2000})",
                     "/v1/connections/" + eth, {{"If-Match", "\"1\""}});
  EXPECT_EQ(stale.status, 412);
  EXPECT_EQ(call("PATCH", "/v1/connections/{id}", acme,
                 R"({"bandwidth_mbps":2000,"tags":{"team":"infra"}})", "/v1/connections/" + eth)
                .status,
            400)
      << "bandwidth changes on its own";
  // The capacity is held at once (202, modifying); the devices follow and it is active again.
  Reply bigger = call("PATCH", "/v1/connections/{id}", acme, R"({"bandwidth_mbps":2000})",
                      "/v1/connections/" + eth, {{"If-Match", etag}});
  ASSERT_EQ(bigger.status, 202) << bigger.raw;
  EXPECT_EQ(bigger.body.value("state", ""), "modifying");
  EXPECT_EQ(waitFor(acme, eth, "active"), "active");
  Reply changed = call("GET", "/v1/connections/{id}", acme, "", "/v1/connections/" + eth);
  EXPECT_EQ(changed.body["requested"].value("bandwidth_mbps", 0), 2000);
  EXPECT_GT(changed.body["current"]["price"].value("monthly", 0.0),
            current.body["current"]["price"].value("monthly", 0.0));
  Reply retagged = call("PATCH", "/v1/connections/{id}", acme, R"({"tags":{"team":"infra"}})",
                        "/v1/connections/" + eth, {{"If-Match", changed.header("ETag")}});
  ASSERT_EQ(retagged.status, 200) << retagged.raw;
  EXPECT_EQ(retagged.body["requested"]["tags"].value("team", ""), "infra");
  EXPECT_EQ(call("PATCH", "/v1/connections/{id}", acme, R"({"bandwidth_mbps":999999999})",
                 "/v1/connections/" + eth)
                .status,
            400);
  // The end moves (make-before-break in the ledger); the start does not.
  Reply ends = call("PATCH", "/v1/connections/{id}", acme, R"({"end":"2031-01-01T00:00:00Z"})",
                    "/v1/connections/" + eth);
  ASSERT_EQ(ends.status, 200) << ends.raw;
  EXPECT_EQ(ends.body["requested"].value("end", ""), "2031-01-01T00:00:00.000000Z");
  EXPECT_EQ(call("PATCH", "/v1/connections/{id}", acme, R"({"end":null})", "/v1/connections/" + eth)
                .body["requested"]
                .contains("end"),
            false);
  EXPECT_EQ(call("PATCH", "/v1/connections/{id}", acme, R"({"end":"2001-01-01T00:00:00Z"})",
                 "/v1/connections/" + eth)
                .status,
            400);
  EXPECT_EQ(call("PATCH", "/v1/connections/{id}", acme, R"({"start":"2030-01-01T00:00:00Z"})",
                 "/v1/connections/" + eth)
                .status,
            422);
  EXPECT_EQ(call("PATCH", "/v1/connections/{id}", acme, R"({"bandwidth_mbps":400000})",
                 "/v1/connections/" + id)
                .status,
            400)
      << "a wavelength's rate is its transceiver's";

  // DELETE: 202 while devices are cleared, then terminated; deleting again is harmless.
  Reply gone = call("DELETE", "/v1/connections/{id}", acme, "", "/v1/connections/" + eth);
  EXPECT_EQ(gone.status, 202) << gone.raw;
  EXPECT_EQ(waitFor(acme, eth, "terminated"), "terminated");
  EXPECT_EQ(call("DELETE", "/v1/connections/{id}", acme, "", "/v1/connections/" + eth).status, 200);

  // Events replay after a cursor; orders and the audit log saw it all.
  Reply events = call("GET", "/v1/events", acme, "", "/v1/events?limit=1000");
  ASSERT_EQ(events.status, 200);
  std::vector<std::string> seen;
  for (const auto& e : events.body["items"]) {
    if (e.value("subject", "") == eth) seen.push_back(e["data"].value("state", ""));
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"provisioning", "active", "modifying", "active",
                                            "active", "active", "active", "deprovisioning",
                                            "terminated"}));  // bandwidth, tags, end, end
  const std::string cursor = events.body["items"][2].value("cursor", "");
  Reply later = call("GET", "/v1/events", acme, "", "/v1/events?after=" + cursor);
  EXPECT_EQ(later.body["items"][0].value("cursor", ""),
            events.body["items"][3].value("cursor", ""));
  Reply orders = call("GET", "/v1/orders", acme);
  EXPECT_EQ(orders.body.value("total", 0),
            7);  // two creates, four modifies (bandwidth, tags, end twice), a terminate
  const std::string order_id = orders.body["items"][0].value("id", "");
  EXPECT_EQ(
      call("GET", "/v1/orders/{id}", acme, "", "/v1/orders/" + order_id).body.value("type", ""),
      "terminate");
  Reply audit = call("GET", "/v1/audit", operator_key_, "", "/v1/audit?tenant=acme");
  EXPECT_GE(audit.body.value("total", 0), 6);
  EXPECT_EQ(audit.body["items"][0].value("method", ""), "DELETE");
  Reply metrics = call("GET", "/metrics", operator_key_);
  EXPECT_NE(metrics.raw.find("lightpath_workflows_total{job=\"activate\",result=\"ok\"} 2"),
            std::string::npos);
}

TEST_F(ApiFixture, IdempotencyKeysAreForgottenAfterTheirTime) {
  start();
  const std::string acme = addTenant("acme", {"dc-ashburn-p1", "dc-hillsboro-p1"});
  httplib::Headers first{{"Idempotency-Key", "old"}};
  ASSERT_EQ(call("POST", "/v1/connections", acme, ethernetOrder("dc-ashburn-p1", "dc-hillsboro-p1"),
                 "", first)
                .status,
            201);
  const TimePoint between = server_->stack().clock.now();
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  httplib::Headers second{{"Idempotency-Key", "new"}};
  ASSERT_EQ(call("POST", "/v1/connections", acme,
                 ethernetOrder("dc-ashburn-p1", "dc-hillsboro-p1", 200), "", second)
                .status,
            201);
  auto expired = server_->api().expireIdempotencyRecords(between);
  ASSERT_TRUE(expired) << expired.error().toString();
  EXPECT_GE(*expired, 1u);  // "old" (and the set-up's own records)
  // "old" is a fresh request now; "new" still replays.
  Reply again = call("POST", "/v1/connections", acme,
                     ethernetOrder("dc-ashburn-p1", "dc-hillsboro-p1"), "", first);
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.header("Idempotent-Replayed"), "");
  EXPECT_EQ(call("POST", "/v1/connections", acme,
                 ethernetOrder("dc-ashburn-p1", "dc-hillsboro-p1", 200), "", second)
                .header("Idempotent-Replayed"),
            "true");
}

TEST_F(ApiFixture, EventsOrdersAndAuditEntriesGoAfterTheirRetention) {
  start();
  const std::string acme = addTenant("acme", {"dc-ashburn-p1", "dc-hillsboro-p1"});
  Reply first =
      call("POST", "/v1/connections", acme, ethernetOrder("dc-ashburn-p1", "dc-hillsboro-p1"));
  ASSERT_EQ(first.status, 201);
  // Settled: no event of it comes after the pruning below.
  ASSERT_EQ(waitFor(acme, first.body.value("id", ""), "active"), "active");
  auto count = [&](const std::string& path) {
    return call("GET", path.substr(0, path.find('?')), operator_key_, "", path)
        .body["items"]
        .size();
  };
  const std::string last_before =
      call("GET", "/v1/events", operator_key_, "", "/v1/events?limit=1000")
          .body["items"]
          .back()
          .value("cursor", "");
  ASSERT_GT(count("/v1/orders"), 0u);
  ASSERT_GT(count("/v1/audit"), 0u);
  Store& store = *server_->stack().store;
  const TimePoint now = server_->stack().clock.now();
  // Within their retention (the defaults): nothing goes.
  auto kept = pruneOldRecords(store, now, Retention{});
  ASSERT_TRUE(kept) << kept.error().toString();
  EXPECT_EQ(kept->events + kept->orders + kept->audit, 0u);
  // An hour's retention, two hours on: all of it goes.
  const Retention hour{std::chrono::hours(1), std::chrono::hours(1), std::chrono::hours(1)};
  auto pruned = pruneOldRecords(store, now + std::chrono::hours(2), hour);
  ASSERT_TRUE(pruned) << pruned.error().toString();
  EXPECT_GT(pruned->events, 0u);
  EXPECT_GT(pruned->orders, 0u);
  EXPECT_GT(pruned->audit, 0u);
  EXPECT_EQ(count("/v1/events?limit=1000"), 0u);
  EXPECT_EQ(count("/v1/orders"), 0u);
  // What happens next is recorded as before, with cursors after every pruned one.
  ASSERT_EQ(
      call("POST", "/v1/connections", acme, ethernetOrder("dc-ashburn-p1", "dc-hillsboro-p1", 200))
          .status,
      201);
  Reply events = call("GET", "/v1/events", operator_key_, "", "/v1/events?limit=1000");
  ASSERT_FALSE(events.body["items"].empty());
  // (Cursors are opaque: the page after the last one seen before the pruning starts with it.)
  Reply after_last =
      call("GET", "/v1/events", operator_key_, "", "/v1/events?after=" + last_before);
  ASSERT_FALSE(after_last.body["items"].empty());
  EXPECT_EQ(after_last.body["items"].front(), events.body["items"].front());
  EXPECT_EQ(count("/v1/orders"), 1u);

  ServeConfig read;
  const auto file = dir_.string() + ".yaml";
  std::ofstream(file) << "retain_events_days: 30\nretain_audit_days: 3650\n";
  ASSERT_TRUE(readServeConfig(file, read).isOk());
  EXPECT_EQ(read.retention.events, std::chrono::hours(24 * 30));
  EXPECT_EQ(read.retention.audit, std::chrono::hours(24 * 3650));
  EXPECT_EQ(read.retention.orders, Retention{}.orders);
  std::ofstream(file) << "retain_orders_days: 0\n";
  Status bad = readServeConfig(file, read);
  EXPECT_NE(bad.message().find("retain_orders_days: 1-36500 days"), std::string::npos)
      << bad.message();
  std::filesystem::remove(file);
}

TEST_F(ApiFixture, OperatorsSeeEverythingAndOrderForTenants) {
  start();
  addTenant("acme", {"dc-ashburn-p1", "dc-hillsboro-p1"});
  json order = json::parse(ethernetOrder("dc-ashburn-p1", "dc-hillsboro-p1"));
  EXPECT_EQ(call("POST", "/v1/connections", operator_key_, order.dump()).status, 400)
      << "operators name the tenant";
  order["tenant"] = "nobody";
  EXPECT_EQ(call("POST", "/v1/connections", operator_key_, order.dump()).status, 400);
  order["tenant"] = "acme";
  Reply made = call("POST", "/v1/connections", operator_key_, order.dump());
  ASSERT_EQ(made.status, 201) << made.raw;
  EXPECT_EQ(made.body.value("tenant", ""), "acme");
  Reply topology = call("GET", "/v1/topology", operator_key_);
  ASSERT_EQ(topology.status, 200);
  EXPECT_EQ(topology.body["fibers"].size(), server_->stack().topology->fibers().size());
  EXPECT_EQ(call("GET", "/v1/locations", operator_key_, "", "/v1/locations?kind=cloud_onramp")
                .body.value("total", 0),
            12);
  Reply site = call("GET", "/v1/locations/{id}", operator_key_, "", "/v1/locations/dc-ashburn");
  EXPECT_EQ(site.body.value("kind", ""), "datacenter");
  EXPECT_FALSE(site.body["ports"].empty());
  EXPECT_EQ(call("GET", "/v1/locations/{id}", operator_key_, "", "/v1/locations/atlantis").status,
            404);
  EXPECT_EQ(call("POST", "/v1/tenants", operator_key_, R"({"id":"acme"})").status, 409);
  EXPECT_EQ(call("POST", "/v1/tenants", operator_key_, R"({"id":"Bad Name"})").status, 400);
  // Keys: the last operator key cannot be revoked; another can.
  Reply keys = call("GET", "/v1/api-keys", operator_key_);
  std::string operator_key_id;
  for (const auto& k : keys.body["items"]) {
    EXPECT_FALSE(k.contains("hash"));
    EXPECT_FALSE(k.contains("secret"));
    if (k.value("role", "") == "operator") operator_key_id = k.value("id", "");
  }
  EXPECT_EQ(
      call("DELETE", "/v1/api-keys/{id}", operator_key_, "", "/v1/api-keys/" + operator_key_id)
          .status,
      422);
  Reply second =
      call("POST", "/v1/api-keys", operator_key_, R"({"role":"operator","name":"backup"})");
  ASSERT_EQ(second.status, 201);
  EXPECT_EQ(call("DELETE", "/v1/api-keys/{id}", second.body.value("secret", ""), "",
                 "/v1/api-keys/" + operator_key_id)
                .status,
            204);
  EXPECT_EQ(call("GET", "/v1/tenants", operator_key_).status, 401)
      << "a revoked key stops working at once";
}

// Follows /v1/events/stream on its own connection, collecting what arrives.
class StreamReader {
 public:
  StreamReader(std::uint16_t port, const std::string& key, httplib::Headers headers = {}) {
    headers.emplace("Authorization", "Bearer " + key);
    thread_ = std::thread([this, port, headers] {
      httplib::Client client("127.0.0.1", port);
      client.set_read_timeout(30, 0);
      client.Get("/v1/events/stream", headers, [&](const char* data, std::size_t size) {
        std::lock_guard lock(mutex_);
        text_.append(data, size);
        return !stop_;
      });
    });
  }
  ~StreamReader() {
    stop_ = true;
    thread_.join();
  }
  std::string peek() {
    std::lock_guard lock(mutex_);
    return text_;
  }
  // Waits up to 10 s for `needle`; returns everything read so far.
  std::string waitFor(const std::string& needle) {
    for (int i = 0; i < 1000; ++i) {
      {
        std::lock_guard lock(mutex_);
        if (text_.find(needle) != std::string::npos) return text_;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::lock_guard lock(mutex_);
    return text_;
  }

 private:
  std::mutex mutex_;
  std::string text_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

TEST_F(ApiFixture, EventStreamsCarryEachTenantItsOwnEventsLiveAndResume) {
  config_.http.handle_timeout =
      std::chrono::seconds(1);  // streams must outlive the handler deadline
  start();
  const std::string acme = addTenant("acme", {"dc-ashburn-p1", "dc-hillsboro-p1"});
  const std::string globex = addTenant("globex", {"dc-santa-clara-p1", "dc-elk-grove-p1"});
  StreamReader acme_stream(server_->port(), acme);
  StreamReader globex_stream(server_->port(), globex);
  StreamReader operator_stream(server_->port(), operator_key_);
  EXPECT_NE(acme_stream.waitFor(": connected").find(": connected"), std::string::npos);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  Reply made =
      call("POST", "/v1/connections", acme, ethernetOrder("dc-ashburn-p1", "dc-hillsboro-p1"));
  ASSERT_EQ(made.status, 201);
  const std::string id = made.body.value("id", "");
  const std::string seen = acme_stream.waitFor("\"state\":\"active\"");
  EXPECT_NE(seen.find("event: connection.created"), std::string::npos) << seen;
  EXPECT_NE(seen.find("\"subject\":\"" + id + "\""), std::string::npos) << seen;
  EXPECT_NE(operator_stream.waitFor("\"state\":\"active\"").find("\"tenant\":\"acme\""),
            std::string::npos);
  EXPECT_NE(call("GET", "/metrics", operator_key_).raw.find("lightpath_event_streams 3"),
            std::string::npos);
  Reply theirs = call("POST", "/v1/connections", globex,
                      ethernetOrder("dc-santa-clara-p1", "dc-elk-grove-p1"));
  ASSERT_EQ(theirs.status, 201);
  const std::string other = globex_stream.waitFor("\"state\":\"active\"");
  EXPECT_EQ(other.find(id), std::string::npos) << "globex saw acme's connection";
  EXPECT_NE(other.find(theirs.body.value("id", "")), std::string::npos);
  // The feed offers each event to every stream in one pass: acme's has been offered it by now.
  EXPECT_EQ(acme_stream.peek().find(theirs.body.value("id", "")), std::string::npos)
      << "acme saw globex's";
  // Resuming after the first event gives the rest, from the second on (ids: acme's cursors).
  const json acme_events = call("GET", "/v1/events", acme).body["items"];
  ASSERT_GE(acme_events.size(), 2u);
  const std::string first_id = acme_events[0].value("cursor", "");
  const std::string second_id = acme_events[1].value("cursor", "");
  EXPECT_NE(seen.find("id: " + first_id + "\n"), std::string::npos) << "live and listed agree";
  StreamReader resumed(server_->port(), acme, {{"Last-Event-ID", first_id}});
  const std::string again = resumed.waitFor("id: " + second_id + "\n");
  EXPECT_EQ(again.find("id: " + first_id + "\n"), std::string::npos);
  EXPECT_NE(again.find("id: " + second_id + "\n"), std::string::npos) << again;
  EXPECT_EQ(call("GET", "/v1/events/stream", acme, "", "", {{"Last-Event-ID", "x"}}).status, 400);
  EXPECT_EQ(call("GET", "/v1/events/stream", "").status, 401);
}

TEST_F(ApiFixture, EventStreamsAreCappedPerKeyAndPerTenant) {
  config_.http.handle_timeout = std::chrono::seconds(1);  // keep-alives often: readers end soon
  config_.http.max_streams_per_key = 2;
  config_.http.max_streams_per_tenant = 3;
  start();
  const std::string acme = addTenant("acme", {"dc-ashburn-p1", "dc-hillsboro-p1"});
  Reply second = call("POST", "/v1/api-keys", acme, R"({"role":"viewer","name":"second"})");
  ASSERT_EQ(second.status, 201);
  const std::string other = second.body.value("secret", "");
  std::vector<std::unique_ptr<StreamReader>> open;
  for (int i = 0; i < 2; ++i) {
    open.push_back(std::make_unique<StreamReader>(server_->port(), acme));
    ASSERT_NE(open.back()->waitFor(": connected").find(": connected"), std::string::npos);
  }
  Reply by_key = call("GET", "/v1/events/stream", acme);
  EXPECT_EQ(by_key.status, 429) << by_key.raw;
  EXPECT_NE(by_key.body.value("detail", "").find("this key has 2 event streams open"),
            std::string::npos)
      << by_key.raw;
  open.push_back(std::make_unique<StreamReader>(server_->port(), other));
  ASSERT_NE(open.back()->waitFor(": connected").find(": connected"), std::string::npos);
  Reply by_tenant = call("GET", "/v1/events/stream", other);
  EXPECT_EQ(by_tenant.status, 429) << by_tenant.raw;
  EXPECT_NE(by_tenant.body.value("detail", "").find("this tenant has 3 event streams open"),
            std::string::npos)
      << by_tenant.raw;
  // Another principal (an operator's key) is not held up by acme's streams.
  StreamReader operator_stream(server_->port(), operator_key_);
  EXPECT_NE(operator_stream.waitFor(": connected").find(": connected"), std::string::npos);
}

TEST_F(ApiFixture, FailedAuthenticationsAreAuditedAndLoggedAtABoundedRate) {
  start();
  for (int i = 0; i < 15; ++i) {
    ASSERT_EQ(call("GET", "/v1/connections", i % 2 ? "lp_" + std::string(64, 'b') : "").status,
              401);
  }
  Reply audit = call("GET", "/v1/audit", operator_key_, "", "/v1/audit?limit=100");
  ASSERT_EQ(audit.status, 200) << audit.raw;
  int refused = 0;
  for (const json& entry : audit.body["items"]) {
    if (entry.value("actor", "") != "unauthenticated") continue;
    ++refused;
    EXPECT_EQ(entry.value("status", 0), 401);
    EXPECT_EQ(entry.value("role", ""), "none");
    EXPECT_EQ(entry.value("path", ""), "/v1/connections");
    EXPECT_FALSE(entry.value("remote", "").empty());
    EXPECT_FALSE(entry.value("subject", "").empty());  // why: no key, or an unknown one
  }
  EXPECT_EQ(refused, 10) << "ten a minute per address are recorded, the rest only refused";
}

TEST_F(ApiFixture, RevokingAKeyEndsItsEventStreams) {
  config_.http.handle_timeout = std::chrono::seconds(1);  // keep-alives often: readers end soon
  start();
  const std::string acme = addTenant("acme", {"dc-ashburn-p1", "dc-hillsboro-p1"});
  Reply viewer = call("POST", "/v1/api-keys", acme, R"({"role":"viewer","name":"dashboard"})");
  ASSERT_EQ(viewer.status, 201) << viewer.raw;
  StreamReader watching(server_->port(), viewer.body.value("secret", ""));
  StreamReader staying(server_->port(), acme);
  ASSERT_NE(watching.waitFor(": connected").find(": connected"), std::string::npos);
  ASSERT_NE(staying.waitFor(": connected").find(": connected"), std::string::npos);
  ASSERT_EQ(
      call("DELETE", "/v1/api-keys/{id}", acme, "", "/v1/api-keys/" + viewer.body.value("id", ""))
          .status,
      204);
  EXPECT_NE(watching.waitFor("event: revoked").find("event: revoked"), std::string::npos)
      << watching.peek();
  // What happens after the revocation reaches the other key's stream, not the revoked one's.
  Reply made =
      call("POST", "/v1/connections", acme, ethernetOrder("dc-ashburn-p1", "dc-hillsboro-p1"));
  ASSERT_EQ(made.status, 201);
  const std::string id = made.body.value("id", "");
  EXPECT_NE(staying.waitFor(id).find(id), std::string::npos);
  EXPECT_EQ(watching.peek().find(id), std::string::npos) << watching.peek();
  for (int i = 0;
       i < 100 && call("GET", "/metrics", operator_key_).raw.find("lightpath_event_streams 1") ==
                      std::string::npos;
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_NE(call("GET", "/metrics", operator_key_).raw.find("lightpath_event_streams 1"),
            std::string::npos);
}

}  // namespace
}  // namespace lightpath::testing
