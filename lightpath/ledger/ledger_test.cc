#include "lightpath/ledger/ledger.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <random>
#include <vector>

#include "lightpath/base/random.h"

namespace lightpath {
namespace {

TimePoint at(long long us) { return TimePoint(std::chrono::microseconds(us)); }
Window window(long long start, long long end) { return {at(start), at(end)}; }

const ResourceId kFiber{ResourceKind::SpectrumSlots, 7};
const ResourceId kPort{ResourceKind::PortBandwidth, 3};

// A ledger with one fiber (384 slots) and one 400G port.
struct TwoResources {
  Ledger l;
  TwoResources() {
    EXPECT_TRUE(l.addResource(kFiber, 384).isOk());
    EXPECT_TRUE(l.addResource(kPort, 400'000).isOk());
  }
};

TEST(Ledger, ReservesAllOrNothing) {
  TwoResources fixture;
  Ledger& l = fixture.l;
  auto a = l.reserve("conn_a", {{kFiber, 0, 6}, {kPort, 0, 100'000}}, window(0, 100));
  ASSERT_TRUE(a) << a.error().toString();
  // Slots 4-9 collide with conn_a's 0-5: nothing of this reservation is taken.
  auto b = l.reserve("conn_b", {{kPort, 0, 100'000}, {kFiber, 4, 6}}, window(50, 150));
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().code(), StatusCode::ResourceExhausted);
  EXPECT_EQ(b.error().message(), "spectrum #7 units 4-5 are held by 'conn_a' over [0 us, 100 us)");
  EXPECT_EQ(l.freeQuantity(kPort, window(0, 200)), 300'000u);
  EXPECT_EQ(l.holdCount(), 1u);
  // Later in time the same slots are free.
  EXPECT_TRUE(l.reserve("conn_b", {{kFiber, 4, 6}}, window(100, 150)));
  EXPECT_TRUE(l.checkInvariants().empty());
}

TEST(Ledger, QuantitiesAddUpOverTime) {
  TwoResources fixture;
  Ledger& l = fixture.l;
  ASSERT_TRUE(l.reserve("a", {{kPort, 0, 300'000}}, window(0, 10)));
  ASSERT_TRUE(l.reserve("b", {{kPort, 0, 300'000}}, window(10, 20)));  // back to back
  auto c = l.reserve("c", {{kPort, 0, 200'000}}, window(5, 15));
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message().find("only 100000 of 400000 is free throughout"), std::string::npos)
      << c.error().message();
  EXPECT_TRUE(l.reserve("c", {{kPort, 0, 100'000}}, window(5, 15)));
  EXPECT_DOUBLE_EQ(l.utilization(kPort, at(12)), 1.0);
  EXPECT_DOUBLE_EQ(l.utilization(kPort, at(25)), 0.0);
}

TEST(Ledger, ModifyIsMakeBeforeBreak) {
  TwoResources fixture;
  Ledger& l = fixture.l;
  auto a = l.reserve("a", {{kFiber, 10, 4}, {kPort, 0, 100'000}}, window(0, 100));
  auto b = l.reserve("b", {{kFiber, 20, 4}}, window(0, 100));
  ASSERT_TRUE(a && b);
  // Growing into its own slots is fine; into b's is not, and then a keeps what it had.
  EXPECT_TRUE(l.modify(*a, {{kFiber, 10, 8}, {kPort, 0, 400'000}}, window(0, 100)).isOk());
  Status s = l.modify(*a, {{kFiber, 10, 12}}, window(0, 100));
  EXPECT_EQ(s.code(), StatusCode::ResourceExhausted);
  EXPECT_EQ(l.hold(*a)->claims.size(), 2u);
  EXPECT_EQ(l.hold(*a)->claims[0].count, 8u);
  EXPECT_TRUE(l.checkInvariants().empty());
}

TEST(Ledger, ReleaseExpireAndQueries) {
  TwoResources fixture;
  Ledger& l = fixture.l;
  auto a = l.reserve("a", {{kFiber, 0, 64}}, window(0, 10));
  auto b = l.reserve("b", {{kFiber, 100, 2}}, window(0, 1000));
  ASSERT_TRUE(a && b);
  auto free = l.freeUnits(kFiber, window(5, 6));
  ASSERT_EQ(free.size(), 6u);
  EXPECT_EQ(free[0], 0u);
  EXPECT_EQ((free[1] >> (100 - 64)) & 3u, 0u);
  EXPECT_EQ(l.expire(at(10)), 1u);
  EXPECT_FALSE(l.hold(*a));
  EXPECT_EQ(l.release(*a).code(), StatusCode::NotFound);
  EXPECT_TRUE(l.release(*b).isOk());
  EXPECT_EQ(l.holdCount(), 0u);
  EXPECT_GT(l.version(), 4u);
}

TEST(Ledger, ForgetsThePastOfQuantities) {
  TwoResources fixture;
  Ledger& l = fixture.l;
  const TimePoint forever = TimePoint::max();
  ASSERT_TRUE(l.reserve("a", {{kPort, 0, 100'000}}, {at(0), forever}));
  auto b = l.reserve("b", {{kPort, 0, 200'000}}, window(10, 20));
  ASSERT_TRUE(b && l.reserve("c", {{kPort, 0, 50'000}}, window(30, 100)));
  EXPECT_EQ(l.freeQuantity(kPort, window(0, 16)), 100'000u);
  l.forgetBefore(at(15));
  // From 15 on, as before; a window from earlier is answered from 15.
  EXPECT_EQ(l.freeQuantity(kPort, window(15, 16)), 100'000u);
  EXPECT_EQ(l.freeQuantity(kPort, window(0, 16)), 100'000u);
  EXPECT_EQ(l.freeQuantity(kPort, window(20, 30)), 300'000u);
  EXPECT_EQ(l.utilization(kPort, at(50)), 150'000 / 400'000.0);
  // A hold started before 15 gives back its use from 15 on, no more.
  ASSERT_TRUE(l.release(*b).isOk());
  EXPECT_EQ(l.freeQuantity(kPort, window(0, 16)), 300'000u);
  EXPECT_EQ(l.freeQuantity(kPort, {at(0), forever}), 250'000u);
  EXPECT_FALSE(l.reserve("d", {{kPort, 0, 250'001}}, window(5, 40)));
  auto d = l.reserve("d", {{kPort, 0, 250'000}}, window(5, 40));
  ASSERT_TRUE(d);
  EXPECT_EQ(l.freeQuantity(kPort, window(35, 36)), 0u);
  EXPECT_TRUE(l.modify(*d, {{kPort, 0, 300'000}}, window(5, 20)).isOk());
  EXPECT_EQ(l.freeQuantity(kPort, window(0, 20)), 0u);
  EXPECT_TRUE(l.checkInvariants().empty());
  // A copy forgets as much.
  EXPECT_EQ(l.copy()->freeQuantity(kPort, window(0, 20)), 0u);
  // Earlier than before: nothing changes.
  l.forgetBefore(at(1));
  EXPECT_EQ(l.freeQuantity(kPort, window(20, 30)), 300'000u);

  // A rebuild after the horizon: holds that met only before it are no conflict.
  TwoResources again;
  again.l.forgetBefore(at(15));
  ASSERT_TRUE(again.l
                  .restoreAll({{1, "old", window(0, 10), {{kPort, 0, 400'000}}},
                               {2, "new", {at(5), forever}, {{kPort, 0, 400'000}}}})
                  .isOk());
  EXPECT_EQ(again.l.freeQuantity(kPort, window(15, 16)), 0u);
  EXPECT_EQ(again.l.checkInvariants(), std::vector<std::string>{});
  EXPECT_EQ(again.l.restoreAll({{3, "more", window(16, 17), {{kPort, 0, 1}}}}).code(),
            StatusCode::ResourceExhausted);
}

TEST(Ledger, RestoreKeepsIdsAndContinuesAboveThem) {
  TwoResources fixture;
  Ledger& l = fixture.l;
  ASSERT_EQ(*l.restore(40, "a", {{kFiber, 0, 4}}, window(0, 10)), 40u);
  EXPECT_EQ(l.restore(40, "b", {{kFiber, 8, 4}}, window(0, 10)).error().code(),
            StatusCode::AlreadyExists);
  EXPECT_EQ(l.restore(41, "b", {{kFiber, 2, 4}}, window(0, 10)).error().code(),
            StatusCode::ResourceExhausted);
  EXPECT_EQ(*l.reserve("c", {{kFiber, 8, 4}}, window(0, 10)), 41u);
  EXPECT_TRUE(l.checkInvariants().empty());
}

// A restart's rebuild: the same ledger as hold-by-hold restores, and all or nothing.
TEST(Ledger, RestoreAllRebuildsWholeOrNotAtAll) {
  TwoResources fixture;
  Ledger& l = fixture.l;
  ASSERT_TRUE(
      l.restoreAll({{40, "a", window(0, 10), {{kFiber, 0, 4}}},
                    {12, "b", {at(0), TimePoint::max()}, {{kFiber, 4, 4}, {kPort, 0, 100'000}}},
                    {41, "c", window(5, 20), {{kPort, 0, 300'000}}}})
          .isOk());
  EXPECT_EQ(l.holdCount(), 3u);
  EXPECT_EQ(l.freeQuantity(kPort, window(5, 20)), 0u);
  EXPECT_EQ(l.freeQuantity(kPort, window(20, 30)), 300'000u);
  EXPECT_EQ(l.reserve("d", {{kPort, 0, 1}}, window(5, 6)).error().code(),
            StatusCode::ResourceExhausted);
  EXPECT_EQ(*l.reserve("d", {{kFiber, 0, 4}}, window(10, 20)), 42u);
  EXPECT_TRUE(l.checkInvariants().empty());

  TwoResources other;
  Ledger& m = other.l;
  ASSERT_TRUE(m.restoreAll({{7, "a", window(0, 10), {{kFiber, 0, 4}}}}).isOk());
  auto expectRefused = [&](std::vector<Hold> holds, StatusCode code, const char* words) {
    const Status s = m.restoreAll(std::move(holds));
    EXPECT_EQ(s.code(), code) << s.toString();
    EXPECT_NE(s.message().find(words), std::string::npos) << s.message();
    EXPECT_EQ(m.holdCount(), 1u);  // only what was there before
    EXPECT_TRUE(m.checkInvariants().empty());
    EXPECT_EQ(m.freeQuantity(kPort, window(0, 100)), 400'000u);
  };
  expectRefused(
      {{8, "b", window(0, 5), {{kPort, 0, 100'000}}}, {9, "c", window(9, 12), {{kFiber, 3, 2}}}},
      StatusCode::ResourceExhausted, "holds 7 and 9 share units");
  expectRefused({{8, "b", window(0, 5), {{kPort, 0, 300'000}}},
                 {9, "c", window(4, 12), {{kPort, 0, 100'001}}}},
                StatusCode::ResourceExhausted, "beyond its capacity of 400000");
  expectRefused(
      {{8, "b", window(0, 5), {{kPort, 0, 1}}}, {7, "c", window(20, 30), {{kPort, 0, 1}}}},
      StatusCode::AlreadyExists, "hold 7 exists");
  expectRefused({{8, "b", window(5, 5), {{kPort, 0, 1}}}}, StatusCode::InvalidArgument,
                "hold 8 of b");
  EXPECT_EQ(*m.reserve("d", {{kFiber, 4, 4}}, window(0, 10)), 8u);
}

TEST(Ledger, RejectsMalformedClaims) {
  TwoResources fixture;
  Ledger& l = fixture.l;
  EXPECT_EQ(l.addResource(kFiber, 10).code(), StatusCode::AlreadyExists);
  auto expectInvalid = [&](std::vector<Claim> claims, Window w, const char* words) {
    auto r = l.reserve("x", claims, w);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code(), StatusCode::InvalidArgument);
    EXPECT_NE(r.error().message().find(words), std::string::npos) << r.error().message();
  };
  expectInvalid({{kFiber, 380, 6}}, window(0, 1),
                "units 380-385 of spectrum #7 are beyond its 384 units");
  expectInvalid({{{ResourceKind::Vlans, 1}, 0, 1}}, window(0, 1), "unknown resource vlan #1");
  expectInvalid({{kFiber, 0, 1}}, window(5, 5), "is empty");
  expectInvalid({{kFiber, 0, 0}}, window(0, 1), "claims nothing");
  expectInvalid({{kFiber, 0, 4}, {kFiber, 2, 4}}, window(0, 1), "claims 0 and 1 overlap");
  expectInvalid({{kPort, 5, 1}}, window(0, 1), "is a quantity");
  expectInvalid({}, window(0, 1), "at least one claim");
}

// The invariant under a storm of random operations, against a brute-force model on a small
// time grid: a reservation must succeed exactly when the model finds room, and after every
// operation no unit is held twice at the same time and no quantity beyond capacity.
RC_GTEST_PROP(Ledger, InvariantHoldsUnderRandomOperations, ()) {
  const char* env = std::getenv("LIGHTPATH_LEDGER_OPS");
  const long total_ops = env ? std::atol(env) : 100000;
  const long ops = std::max(100L, total_ops / 100);  // RapidCheck runs 100 cases
  Random random(*rc::gen::arbitrary<std::uint64_t>());

  constexpr int kTimes = 40, kUnits = 24;
  const std::vector<ResourceId> discrete = {{ResourceKind::SpectrumSlots, 0},
                                            {ResourceKind::Vlans, 1}};
  const std::vector<ResourceId> quantities = {{ResourceKind::PortBandwidth, 0},
                                              {ResourceKind::LinkBandwidth, 5}};
  Ledger ledger;
  for (auto r : discrete) RC_ASSERT(ledger.addResource(r, kUnits).isOk());
  for (auto r : quantities) RC_ASSERT(ledger.addResource(r, 100).isOk());
  // Model: per resource per time step, units held (bitmask) or amount used.
  std::map<ResourceId, std::array<std::uint32_t, kTimes>> units;
  std::map<ResourceId, std::array<int, kTimes>> amount;
  for (auto r : discrete) units[r].fill(0);
  for (auto r : quantities) amount[r].fill(0);
  std::map<HoldId, Hold> live;
  long now = 0;

  auto apply = [&](const Hold& h, int sign) {
    for (long t = h.window.start.time_since_epoch().count();
         t < std::min<long>(kTimes, h.window.end.time_since_epoch().count()); ++t) {
      for (const Claim& c : h.claims) {
        if (isDiscrete(c.resource.kind)) {
          const std::uint32_t bits = ((1u << c.count) - 1) << c.first;
          units[c.resource][t] =
              sign > 0 ? units[c.resource][t] | bits : units[c.resource][t] & ~bits;
        } else {
          amount[c.resource][t] += sign * static_cast<int>(c.count);
        }
      }
    }
  };
  auto fits = [&](const std::vector<Claim>& claims, Window w, HoldId ignore) {
    if (ignore) apply(live.at(ignore), -1);
    bool ok = true;
    for (long t = w.start.time_since_epoch().count();
         t < std::min<long>(kTimes, w.end.time_since_epoch().count()) && ok; ++t) {
      std::map<ResourceId, int> wanted;
      for (const Claim& c : claims) {
        if (isDiscrete(c.resource.kind)) {
          ok &= (units[c.resource][t] & (((1u << c.count) - 1) << c.first)) == 0;
        } else {
          wanted[c.resource] += static_cast<int>(c.count);
        }
      }
      for (auto [r, n] : wanted) ok &= amount[r][t] + n <= 100;
    }
    if (ignore) apply(live.at(ignore), +1);
    return ok;
  };
  auto randomClaims = [&] {
    std::vector<Claim> claims;
    const ResourceId d = discrete[random.below(2)];
    const std::uint32_t count = 1 + random.below(6);
    claims.push_back({d, random.below(kUnits - count + 1), count});
    if (random.below(2)) claims.push_back({quantities[random.below(2)], 0, 1 + random.below(60)});
    return claims;
  };
  auto randomWindow = [&] {
    const long start = now + random.below(10);
    return Window{at(start), at(start + 1 + random.below(15))};
  };

  for (long op = 0; op < ops; ++op) {
    const std::uint32_t kind = random.below(10);
    if (kind < 5 || live.empty()) {  // reserve
      auto claims = randomClaims();
      const Window w = randomWindow();
      const bool expected = fits(claims, w, 0);
      auto id = ledger.reserve("o" + std::to_string(op), claims, w);
      RC_ASSERT(id.has_value() == expected);
      if (id) {
        live[*id] = *ledger.hold(*id);
        apply(live[*id], +1);
      } else {
        RC_ASSERT(id.error().code() == StatusCode::ResourceExhausted);
      }
    } else if (kind < 7) {  // release
      auto it = std::next(live.begin(), random.below(static_cast<std::uint32_t>(live.size())));
      RC_ASSERT(ledger.release(it->first).isOk());
      apply(it->second, -1);
      live.erase(it);
    } else if (kind < 9) {  // modify
      auto it = std::next(live.begin(), random.below(static_cast<std::uint32_t>(live.size())));
      auto claims = randomClaims();
      const Window w = randomWindow();
      const bool expected = fits(claims, w, it->first);
      RC_ASSERT(ledger.modify(it->first, claims, w).isOk() == expected);
      if (expected) {
        apply(it->second, -1);
        it->second = *ledger.hold(it->first);
        apply(it->second, +1);
      }
    } else {  // time passes; closed windows expire
      now += 1 + random.below(4);
      std::size_t ended = 0;
      for (auto it = live.begin(); it != live.end();) {
        if (it->second.window.end <= at(now)) {
          apply(it->second, -1);
          it = live.erase(it);
          ++ended;
        } else {
          ++it;
        }
      }
      RC_ASSERT(ledger.expire(at(now)) == ended);
      if (now > kTimes - 25) {  // start over on the small time grid
        for (auto& [id, h] : live) RC_ASSERT(ledger.release(id).isOk());
        live.clear();
        for (auto& [r, a] : units) a.fill(0);
        for (auto& [r, a] : amount) a.fill(0);
        now = 0;
      }
    }
    RC_ASSERT(ledger.holdCount() == live.size());
    const auto violations = ledger.checkInvariants();
    RC_ASSERT(violations.empty());
  }
}

// Free bandwidth per slot is the least free in the slot, and a hold ending on a slot's start
// leaves that slot alone; the same as freeQuantity asked slot by slot.
TEST(Ledger, FreeQuantityBySlot) {
  Ledger ledger;
  const ResourceId link{ResourceKind::LinkBandwidth, 0};
  ASSERT_TRUE(ledger.addResource(link, 100).isOk());
  const TimePoint t0 = TimePoint(std::chrono::seconds(1000));
  const auto minute = std::chrono::minutes(1);
  ASSERT_TRUE(ledger.reserve("a", {{link, 0, 30}}, {t0 + minute, t0 + 3 * minute}));
  ASSERT_TRUE(
      ledger.reserve("b", {{link, 0, 50}}, {t0 + 150 * std::chrono::seconds(1), t0 + 4 * minute}));
  ASSERT_TRUE(ledger.reserve("c", {{link, 0, 10}}, {t0 - minute, TimePoint::max()}));
  const auto free = ledger.freeQuantityBySlot(link, t0, minute, 6);
  EXPECT_EQ(free, (std::vector<std::uint64_t>{90, 60, 10, 40, 90, 90}));
  for (int s = 0; s < 6; ++s) {
    EXPECT_EQ(free[s], ledger.freeQuantity(link, {t0 + s * minute, t0 + (s + 1) * minute})) << s;
  }
  EXPECT_EQ(ledger.freeQuantityBySlot({ResourceKind::LinkBandwidth, 9}, t0, minute, 2),
            (std::vector<std::uint64_t>{0, 0}));
}

TEST(Ledger, SaysWhoHoldsWhichUnitsAtATime) {
  Ledger ledger;
  const ResourceId fiber{ResourceKind::SpectrumSlots, 0};
  ASSERT_TRUE(ledger.addResource(fiber, 384).isOk());
  const TimePoint t0(std::chrono::hours(1));
  auto late =
      ledger.reserve("conn_b", {{fiber, 40, 8}}, {t0 + std::chrono::hours(2), TimePoint::max()});
  auto now = ledger.reserve("conn_a", {{fiber, 0, 6}}, {t0, TimePoint::max()});
  ASSERT_TRUE(late && now);
  EXPECT_EQ(ledger.usesAt(fiber, t0), (std::vector<Ledger::Use>{{"conn_a", *now, 0, 6}}));
  const auto later = ledger.usesAt(fiber, t0 + std::chrono::hours(3));
  ASSERT_EQ(later.size(), 2u);
  EXPECT_EQ(later[0].owner, "conn_a");
  EXPECT_EQ(later[1].owner, "conn_b");
  EXPECT_EQ(later[1].first, 40u);
  EXPECT_TRUE(ledger.usesAt({ResourceKind::SpectrumSlots, 7}, t0).empty());
}

// Released holds leave nothing behind: with entries out of hold order (restored from the
// highest id down) or in it (reserved), and across the compactions that begin once a fourth
// of a resource's entries are released.
TEST(Ledger, ReleasesLeaveNothingBehindInAnyOrder) {
  Ledger l;
  const ResourceId vlans{ResourceKind::Vlans, 1};
  ASSERT_TRUE(l.addResource(vlans, 400).isOk());
  ASSERT_TRUE(l.addResource(kPort, 400'000).isOk());
  std::vector<HoldId> ids;
  for (std::uint64_t u = 200; u-- > 0;) {
    ASSERT_TRUE(l.restore(1000 + u, "old", {{vlans, u, 1}, {kPort, 0, 1000}}, window(0, 100)));
    ids.push_back(1000 + u);
  }
  for (std::uint64_t u = 200; u < 399; ++u) {
    auto id = l.reserve("new", {{vlans, u, 1}, {kPort, 0, 1000}}, window(0, 100));
    ASSERT_TRUE(id);
    ids.push_back(*id);
  }
  auto kept = l.reserve("kept", {{vlans, 399, 1}, {kPort, 0, 1000}}, window(0, 100));
  ASSERT_TRUE(kept);
  // Modified holds (older than the newest) keep their places: order and counts stay right.
  for (HoldId id : {1000, 1100, 1250}) {
    const Hold h = *l.hold(id);
    ASSERT_TRUE(l.modify(id, {h.claims[0], {kPort, 0, 900}}, h.window).isOk());
  }
  ASSERT_TRUE(l.checkInvariants().empty()) << l.checkInvariants().front();
  // Units 10-59 released (an eighth: no compaction yet) are free to a claim across them all.
  std::vector<HoldId> rest;
  for (HoldId id : ids) {
    const auto uses = l.hold(id)->claims.front().first;
    if (uses >= 10 && uses < 60) {
      ASSERT_TRUE(l.release(id).isOk());
    } else {
      rest.push_back(id);
    }
  }
  auto across = l.reserve("across", {{vlans, 10, 50}}, window(0, 100));
  ASSERT_TRUE(across) << across.error().toString();
  ASSERT_TRUE(l.release(*across).isOk());
  ids = rest;
  std::mt19937 shuffle(7);
  std::shuffle(ids.begin(), ids.end(), shuffle);
  for (HoldId id : ids) {
    ASSERT_TRUE(l.release(id).isOk());
    const auto violations = l.checkInvariants();
    ASSERT_TRUE(violations.empty()) << violations.front();
  }
  EXPECT_EQ(l.usesAt(vlans, at(50)), (std::vector<Ledger::Use>{{"kept", *kept, 399, 1}}));
  EXPECT_EQ(l.freeQuantity(kPort, window(0, 100)), 399'000u);
  // Units 0-398 are free again, released entries nowhere in the way.
  EXPECT_TRUE(l.reserve("wide", {{vlans, 0, 399}}, window(0, 100)));
  EXPECT_FALSE(l.reserve("over", {{vlans, 398, 2}}, window(0, 100)));
  EXPECT_TRUE(l.checkInvariants().empty());

  // A store may list its holds in any order: restored all at once, they are in order after.
  Ledger m;
  ASSERT_TRUE(m.addResource(vlans, 400).isOk());
  std::vector<Hold> holds;
  for (std::uint64_t u = 0; u < 100; ++u)
    holds.push_back({500 + u, "h", window(0, 9), {{vlans, u, 1}}});
  std::shuffle(holds.begin(), holds.end(), shuffle);
  ASSERT_TRUE(m.restoreAll(std::move(holds)).isOk());
  EXPECT_TRUE(m.checkInvariants().empty()) << m.checkInvariants().front();
  ASSERT_TRUE(m.release(550).isOk());
  EXPECT_TRUE(m.reserve("again", {{vlans, 50, 1}}, window(0, 9)));
}

}  // namespace
}  // namespace lightpath
