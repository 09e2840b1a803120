#include "lightpath/transfer/planner.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

namespace lightpath {
namespace {

constexpr TimePoint kOrigin{std::chrono::seconds(1'800'000'000)};

TimeGrid minutes(int slots) {
  return {.origin = kOrigin, .slot = std::chrono::seconds(60), .slots = slots};
}

// Mb/s per (resource, slot) summed over a plan.
std::map<std::pair<std::uint32_t, int>, std::uint64_t> usage(const TransferDemand& d,
                                                             const TransferPlan& p) {
  std::map<std::pair<std::uint32_t, int>, std::uint64_t> used;
  for (const TransferRate& r : p.rates) {
    for (std::uint32_t res : d.routes[r.route]) used[{res, r.slot}] += r.mbps;
  }
  return used;
}

TEST(TimeGrid, WindowsTakeWholeSlots) {
  const TimeGrid grid = minutes(10);
  EXPECT_EQ(grid.firstSlotFrom(kOrigin), 0);
  EXPECT_EQ(grid.firstSlotFrom(kOrigin + std::chrono::seconds(1)), 1);
  EXPECT_EQ(grid.slotsBefore(kOrigin + std::chrono::seconds(119)), 1);
  EXPECT_EQ(grid.slotsBefore(kOrigin + std::chrono::hours(1)), 10);
  EXPECT_EQ(grid.firstSlotFrom(kOrigin - std::chrono::hours(1)), 0);
}

TEST(TransferPlanner, EvenFillSpreadsOverTheWindow) {
  CapacityTable free(minutes(10), 1, 10'000);
  const TransferDemand demand{.routes = {{0}}, .megabits = 5 * 10'000 * 60.0, .end_slot = 10};
  auto plan = planTransfer(free, demand, TransferFill::Even);
  ASSERT_TRUE(plan) << plan.error().message();
  ASSERT_EQ(plan->rates.size(), 10u);
  for (const TransferRate& r : plan->rates) EXPECT_EQ(r.mbps, 5000u);
  EXPECT_DOUBLE_EQ(plan->megabits, demand.megabits);
  EXPECT_EQ(plan->finish_slot, 10);
}

TEST(TransferPlanner, EarliestFillFinishesFirst) {
  CapacityTable free(minutes(10), 1, 10'000);
  const TransferDemand demand{.routes = {{0}}, .megabits = 5 * 10'000 * 60.0, .end_slot = 10};
  auto plan = planTransfer(free, demand, TransferFill::Earliest);
  ASSERT_TRUE(plan);
  ASSERT_EQ(plan->rates.size(), 5u);
  EXPECT_EQ(plan->rates.back(), (TransferRate{0, 4, 10'000}));
  EXPECT_EQ(plan->finish_slot, 5);
}

TEST(TransferPlanner, FillsTheRouteWithTheMostRoomFirstAndSpillsTheRest) {
  CapacityTable free(minutes(4), 3, 10'000);
  for (int s = 0; s < 4; ++s) free.setFree(1, s, 4000);  // the first route's narrow fiber
  const TransferDemand demand{.routes = {{1}, {2}}, .megabits = 4 * 12'000 * 60.0, .end_slot = 4};
  auto plan = planTransfer(free, demand);
  ASSERT_TRUE(plan) << plan.error().message();
  std::uint64_t first = 0, second = 0;
  for (const TransferRate& r : plan->rates) (r.route == 0 ? first : second) += r.mbps;
  EXPECT_EQ(second, 4 * 10'000u);
  EXPECT_EQ(first, 4 * 2000u);
}

TEST(TransferPlanner, RoutesSharingAFiberStayWithinIt) {
  CapacityTable free(minutes(4), 3, 10'000);
  const TransferDemand demand{
      .routes = {{0, 1}, {0, 2}}, .megabits = 4 * 10'000 * 60.0, .end_slot = 4};
  auto plan = planTransfer(free, demand);
  ASSERT_TRUE(plan) << plan.error().message();
  for (const auto& [cell, mbps] : usage(demand, *plan))
    EXPECT_LE(mbps, free.freeMbps(cell.first, cell.second));
  TransferDemand more = demand;
  more.megabits += 60'000;
  EXPECT_FALSE(planTransfer(free, more));
}

TEST(TransferPlanner, RefusesWhatDoesNotFitAndSaysHowMuchDoes) {
  CapacityTable free(minutes(4), 2, 10'000);
  const TransferDemand demand{
      .routes = {{0}, {0, 1}}, .megabits = 4 * 12'000 * 60.0, .first_slot = 0, .end_slot = 4};
  auto plan = planTransfer(free, demand);
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().code(), StatusCode::ResourceExhausted);
  EXPECT_NE(plan.error().message().find("83.3%"), std::string::npos) << plan.error().message();
  EXPECT_NEAR(deliverableMegabits(free, demand), 4 * 10'000 * 60.0, 1e-6);
}

TEST(TransferPlanner, RejectsMalformedDemands) {
  CapacityTable free(minutes(4), 2, 10'000);
  EXPECT_FALSE(planTransfer(free, {.routes = {}, .megabits = 1, .end_slot = 4}));
  EXPECT_FALSE(planTransfer(free, {.routes = {{7}}, .megabits = 1, .end_slot = 4}));
  EXPECT_FALSE(planTransfer(free, {.routes = {{0}}, .megabits = 1, .end_slot = 5}));
  EXPECT_FALSE(planTransfer(free, {.routes = {{0}}, .megabits = 0, .end_slot = 4}));
  auto bad = planTransfer(free, {.routes = {{0}}, .megabits = 1, .first_slot = 3, .end_slot = 2});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), StatusCode::InvalidArgument);
}

// One fiber, four minutes, 10 Gb/s. An admitted transfer spread over the four minutes leaves
// no room for one due in two; admission moves the first to the last two minutes.
TEST(TransferAdmission, RearrangesAdmittedTransfersToMakeRoom) {
  CapacityTable free(minutes(4), 1, 10'000);
  AdmittedTransfer first{.demand = {.routes = {{0}}, .megabits = 2 * 10'000 * 60.0, .end_slot = 4}};
  auto plan = admitTransfer(free, {}, first.demand, 0);
  ASSERT_TRUE(plan);
  first.plan = *plan;
  EXPECT_EQ(first.plan.rates.size(), 4u);  // 5 Gb/s each minute
  const TransferDemand urgent{.routes = {{0}}, .megabits = 2 * 10'000 * 60.0, .end_slot = 2};
  auto second = admitTransfer(free, {&first}, urgent, 0);
  ASSERT_TRUE(second) << second.error().message();
  EXPECT_EQ(second->rates, (std::vector<TransferRate>{{0, 0, 10'000}, {0, 1, 10'000}}));
  EXPECT_EQ(first.plan.rates, (std::vector<TransferRate>{{0, 2, 10'000}, {0, 3, 10'000}}));
  for (int s = 0; s < 4; ++s) EXPECT_EQ(free.freeMbps(0, s), 0u);
}

// What has run cannot move: from minute 1 on, the first transfer already carried a quarter of
// its bytes, and the urgent one does not fit; nothing changes.
TEST(TransferAdmission, KeepsThePastAndChangesNothingWhenItCannotFit) {
  CapacityTable free(minutes(4), 1, 10'000);
  AdmittedTransfer first{.demand = {.routes = {{0}}, .megabits = 2 * 10'000 * 60.0, .end_slot = 4}};
  first.plan = *admitTransfer(free, {}, first.demand, 0);
  const TransferPlan before = first.plan;
  const TransferDemand urgent{
      .routes = {{0}}, .megabits = 2 * 10'000 * 60.0, .first_slot = 1, .end_slot = 3};
  auto refused = admitTransfer(free, {&first}, urgent, 1);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), StatusCode::ResourceExhausted);
  EXPECT_EQ(first.plan.rates, before.rates);
  for (int s = 0; s < 4; ++s) EXPECT_EQ(free.freeMbps(0, s), 5000u);
  // A smaller one (15 Gb/s for a minute, where 10 are free) fits once the first moves the rest
  // of its bytes out of the way.
  TransferDemand smaller = urgent;
  smaller.megabits = 15'000 * 60.0;
  ASSERT_FALSE(planTransfer(free, smaller));
  auto admitted = admitTransfer(free, {&first}, smaller, 1);
  ASSERT_TRUE(admitted) << admitted.error().message();
  EXPECT_EQ(first.plan.rates.front(), (TransferRate{0, 0, 5000}));  // the past as it ran
  double carried = 0;
  for (const TransferRate& r : first.plan.rates) carried += static_cast<double>(r.mbps) * 60;
  EXPECT_GE(carried, first.demand.megabits);
}

// Random tables and demands: every plan fits what is free, stays in its window and carries
// its bytes; taking and returning it leaves the table as it was.
TEST(TransferPlanner, PlansFitAndDeliverOnRandomTables) {
  std::mt19937_64 random(7);
  for (int round = 0; round < 300; ++round) {
    const int slots = 1 + static_cast<int>(random() % 30);
    const std::size_t resources = 1 + random() % 8;
    CapacityTable free(minutes(slots), resources, 0);
    for (std::size_t r = 0; r < resources; ++r) {
      for (int s = 0; s < slots; ++s) free.setFree(r, s, random() % 20 * 1000);
    }
    TransferDemand demand;
    for (std::size_t q = 0, n = 1 + random() % 4; q < n; ++q) {
      std::vector<std::uint32_t> route;
      for (std::uint32_t r = 0; r < resources; ++r) {
        if (random() % 2 == 0) route.push_back(r);
      }
      if (route.empty()) route.push_back(static_cast<std::uint32_t>(random() % resources));
      demand.routes.push_back(route);
    }
    demand.first_slot = static_cast<int>(random() % slots);
    demand.end_slot =
        demand.first_slot + 1 + static_cast<int>(random() % (slots - demand.first_slot));
    demand.megabits = 1 + static_cast<double>(random() % 400'000) * 60;
    const auto fill = random() % 2 == 0 ? TransferFill::Even : TransferFill::Earliest;
    auto plan = planTransfer(free, demand, fill);
    if (!plan) {
      EXPECT_LT(deliverableMegabits(free, demand), demand.megabits);
      continue;
    }
    EXPECT_GE(plan->megabits, demand.megabits);
    for (const auto& [cell, mbps] : usage(demand, *plan))
      ASSERT_LE(mbps, free.freeMbps(cell.first, cell.second));
    for (const TransferRate& r : plan->rates) {
      EXPECT_GE(r.slot, demand.first_slot);
      EXPECT_LT(r.slot, demand.end_slot);
      EXPECT_GT(r.mbps, 0u);
    }
    CapacityTable before = free;
    takePlan(free, demand, *plan);
    returnPlan(free, demand, *plan);
    for (std::size_t r = 0; r < resources; ++r) {
      for (int s = 0; s < slots; ++s) ASSERT_EQ(free.freeMbps(r, s), before.freeMbps(r, s));
    }
  }
}

}  // namespace
}  // namespace lightpath
