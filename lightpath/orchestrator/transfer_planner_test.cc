#include "lightpath/orchestrator/transfer_planner.h"

#include <gtest/gtest.h>

#include "lightpath/io/demo_network.h"

namespace lightpath {
namespace {

constexpr TimePoint kNow{std::chrono::seconds(1'800'000'000)};
using std::chrono::hours;
using std::chrono::minutes;

// The demo network with its packet capacity and port bandwidth in a ledger, as serve has them.
struct Calendar {
  std::shared_ptr<const Topology> topology = std::make_shared<const Topology>(*loadDemoNetwork());
  PathEngine engine{topology};
  Ledger ledger;
  Calendar() {
    for (FiberIndex f = 0; f < topology->fibers().size(); ++f)
      EXPECT_TRUE(ledger.addResource({ResourceKind::LinkBandwidth, f}, 1'600'000).isOk());
    for (std::uint32_t p = 0; p < topology->ports().size(); ++p) {
      const auto mbps = static_cast<std::uint64_t>(topology->ports()[p].speed.value() * 1000);
      EXPECT_TRUE(ledger.addResource({ResourceKind::PortBandwidth, p}, mbps).isOk());
    }
  }
  std::uint32_t port(const std::string& id) const {
    for (std::uint32_t p = 0; p < topology->ports().size(); ++p) {
      if (topology->ports()[p].id == id) return p;
    }
    ADD_FAILURE() << id;
    return 0;
  }
  // Holds each leg step by step as ordering it would; false if the ledger refuses one.
  bool hold(const TransferRequest& request, const TransferProposal& proposal) {
    for (const TransferLeg& leg : proposal.legs) {
      for (std::size_t i = 0; i < leg.steps.size(); ++i) {
        const TimePoint to = i + 1 < leg.steps.size() ? leg.steps[i + 1].at : leg.end;
        const std::uint64_t mbps = leg.steps[i].mbps;
        std::vector<Claim> claims{{{ResourceKind::PortBandwidth, port(request.a_end)}, 0, mbps},
                                  {{ResourceKind::PortBandwidth, port(request.z_end)}, 0, mbps}};
        for (const auto& id : leg.fibers)
          claims.push_back({{ResourceKind::LinkBandwidth, *topology->findFiber(id)}, 0, mbps});
        if (!ledger.reserve("transfer", claims, {leg.steps[i].at, to})) return false;
      }
    }
    return true;
  }
};

double carriedBytes(const TransferProposal& proposal) {
  double megabits = 0;
  for (const TransferLeg& leg : proposal.legs) {
    for (std::size_t i = 0; i < leg.steps.size(); ++i) {
      const TimePoint to = i + 1 < leg.steps.size() ? leg.steps[i + 1].at : leg.end;
      megabits += static_cast<double>(leg.steps[i].mbps) *
                  std::chrono::duration<double>(to - leg.steps[i].at).count();
    }
  }
  return megabits * 1e6 / 8;
}

TEST(TransferOnCalendar, LegsCarryTheBytesInTimeAndTheLedgerTakesThem) {
  Calendar c;
  const TransferPlanner planner(c.topology, c.engine, c.ledger);
  const TransferRequest request{.a_end = "dc-ashburn-p1",
                                .z_end = "dc-hillsboro-p1",
                                .bytes = 200e12,
                                .deadline = kNow + hours(2)};
  auto proposal = planner.plan(request, kNow);
  ASSERT_TRUE(proposal) << proposal.error().message();
  EXPECT_GE(carriedBytes(*proposal), request.bytes);
  EXPECT_LE(proposal->finish, request.deadline);
  EXPECT_GE(proposal->legs.size(), 3u) << "222 Gb/s in 100 Gb/s circuits";
  for (const TransferLeg& leg : proposal->legs) {
    EXPECT_GE(leg.start, kNow);
    EXPECT_LE(leg.end, request.deadline);
    EXPECT_EQ(leg.steps.front().at, leg.start);
    EXPECT_EQ(leg.nodes.size(), leg.fibers.size() + 1);
    for (const BandwidthStep& step : leg.steps) EXPECT_LE(step.mbps, 100'000u);
  }
  EXPECT_TRUE(c.hold(request, *proposal));
  EXPECT_TRUE(c.ledger.checkInvariants().empty());
  // The port now carries what the first transfer took: a second as big does not fit beside it
  // by the same deadline, and the answer says when it could be done.
  auto second = planner.plan(request, kNow);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code(), StatusCode::ResourceExhausted);
  EXPECT_NE(second.error().message().find("cannot deliver 200 TB from dc-ashburn-p1"),
            std::string::npos)
      << second.error().message();
  const auto when = planner.earliestFinish(request, kNow);
  ASSERT_TRUE(when);
  EXPECT_GT(*when, request.deadline);
  TransferRequest later = request;
  later.deadline = *when;
  auto fits = planner.plan(later, kNow);
  ASSERT_TRUE(fits) << fits.error().message();
  EXPECT_TRUE(c.hold(later, *fits));
}

TEST(TransferOnCalendar, StartsNoEarlierThanAskedAndOnlyWhereThePortIsFree) {
  Calendar c;
  const TransferPlanner planner(c.topology, c.engine, c.ledger);
  // The A port is full for the first hour.
  ASSERT_TRUE(c.ledger.reserve(
      "other", {{{ResourceKind::PortBandwidth, c.port("dc-ashburn-p1")}, 0, 400'000}},
      {kNow, kNow + hours(1)}));
  const TransferRequest request{.a_end = "dc-ashburn-p1",
                                .z_end = "dc-santa-clara-p1",
                                .bytes = 10e12,
                                .earliest = kNow + minutes(7),
                                .deadline = kNow + hours(4)};
  auto proposal = planner.plan(request, kNow);
  ASSERT_TRUE(proposal) << proposal.error().message();
  for (const TransferLeg& leg : proposal->legs) EXPECT_GE(leg.start, kNow + hours(1));
  EXPECT_TRUE(c.hold(request, *proposal));
}

TEST(TransferOnCalendar, BadRequestsNameTheField) {
  Calendar c;
  const TransferPlanner planner(c.topology, c.engine, c.ledger);
  auto error = [&](TransferRequest r) {
    auto p = planner.plan(r, kNow);
    EXPECT_FALSE(p);
    return p ? std::string() : p.error().message();
  };
  const TransferRequest good{.a_end = "dc-ashburn-p1",
                             .z_end = "dc-hillsboro-p1",
                             .bytes = 1e12,
                             .deadline = kNow + hours(2)};
  auto with = [&](auto change) {
    TransferRequest r = good;
    change(r);
    return error(r);
  };
  EXPECT_EQ(with([](auto& r) { r.bytes = 0; }), "bytes: 1 to 10^18");
  EXPECT_EQ(with([](auto& r) { r.bytes = 1e19; }), "bytes: 1 to 10^18");
  EXPECT_EQ(with([](auto& r) { r.deadline = kNow - hours(1); }), "deadline: in the past");
  EXPECT_EQ(with([](auto& r) { r.deadline = kNow + hours(24 * 365 * 7000); }),
            "deadline: at most 30 days ahead");
  EXPECT_EQ(with([](auto& r) { r.earliest = kNow + hours(3); }),
            "deadline: must come after earliest");
  EXPECT_EQ(with([](auto& r) { r.a_end = "nowhere"; }), "a_end: no port 'nowhere'");
  EXPECT_EQ(with([](auto& r) { r.z_end = "dc-ashburn-p2"; }),
            "z_end: at the same node as a_end; a transfer crosses the network");
  EXPECT_NE(with([](auto& r) { r.deadline = kNow + minutes(4); }).find("no whole slot"),
            std::string::npos);
}

}  // namespace
}  // namespace lightpath
