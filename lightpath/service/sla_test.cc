// Availability, latency and credits from outages, against the default price book's classes.
#include "lightpath/service/sla.h"

#include <gtest/gtest.h>

namespace lightpath {
namespace {

const TimePoint kT0 = TimePoint(std::chrono::seconds(1'800'000'000));

// An Ethernet connection live from kT0 with the given outages, priced 1,000 a month.
Connection live(std::string sla, std::vector<Outage> outages, double latency_ms = 10,
                std::optional<double> bound_ms = std::nullopt) {
  ConnectionSpec spec{
      .kind = ConnectionKind::Ethernet, .a_end = "a", .z_end = "z", .bandwidth_mbps = 1000};
  spec.sla = std::move(sla);
  if (bound_ms) spec.max_latency = Micros(*bound_ms * 1000);
  Realization r{.nodes = {"a", "z"}, .fibers = {"a-z"}, .latency_ms = latency_ms};
  r.price = Realization::Price{"USD", "1", 1000, 0, 0};
  return Connection::restore("conn_1", "acme", spec, ConnectionState::Active, AdminState::Enabled,
                             OperState::Up,
                             {{kT0 - std::chrono::hours(1), ConnectionState::Draft,
                               ConnectionState::Draft, "key", "ordered"},
                              {kT0, ConnectionState::Provisioning, ConnectionState::Active,
                               "orchestrator", "devices configured"}},
                             r, 3, std::move(outages));
}

TEST(Sla, AvailabilityCountsOutagesWithinTheWindowOnly) {
  const PriceBook book = *defaultPriceBook();
  const TimePoint end = kT0 + std::chrono::hours(1000);
  // 30 minutes down in the window, and an outage that began before it went live and ended 30
  // minutes after: an hour counts.
  const Connection c =
      live("gold", {{kT0 - std::chrono::hours(1), kT0 + std::chrono::minutes(30), "cut"},
                    {kT0 + std::chrono::hours(10),
                     kT0 + std::chrono::hours(10) + std::chrono::minutes(30), "cut"}});
  const SlaReport r = measureSla(&book, c, kT0 - std::chrono::hours(2), end, end);
  EXPECT_TRUE(r.in_service);
  EXPECT_EQ(r.from, kT0);  // clipped to the time in service
  EXPECT_DOUBLE_EQ(r.outage_seconds, 3600);
  EXPECT_NEAR(r.availability_percent, 99.9, 1e-9);
  EXPECT_EQ(r.target_percent, 99.99);
  // Gold: below 99.99% -> 10% of the month's price.
  EXPECT_EQ(r.credit_percent, 10);
  EXPECT_DOUBLE_EQ(r.credit_amount, 100);
  // The same outage for a standard connection (99.9%) earns nothing.
  EXPECT_EQ(measureSla(&book, live("standard", c.outages()), kT0, end, end).credit_percent, 0);
  // Before it went live, nothing is measured.
  EXPECT_FALSE(measureSla(&book, c, kT0 - std::chrono::hours(5), kT0, end).in_service);
}

TEST(Sla, AnOpenOutageLastsUntilNowAndABrokenBoundAddsTheLatencyCredit) {
  const PriceBook book = *defaultPriceBook();
  const TimePoint now = kT0 + std::chrono::hours(100);
  const Connection c =
      live("standard", {{kT0 + std::chrono::hours(95), std::nullopt, "down"}}, 14.0, 12.0);
  const SlaReport r = measureSla(&book, c, TimePoint::min(), now, now);
  EXPECT_DOUBLE_EQ(r.outage_seconds, 5 * 3600);
  EXPECT_NEAR(r.availability_percent, 95.0, 1e-9);
  EXPECT_FALSE(r.latency_met);
  // Standard: below 99% -> 25%, plus 5% for the latency bound.
  EXPECT_EQ(r.credit_percent, 30);
  ASSERT_EQ(r.outages.size(), 1u);
  EXPECT_FALSE(r.outages[0].end.has_value());
  // CSV: a header and one line, quoted where a field needs it.
  EXPECT_EQ(slaCsvRow(r).substr(0, 21), "conn_1,acme,standard,");
  EXPECT_EQ(slaCsvRow(r).back(), '\n');
  EXPECT_EQ(slaCsvHeader().substr(0, 15), "id,tenant,sla,f");
}

TEST(PriceBook, SlaClassesAreReadCheckedAndOrderedByPriority) {
  const PriceBook book = *defaultPriceBook();
  ASSERT_EQ(book.sla_classes.size(), 3u);
  EXPECT_EQ(book.sla_classes.front().name, "platinum");  // restored first
  EXPECT_EQ(book.slaClass("nope"), nullptr);
  auto bad = parsePriceBook(
      "currency: USD\nwavelength: {base: {}, per_km: {}, setup: 0}\n"
      "ethernet: {per_gbps_by_distance: [{up_to_km: 1, price: 1}], minimum: 0, setup: 0}\n"
      "cloud: {per_gbps_by_distance: [{up_to_km: 1, price: 1}], minimum: 0, setup: 0}\n"
      "protection_share: 1\nterms: {hourly: 1, \"1\": 1, \"12\": 1, \"36\": 1}\n"
      "sla:\n  gold: {availability: 120, priority: 1, credits: []}\n",
      "book.yaml");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("at most 100"), std::string::npos) << bad.error().message();
}

}  // namespace
}  // namespace lightpath
