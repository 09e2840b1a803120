#include "lightpath/orchestrator/hold_records.h"

#include <gtest/gtest.h>

namespace lightpath {
namespace {

TimePoint at(int seconds) { return TimePoint(std::chrono::seconds(1'800'000'000 + seconds)); }

TEST(HoldRecords, EncodeDecodeRoundTrips) {
  const Window w{at(0), at(100)};
  const std::vector<Claim> claims{{{ResourceKind::SpectrumSlots, 3}, 10, 6},
                                  {{ResourceKind::Vlans, 1}, 120, 1},
                                  {{ResourceKind::LinkBandwidth, 7}, 0, 10'000},
                                  {{ResourceKind::OnrampCapacity, 2}, 0, 500}};
  auto back = decodeHold(encodeHold(w, claims));
  ASSERT_TRUE(back) << back.error().toString();
  EXPECT_EQ(back->first, w);
  EXPECT_EQ(back->second, claims);
}

TEST(HoldRecords, BadRecordsAreErrorsNamingWhy) {
  for (const char* bad :
       {"", "{", "[]", R"({"start_us":0,"end_us":1})",
        R"({"start_us":0,"end_us":1,"claims":[{"kind":"teleport","index":0,"first":0,"count":1}]})",
        R"({"start_us":"x","end_us":1,"claims":[]})"}) {
    auto parsed = decodeHold(bad);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_EQ(parsed.error().code(), StatusCode::InvalidArgument);
    EXPECT_NE(parsed.error().message().find("stored hold"), std::string::npos)
        << parsed.error().message();
  }
}

TEST(HoldRecords, StepsSplitAmountsByWindowAndKeepDiscreteClaimsWhole) {
  ConnectionSpec spec{.kind = ConnectionKind::Ethernet,
                      .bandwidth_mbps = 1000,
                      .steps = {{at(10), 5000}, {at(20), 2000}}};
  const Window w{at(0), at(30)};
  const std::vector<Claim> claims{{{ResourceKind::Vlans, 0}, 100, 1},
                                  {{ResourceKind::PortBandwidth, 0}, 0, 5000}};
  const auto parts = holdParts(spec, w, claims);
  ASSERT_EQ(parts.size(), 4u);
  EXPECT_EQ(parts[0].first, w);
  EXPECT_EQ(parts[0].second, (std::vector<Claim>{claims[0]}));
  const std::vector<std::pair<Window, std::uint64_t>> steps{
      {{at(0), at(10)}, 1000}, {{at(10), at(20)}, 5000}, {{at(20), at(30)}, 2000}};
  for (std::size_t i = 0; i < steps.size(); ++i) {
    EXPECT_EQ(parts[i + 1].first, steps[i].first) << i;
    ASSERT_EQ(parts[i + 1].second.size(), 1u);
    EXPECT_EQ(parts[i + 1].second[0].count, steps[i].second) << i;
  }
  spec.steps.clear();
  EXPECT_EQ(holdParts(spec, w, claims).size(), 1u);
}

TEST(HoldRecords, ReservePartsIsAllOrNothingAndRestoreKeepsIds) {
  Ledger ledger;
  ASSERT_TRUE(ledger.addResource({ResourceKind::PortBandwidth, 0}, 10'000).isOk());
  ASSERT_TRUE(ledger.addResource({ResourceKind::PortBandwidth, 1}, 1'000).isOk());
  const std::vector<HoldPart> too_much{
      {{at(0), at(10)}, {{{ResourceKind::PortBandwidth, 0}, 0, 5000}}},
      {{at(0), at(10)}, {{{ResourceKind::PortBandwidth, 1}, 0, 5000}}}};
  auto refused = reserveParts(ledger, "conn_a", too_much);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), StatusCode::ResourceExhausted);
  EXPECT_EQ(ledger.holdCount(), 0u);  // the first part was given back

  auto held = reserveParts(ledger, "conn_a", {too_much[0]});
  ASSERT_TRUE(held) << held.error().toString();
  Ledger again;
  ASSERT_TRUE(again.addResource({ResourceKind::PortBandwidth, 0}, 10'000).isOk());
  ASSERT_TRUE(again.addResource({ResourceKind::PortBandwidth, 1}, 1'000).isOk());
  auto decoded = decodeStoredHold({(*held)[0].id, (*held)[0].owner, (*held)[0].body});
  ASSERT_TRUE(decoded) << decoded.error().toString();
  ASSERT_TRUE(again.restoreAll({*decoded}).isOk());
  auto hold = again.hold((*held)[0].id);
  ASSERT_TRUE(hold);
  EXPECT_EQ(hold->owner, "conn_a");
  EXPECT_EQ(again.freeQuantity({ResourceKind::PortBandwidth, 0}, {at(0), at(10)}), 5000u);
  auto bad = decodeStoredHold({99, "conn_b", "not json"});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().toString().find("hold 99 of conn_b"), std::string::npos)
      << bad.error().toString();
}

TEST(HoldRecords, AnotherInstancesHoldsAreFollowedAndThoseInTheWayWait) {
  Ledger ledger;
  const ResourceId vlans{ResourceKind::Vlans, 0};
  ASSERT_TRUE(ledger.addResource(vlans, 4094).isOk());
  ledger.useIds(1, 100);  // ours; theirs come from 100 up
  const Window w{at(0), at(100)};
  // Ours, not committed yet: VLAN 5.
  auto ours = ledger.reserve("conn_ours", {{vlans, 5, 1}}, w);
  ASSERT_TRUE(ours);
  auto change = [&](std::uint64_t cursor, std::uint64_t id, std::uint64_t vlan, bool deleted) {
    return HoldChange{.cursor = cursor,
                      .hold = {id, "conn_theirs_" + std::to_string(id),
                               deleted ? "" : encodeHold(w, {{vlans, vlan, 1}})},
                      .deleted = deleted};
  };
  // VLANs 7 and 9 fit, VLAN 5 does not (ours holds it): it waits, and so does what comes later
  // for the same hold; the others are applied.
  const std::vector<HoldChange> changes{change(1, 100, 7, false), change(2, 101, 5, false),
                                        change(3, 102, 9, false), change(4, 101, 0, true)};
  const std::vector<HoldChange> left = applyHoldChanges(ledger, changes);
  ASSERT_EQ(left.size(), 2u);
  EXPECT_EQ(left[0].cursor, 2u);
  EXPECT_EQ(left[1].cursor, 4u);
  EXPECT_TRUE(ledger.hold(100));
  EXPECT_FALSE(ledger.hold(101));
  EXPECT_TRUE(ledger.hold(102));
  // While theirs waits, a hold of ours on the same VLANs is blocked, one elsewhere is not.
  const std::vector<HoldChange> pending(changes.begin() + 1, changes.begin() + 2);
  const HoldRecord same{*ours, "conn_ours", encodeHold(w, {{vlans, 5, 1}})};
  EXPECT_TRUE(sharesCapacity(ledger, same, pending));
  EXPECT_FALSE(sharesCapacity(ledger, {*ours, "conn_ours", encodeHold(w, {{vlans, 6, 1}})},
                              pending));  // another VLAN of the same port
  const ResourceId other{ResourceKind::Vlans, 1};
  ASSERT_TRUE(ledger.addResource(other, 4094).isOk());
  EXPECT_FALSE(sharesCapacity(ledger, {3, "conn_x", encodeHold(w, {{other, 5, 1}})}, pending));
  EXPECT_FALSE(sharesCapacity(ledger,
                              {4, "conn_y", encodeHold({at(200), at(300)}, {{vlans, 5, 1}})},
                              pending));  // later: no overlap in time
  EXPECT_TRUE(sharesCapacity(ledger, {5, "conn_z", "not a hold"}, pending));  // unreadable
  // Bandwidth: blocked only when what is left cannot take theirs as well.
  const ResourceId link{ResourceKind::LinkBandwidth, 0};
  ASSERT_TRUE(ledger.addResource(link, 1000).isOk());
  auto mbps = ledger.reserve("conn_bw", {{link, 0, 600}}, w);
  ASSERT_TRUE(mbps);
  const HoldRecord bw{*mbps, "conn_bw", encodeHold(w, {{link, 0, 600}})};
  auto wants = [&](std::uint64_t amount) {
    return std::vector<HoldChange>{{.cursor = 9,
                                    .hold = {150, "conn_far", encodeHold(w, {{link, 0, amount}})},
                                    .deleted = false}};
  };
  EXPECT_FALSE(sharesCapacity(ledger, bw, wants(400)));
  EXPECT_TRUE(sharesCapacity(ledger, bw, wants(401)));
  ASSERT_TRUE(ledger.release(*mbps).isOk());
  // Ours given back: theirs apply, and its deletion after it. Our next id stays ours.
  ASSERT_TRUE(ledger.release(*ours).isOk());
  EXPECT_TRUE(applyHoldChanges(ledger, {change(2, 101, 5, false)}).empty());
  EXPECT_TRUE(ledger.hold(101));
  EXPECT_TRUE(applyHoldChanges(ledger, {change(4, 101, 0, true)}).empty());
  EXPECT_FALSE(ledger.hold(101));
  auto next = ledger.reserve("conn_next", {{vlans, 11, 1}}, w);
  ASSERT_TRUE(next);
  EXPECT_LT(*next, 100u);
}

}  // namespace
}  // namespace lightpath
