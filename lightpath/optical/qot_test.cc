#include "lightpath/optical/qot.h"

#include <gtest/gtest.h>

#include <cmath>

#include "lightpath/optical/lightpath_plan.h"

namespace lightpath {
namespace {

std::shared_ptr<const Topology> line(std::vector<double> km, std::vector<bool> regen = {}) {
  TopologyBuilder b;
  for (std::size_t i = 0; i <= km.size(); ++i) {
    const std::string id = "n" + std::to_string(i);
    b.addSite({.id = id});
    b.addNode({.id = id, .site = id, .regeneration = regen.empty() || regen[i]});
  }
  for (std::size_t i = 0; i < km.size(); ++i) {
    b.addFiber({.id = "f" + std::to_string(i),
                .a = "n" + std::to_string(i),
                .b = "n" + std::to_string(i + 1),
                .length = Km(km[i])});
  }
  return std::make_shared<const Topology>(*std::move(b).build());
}

std::vector<FiberIndex> all(const Topology& t) {
  std::vector<FiberIndex> f(t.fibers().size());
  for (FiberIndex i = 0; i < f.size(); ++i) f[i] = i;
  return f;
}

TEST(Qot, OptimalLaunchPutsAseAtTwiceTheNli) {
  LineSystem ls;
  const SpanNoise n = spanNoise(80, 16, 32, ls);
  const double p = std::cbrt(n.ase_w / (2 * n.eta));
  EXPECT_NEAR(n.ase_w / (n.eta * p * p * p), 2.0, 1e-9);
  // A plausible optimum: around 0 dBm per 32 GBd channel on 80 km of SSMF.
  EXPECT_GT(10 * std::log10(p * 1000), -3.0);
  EXPECT_LT(10 * std::log10(p * 1000), 4.0);
}

TEST(Qot, DoublingTheSpansCostsAbout3Db) {
  LineSystem ls;
  ls.tx_osnr_db = 99;  // isolate the line
  ls.roadm_osnr_db = 99;
  auto ten = line(std::vector<double>(10, 80.0));
  auto twenty = line(std::vector<double>(20, 80.0));
  const QotEstimate a = estimateGsnr(*ten, all(*ten), 32, ls);
  const QotEstimate b = estimateGsnr(*twenty, all(*twenty), 32, ls);
  EXPECT_EQ(a.spans, 10);
  EXPECT_NEAR(a.gsnr.value() - b.gsnr.value(), 10 * std::log10(2.0), 0.05);
  // 800 km of SSMF at the optimum: high teens to mid twenties of dB in 0.1 nm.
  EXPECT_GT(a.gsnr.value(), 17.0);
  EXPECT_LT(a.gsnr.value(), 27.0);
}

TEST(Qot, LongFibersAreCutIntoSpans) {
  LineSystem ls;
  auto one = line({400});
  EXPECT_EQ(estimateGsnr(*one, all(*one), 32, ls).spans, 5);
}

std::vector<TransceiverSpec> catalog() {
  return {{.id = "qpsk",
           .name = "100G QPSK",
           .line_rate = Gbps(100),
           .baud_gbd = 32,
           .slot_width = GHz(50),
           .min_gsnr = Db(12),
           .reach = Km(5000)},
          {.id = "16qam",
           .name = "400G 16QAM",
           .line_rate = Gbps(400),
           .baud_gbd = 64,
           .slot_width = GHz(75),
           .min_gsnr = Db(21),
           .reach = Km(1500)},
          {.id = "pcs",
           .name = "400G PCS",
           .line_rate = Gbps(400),
           .baud_gbd = 90,
           .slot_width = GHz(100),
           .min_gsnr = Db(16),
           .reach = Km(3000)}};
}

std::vector<NodeIndex> nodes(const Topology& t) {
  std::vector<NodeIndex> n(t.nodes().size());
  for (NodeIndex i = 0; i < n.size(); ++i) n[i] = i;
  return n;
}

TEST(LightpathPlan, PicksTheDensestModeThatReads) {
  LineSystem ls;
  auto t = line({80, 80, 80});
  const auto trx = catalog();
  auto plan = planLightpath(*t, nodes(*t), all(*t), Gbps(400), trx, ls);
  ASSERT_TRUE(plan) << plan.error().toString();
  EXPECT_EQ(plan->regenerators(), 0u);
  EXPECT_EQ(plan->transceiver->id, "16qam");
}

TEST(LightpathPlan, RegeneratesWhereAllowedWithFewestRegenerators) {
  LineSystem ls;
  // 40 x 100 km: beyond every 400G mode's reach in one piece.
  std::vector<double> km(40, 100.0);
  std::vector<bool> regen(41, false);
  for (std::size_t i = 5; i < 41; i += 5) regen[i] = true;  // every 500 km
  auto t = line(km, regen);
  const auto trx = catalog();
  auto plan = planLightpath(*t, nodes(*t), all(*t), Gbps(400), trx, ls);
  ASSERT_TRUE(plan) << plan.error().toString();
  for (std::size_t s = 0; s + 1 < plan->segments.size(); ++s) {
    EXPECT_TRUE(t->node(plan->segments[s].to).regeneration);  // only where allowed
  }
  EXPECT_EQ(plan->segments.front().from, 0u);
  EXPECT_EQ(plan->segments.back().to, 40u);
  // No mode reaches more than 3,000 km of the 4,000: one regenerator at least, and the greedy
  // plan needs no more.
  EXPECT_EQ(plan->regenerators(), 1u);
  EXPECT_EQ(plan->transceiver->id, "pcs");
  auto none = planLightpath(*t, nodes(*t), all(*t), Gbps(800), trx, ls);
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message().find("no transceiver in the catalog runs at 800"),
            std::string::npos);
}

TEST(LightpathPlan, SaysWhyWhenNoNodeAllowsRegeneration) {
  LineSystem ls;
  auto t = line(std::vector<double>(40, 100.0), std::vector<bool>(41, false));
  auto plan = planLightpath(*t, nodes(*t), all(*t), Gbps(400), catalog(), ls);
  ASSERT_FALSE(plan);
  EXPECT_NE(plan.error().message().find("allows regeneration"), std::string::npos)
      << plan.error().message();
}

}  // namespace
}  // namespace lightpath
