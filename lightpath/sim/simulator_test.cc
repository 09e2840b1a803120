#include "lightpath/sim/simulator.h"

#include <gtest/gtest.h>

#include "lightpath/sim/plot.h"
#include "lightpath/sim/presets.h"

namespace lightpath {
namespace {

SimulationSetup nsfnet(std::uint64_t requests = 30000) {
  auto preset = presetSetup("deeprmsa-nsfnet");
  EXPECT_TRUE(preset);
  SimulationSetup setup = preset->first;
  setup.requests = requests;
  return setup;
}

std::vector<RunResult> runs(const Simulator& sim, RsaPolicy policy, double load, int seeds) {
  std::vector<RunResult> out;
  for (int s = 1; s <= seeds; ++s)
    out.push_back(sim.run(policy, load, static_cast<std::uint64_t>(s)));
  return out;
}

TEST(Simulator, SameSeedSameRun) {
  auto sim = Simulator::create(nsfnet(20000));
  ASSERT_TRUE(sim);
  const RunResult a = (*sim)->run(RsaPolicy::KspFirstFit, 250, 7);
  const RunResult b = (*sim)->run(RsaPolicy::KspFirstFit, 250, 7);
  const RunResult c = (*sim)->run(RsaPolicy::KspFirstFit, 250, 8);
  EXPECT_EQ(a.blocked, b.blocked);
  EXPECT_EQ(a.batch_blocking, b.batch_blocking);
  EXPECT_NE(a.blocked, c.blocked);
  EXPECT_EQ(a.requests, 20000u);
  EXPECT_EQ(a.batch_blocking.size(), 10u);
}

// Fiber cuts take availability down; restoring hit demands on another of their routes wins
// most of it back; the traffic itself is drawn the same with and without cuts.
TEST(Simulator, FiberCutsCostAvailabilityAndRestorationWinsItBack) {
  SimulationSetup setup = nsfnet(20000);
  auto plain = Simulator::create(setup);
  setup.failures = {.cuts_per_1000km_year = 4, .repair_hours = 24, .holding_hours = 730};
  auto restoring = Simulator::create(setup);
  setup.failures.restore = false;
  auto waiting = Simulator::create(setup);
  ASSERT_TRUE(plain && restoring && waiting);
  const RunResult none = (*plain)->run(RsaPolicy::KspFirstFit, 250, 3);
  const RunResult restored = (*restoring)->run(RsaPolicy::KspFirstFit, 250, 3);
  const RunResult waited = (*waiting)->run(RsaPolicy::KspFirstFit, 250, 3);
  EXPECT_EQ(none.availability, 1.0);
  EXPECT_EQ(none.cuts, 0u);
  EXPECT_GT(restored.cuts, 10u);
  EXPECT_EQ(restored.cuts, waited.cuts);  // cuts have their own generator
  EXPECT_GT(restored.hit, 0u);
  EXPECT_GT(restored.restored, restored.hit / 2);
  EXPECT_EQ(waited.restored, 0u);
  EXPECT_LT(waited.availability, 0.999);
  EXPECT_GT(restored.availability, waited.availability);
  // Without restoration, what happened is what the counterfactual of the restoring run says
  // (to within demands cut twice).
  EXPECT_NEAR(waited.availability, waited.availability_unrestored, 1e-3);
  EXPECT_LT(restored.availability_unrestored, restored.availability);
  EXPECT_EQ((*restoring)->run(RsaPolicy::KspFirstFit, 250, 3).availability, restored.availability);
}

// The orderings the literature establishes, with 95% confidence intervals that must not
// overlap: random assignment blocks more than first-fit; spectrum conversion at every node
// (no continuity constraint) blocks less than first-fit with continuity.
TEST(Simulator, BlockingOrderingOfTheLiterature) {
  auto sim = Simulator::create(nsfnet());
  ASSERT_TRUE(sim);
  const Estimate first_fit = blockingEstimate(runs(**sim, RsaPolicy::FirstFit, 250, 5));
  const Estimate random = blockingEstimate(runs(**sim, RsaPolicy::Random, 250, 5));
  EXPECT_GT(random.mean - random.ci95, first_fit.mean + first_fit.ci95)
      << "random " << random.mean << " +- " << random.ci95 << ", first-fit " << first_fit.mean
      << " +- " << first_fit.ci95;

  SimulationSetup converting = nsfnet();
  converting.spectrum_conversion = true;
  auto conversion_sim = Simulator::create(converting);
  ASSERT_TRUE(conversion_sim);
  const Estimate conversion = blockingEstimate(runs(**conversion_sim, RsaPolicy::FirstFit, 250, 5));
  EXPECT_LT(conversion.mean + conversion.ci95, first_fit.mean - first_fit.ci95)
      << "conversion " << conversion.mean << " +- " << conversion.ci95;

  // More load, more blocking.
  const Estimate heavier = blockingEstimate(runs(**sim, RsaPolicy::FirstFit, 350, 5));
  EXPECT_GT(heavier.mean - heavier.ci95, first_fit.mean + first_fit.ci95);
}

TEST(Simulator, OursBeatsKspFirstFitOnDeepRmsaNsfnet) {
  auto sim = Simulator::create(nsfnet());
  ASSERT_TRUE(sim);
  const Estimate ksp = blockingEstimate(runs(**sim, RsaPolicy::KspFirstFit, 250, 5));
  const Estimate ours = blockingEstimate(runs(**sim, RsaPolicy::KspLeastCost, 250, 5));
  EXPECT_LT(ours.mean + ours.ci95, ksp.mean - ksp.ci95)
      << "ksp-lc " << ours.mean << " +- " << ours.ci95 << ", ksp-ff " << ksp.mean << " +- "
      << ksp.ci95;
}

TEST(Simulator, RegeneratedRoutesCarryTraffic) {
  auto preset = presetSetup("conus-c-band");
  ASSERT_TRUE(preset);
  SimulationSetup setup = preset->first;
  setup.requests = 5000;
  auto sim = Simulator::create(setup);
  ASSERT_TRUE(sim);
  const RunResult r = (*sim)->run(RsaPolicy::KspFirstFit, 10, 1);
  // At a light load almost everything fits, coast to coast included.
  EXPECT_LT(r.blocking, 0.01);
}

TEST(Simulator, RejectsSetupsThatCannotRun) {
  SimulationSetup setup = nsfnet();
  setup.slots = 0;
  EXPECT_FALSE(Simulator::create(setup));
  setup = nsfnet();
  setup.traffic.bitrates_gbps.clear();
  EXPECT_FALSE(Simulator::create(setup));
  setup = nsfnet();
  setup.traffic.pair_weights = {1, 2, 3};
  auto bad = Simulator::create(setup);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("traffic matrix has 3 entries"), std::string::npos);
  setup.traffic.pair_weights.assign(14 * 14, 0.0);
  EXPECT_FALSE(Simulator::create(setup));
}

TEST(Plot, DrawsEverySeriesWithALegend) {
  const std::string svg =
      blockingPlotSvg("NSFNET <test>", {{"ksp-ff", {{200, 0.01, 0.001}, {250, 0.04, 0.002}}},
                                        {"ksp-lc", {{200, 0.008, 0.001}, {250, 0.035, 0.002}}}});
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  EXPECT_NE(svg.find("NSFNET &lt;test&gt;"), std::string::npos);
  std::size_t lines = 0;
  for (std::size_t at = svg.find("<polyline"); at != std::string::npos;
       at = svg.find("<polyline", at + 1))
    ++lines;
  EXPECT_EQ(lines, 2u);
  EXPECT_NE(svg.find(">ksp-ff</text>"), std::string::npos);
  EXPECT_NE(svg.find(">ksp-lc</text>"), std::string::npos);
  EXPECT_NE(svg.find("1e-3"), std::string::npos);  // a log axis
}

}  // namespace
}  // namespace lightpath
