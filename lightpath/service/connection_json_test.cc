#include "lightpath/service/connection_json.h"

#include <gtest/gtest.h>

namespace lightpath {
namespace {

TEST(ConnectionJson, RoundTripsEverything) {
  ConnectionSpec spec{.kind = ConnectionKind::Ethernet,
                      .a_end = "p1",
                      .z_end = "p2",
                      .bandwidth_mbps = 10'000,
                      .protection = Protection::OnePlusOne,
                      .max_latency = Micros(9000),
                      .start = TimePoint(std::chrono::seconds(1'800'000'000)),
                      .end = TimePoint(std::chrono::seconds(1'900'000'000)),
                      .steps = {{TimePoint(std::chrono::seconds(1'850'000'000)), 20'000}},
                      .vlan = 120,
                      .sla = "gold",
                      .term = "12",
                      .route = {"f1", "f2"},
                      .tags = {{"team", "ml"}}};
  Connection c = Connection::draft(
      "conn_x", "acme", spec, TimePoint(std::chrono::microseconds(1'700'000'000'123'456)), "key:1");
  ASSERT_TRUE(c.transition(ConnectionState::Provisioning,
                           TimePoint(std::chrono::seconds(1'700'000'001)), "o", "r")
                  .isOk());
  c.setCurrent({.nodes = {"a", "b"},
                .fibers = {"f"},
                .protection_nodes = {"a", "c", "b"},
                .protection_fibers = {"g", "h"},
                .km = 12.5,
                .latency_ms = 0.06,
                .vlan = 120,
                .spectrum = {{"f", 10, 6}},
                .holds = {4, 5},
                .protection_km = 20.25,
                .price = Realization::Price{"USD", "12", 1234.5, 0, 500}});
  auto back = connectionFromJson(connectionToJson(c));
  ASSERT_TRUE(back) << back.error().toString();
  EXPECT_EQ(back->requested(), c.requested());
  EXPECT_EQ(back->current(), c.current());
  EXPECT_EQ(back->state(), ConnectionState::Provisioning);
  EXPECT_EQ(back->version(), c.version());
  ASSERT_EQ(back->history().size(), 2u);
  EXPECT_EQ(back->history()[0].at, c.history()[0].at);
  EXPECT_EQ(connectionToJson(*back), connectionToJson(c));
  // The first entry (the order) is written without "from" and read back as draft -> draft.
  const auto stored = nlohmann::json::parse(connectionToJson(c))["history"];
  EXPECT_FALSE(stored[0].contains("from"));
  EXPECT_EQ(stored[1].value("from", ""), "draft");
  EXPECT_EQ(back->history()[0].from, ConnectionState::Draft);
}

TEST(ConnectionJson, ACorruptStoredDocumentIsAnErrorNamingIt) {
  Connection c = Connection::draft(
      "conn_bad", "acme",
      {.kind = ConnectionKind::Ethernet, .a_end = "p1", .z_end = "p2", .bandwidth_mbps = 10},
      TimePoint(std::chrono::seconds(1'700'000'000)), "key:1");
  ASSERT_TRUE(c.transition(ConnectionState::Provisioning,
                           TimePoint(std::chrono::seconds(1'700'000'001)), "o", "r")
                  .isOk());
  const std::string good = connectionToJson(c);
  // Each value a reader parses (not just reads): a bad one must be an error, never a crash.
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {R"("state":"provisioning")", R"("state":"melted")"},
           {R"("kind":"ethernet")", R"("kind":"fax")"},
           {R"("protection":"none")", R"("protection":"2+2")"},
           {R"("from":"draft")", R"("from":"nowhere")"},
           {R"("at":"2023)", R"("at":"yesterday)"}}) {
    std::string bad = good;
    const auto at = bad.find(from);
    ASSERT_NE(at, std::string::npos) << from << " in " << good;
    bad.replace(at, from.size(), to);
    auto back = connectionFromJson(bad);
    ASSERT_FALSE(back) << to;
    EXPECT_NE(back.error().message().find("conn_bad"), std::string::npos) << back.error().message();
  }
  EXPECT_FALSE(connectionFromJson("[1,2]"));
  EXPECT_FALSE(connectionFromJson("{"));
}

TEST(Times, Rfc3339InUtc) {
  EXPECT_EQ(formatTime(TimePoint(std::chrono::microseconds(0))), "1970-01-01T00:00:00.000000Z");
  auto t = parseTime("2026-11-26T01:50:38.5Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(formatTime(*t), "2026-11-26T01:50:38.500000Z");
  EXPECT_FALSE(parseTime("2026-11-26 01:50:38"));
  EXPECT_FALSE(parseTime("2026-11-26T01:50:38+02:00"));
  EXPECT_FALSE(parseTime("2026-02-30T00:00:00Z"));
  EXPECT_FALSE(connectionFromJson("{\"id\": 3}"));
  EXPECT_FALSE(connectionFromJson("not json"));
}

}  // namespace
}  // namespace lightpath
