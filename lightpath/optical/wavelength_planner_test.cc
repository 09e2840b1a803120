#include "lightpath/optical/wavelength_planner.h"

#include <gtest/gtest.h>

#include <set>

#include "lightpath/io/demo_network.h"

namespace lightpath {
namespace {

struct Demo {
  std::shared_ptr<const Topology> topology = std::make_shared<const Topology>(*loadDemoNetwork());
  PathEngine engine{topology};
  WavelengthPlanner planner{engine, *loadTransceiverCatalog(), defaultEquipment()};
  FiberSpectrum spectrum{static_cast<std::uint32_t>(topology->fibers().size()), 384};
  PathWorkspace ws;
  NodeIndex node(const char* name) { return *engine.resolveNode(name); }
};

TEST(WavelengthPlanner, PlansRouteModeRegeneratorsAndSpectrum) {
  Demo d;
  auto plan = d.planner.plan(
      {.from = d.node("dc-ashburn"), .to = d.node("dc-santa-clara"), .line_rate = Gbps(200)},
      d.spectrum, d.ws);
  ASSERT_TRUE(plan) << plan.error().toString();
  EXPECT_EQ(plan->transceiver->line_rate, Gbps(200));
  ASSERT_FALSE(plan->segments.empty());
  // Coast to coast needs regeneration at 200G; every segment reads with margin.
  EXPECT_GE(plan->segments.size(), 2u);
  for (const PlannedSegment& s : plan->segments) {
    EXPECT_GE(s.lightpath.qot.gsnr.value(),
              plan->transceiver->min_gsnr.value() + defaultEquipment().load.sys_margins_db);
    EXPECT_EQ(s.slots, 6u);  // 75 GHz
  }
  EXPECT_EQ(plan->segments.front().lightpath.from, 0u);
  EXPECT_EQ(plan->segments.back().lightpath.to, plan->route.fibers.size());
}

TEST(WavelengthPlanner, FillsSpectrumWithoutOverlapThenSaysWhy) {
  Demo d;
  const NodeIndex a = d.node("dc-abilene"), z = d.node("dc-fort-worth");
  std::vector<WavelengthPlan> plans;
  std::set<std::pair<FiberIndex, std::uint32_t>> taken;
  for (int i = 0; i < 200; ++i) {
    auto plan =
        d.planner.plan({.from = a, .to = z, .line_rate = Gbps(400), .k = 3}, d.spectrum, d.ws);
    if (!plan) {
      EXPECT_EQ(plan.error().code(), StatusCode::FailedPrecondition);
      EXPECT_NE(plan.error().message().find("no wavelength of 400 Gb/s"), std::string::npos)
          << plan.error().message();
      break;
    }
    for (const PlannedSegment& s : plan->segments) {
      for (std::size_t f = s.lightpath.from; f < s.lightpath.to; ++f) {
        for (std::uint32_t slot = s.first_slot; slot < s.first_slot + s.slots; ++slot) {
          EXPECT_TRUE(taken.insert({plan->route.fibers[f], slot}).second) << "slot given twice";
        }
      }
    }
    WavelengthPlanner::occupy(*plan, d.spectrum);
    plans.push_back(*plan);
  }
  // Two 2-fiber homing routes and a few more: more than 64 x 6-slot channels, fewer than 200.
  EXPECT_GT(plans.size(), 64u);
  EXPECT_LT(plans.size(), 200u);
  for (const WavelengthPlan& p : plans) WavelengthPlanner::release(p, d.spectrum);
  for (FiberIndex f = 0; f < d.topology->fibers().size(); ++f)
    EXPECT_EQ(d.spectrum.freeCapacity(f), 384);
}

TEST(WavelengthPlanner, RejectsUnknownRates) {
  Demo d;
  auto plan = d.planner.plan(
      {.from = d.node("dc-abilene"), .to = d.node("dc-memphis"), .line_rate = Gbps(1600)},
      d.spectrum, d.ws);
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().code(), StatusCode::InvalidArgument);
}

}  // namespace
}  // namespace lightpath
