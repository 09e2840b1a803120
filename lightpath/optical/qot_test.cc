#include "lightpath/optical/qot.h"

#include <gtest/gtest.h>

#include <cmath>

#include "lightpath/io/demo_network.h"
#include "lightpath/optical/lightpath_plan.h"
#include "lightpath/optical/propagation.h"

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

const OpticalEquipment& eq() { return defaultEquipment(); }

TEST(LineDesign, CutsLongFibersAsGnpyDoes) {
  const SpanRules& rules = eq().span;
  EXPECT_EQ(spanSplit(149, rules).first, 1);  // below max_length: one span
  // 444.2 km (Seattle - Spokane in CORONET): 4 x 111 km or 5 x 88.8 km; 88.8 is nearer 90.
  auto [n, km] = spanSplit(444.2, rules);
  EXPECT_EQ(n, 5);
  EXPECT_NEAR(km, 88.84, 0.01);
  // 400 km: 4 x 100 and 5 x 80 are equally far from 90; GNPy keeps the fewer spans.
  EXPECT_EQ(spanSplit(400, rules).first, 4);
}

TEST(LineDesign, PadsShortSpansAndSetsPowerFromSpanLoss) {
  Fiber short_fiber{.id = "s", .a = "a", .b = "b", .length = Km(20)};
  auto design = designOms(short_fiber, eq());
  ASSERT_TRUE(design);
  ASSERT_EQ(design->spans.size(), 1u);
  EXPECT_NEAR(design->spans[0].att_in_db, 6.0, 1e-9);  // 4 dB of fiber padded to 10 dB
  EXPECT_NEAR(design->spans[0].lossDb(), 10.0, 1e-9);
  // dP = 0.3 x (10 - 20) = -3, clamped to -2; the preamp returns to the reference power.
  EXPECT_DOUBLE_EQ(design->booster.delta_p_db, -2.0);
  EXPECT_DOUBLE_EQ(design->amplifiers.back().delta_p_db, 0.0);
  EXPECT_NEAR(design->booster.gain_db, 18.0, 1e-9);  // from the ROADM's -20 dBm to -2 dBm

  // 88.84 km spans (17.77 dB): GNPy puts std_low_gain inline at 17.77 dB gain, NF 6.43 dB,
  // and std_medium_gain as the booster at 19.5 dB, NF 6.73 dB (its transmission example).
  Fiber long_fiber{.id = "l", .a = "a", .b = "b", .length = Km(444.2)};
  auto spokane = designOms(long_fiber, eq());
  ASSERT_TRUE(spokane);
  EXPECT_EQ(spokane->booster.model->type_variety, "std_medium_gain");
  EXPECT_NEAR(spokane->booster.gain_db, 19.5, 1e-9);
  EXPECT_NEAR(noiseFigureDb(eq(), *spokane->booster.model, 19.5), 6.73, 0.005);
  EXPECT_EQ(spokane->amplifiers[0].model->type_variety, "std_low_gain");
  EXPECT_NEAR(spokane->amplifiers[0].gain_db, 17.77, 0.005);
  EXPECT_NEAR(noiseFigureDb(eq(), *spokane->amplifiers[0].model, 17.77), 6.43, 0.005);
}

TEST(LineDesign, AFibersOwnLossIsSpreadOverItsSpans) {
  Fiber lossy{.id = "x", .a = "a", .b = "b", .length = Km(200), .loss = Db(60)};
  auto design = designOms(lossy, eq());
  ASSERT_TRUE(design);
  ASSERT_EQ(design->spans.size(), 2u);
  EXPECT_NEAR(design->spans[0].lossDb(), 30.0, 1e-9);
}

TEST(LineDesign, TakesTheSpansAndAmplifiersATopologyGives) {
  // Spans as GNPy would cut them: the same noise as the design's own.
  Fiber cut{.id = "c", .a = "a", .b = "b", .length = Km(444.2)};
  Fiber laid = cut;
  for (int i = 0; i < 5; ++i) laid.spans.push_back({Km(88.84), Db(88.84 * 0.2), ""});
  const FiberNoise auto_noise = fiberNoise(cut, 32, 0, eq());
  const FiberNoise laid_noise = fiberNoise(laid, 32, 0, eq());
  EXPECT_NEAR(laid_noise.ase, auto_noise.ase, 1e-9);
  EXPECT_NEAR(laid_noise.nli, auto_noise.nli, 1e-9);
  // Uneven spans and a named amplifier are used as given.
  Fiber uneven{.id = "u", .a = "a", .b = "b", .length = Km(150)};
  uneven.spans = {{Km(30), Db(6), "std_medium_gain"}, {Km(120), Db(26), ""}};
  auto design = designOms(uneven, eq());
  ASSERT_TRUE(design);
  ASSERT_EQ(design->spans.size(), 2u);
  EXPECT_NEAR(design->spans[0].lossDb(), 10.0, 1e-9);  // padded
  EXPECT_NEAR(design->spans[1].lossDb(), 26.0, 1e-9);
  EXPECT_EQ(design->amplifiers[0].model->type_variety, "std_medium_gain");
  // An amplifier the library lacks is refused, naming the fiber and the span.
  uneven.spans[1].amplifier = "ghost";
  auto refused = designOms(uneven, eq());
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message().find("fiber 'u', span 1: amplifier 'ghost' is not in"),
            std::string::npos)
      << refused.error().message();
  TopologyBuilder b;
  for (const char* id : {"a", "b"}) {
    b.addSite({.id = id});
    b.addNode({.id = id, .site = id});
  }
  b.addFiber(uneven);
  auto with_ghost = std::move(b).build();
  ASSERT_TRUE(with_ghost) << with_ghost.error().toString();
  EXPECT_FALSE(checkLineDesign(*with_ghost, eq()).isOk());
  EXPECT_TRUE(checkLineDesign(*line({80, 400}), eq()).isOk());
}

TEST(Qot, MoreSpansMoreNoise) {
  auto ten = line(std::vector<double>(10, 80.0));
  auto twenty = line(std::vector<double>(20, 80.0));
  const QotEstimate a = estimateGsnr(*ten, all(*ten), 32, eq());
  const QotEstimate b = estimateGsnr(*twenty, all(*twenty), 32, eq());
  EXPECT_EQ(a.spans, 10);
  // Twice the line noise: about 3 dB, a little less for the terminals' unchanged share, a
  // little more because noise compounds (each amplifier sees a signal already diluted).
  EXPECT_GT(a.gsnr.value() - b.gsnr.value(), 2.5);
  EXPECT_LT(a.gsnr.value() - b.gsnr.value(), 3.3);
  // Signal bandwidth = 0.1 nm figure - 10 log10(32 / 12.5).
  EXPECT_NEAR(a.gsnr.value() - a.gsnr_signal.value(), 10 * std::log10(32 / 12.5), 1e-9);
  EXPECT_GT(a.osnr_ase.value(), a.gsnr.value());
}

TEST(Qot, NoiseAddsAlongARouteExactly) {
  // Per-fiber noise from the table sums to the route's: what prefix sums rely on.
  auto t = line({300, 120, 700});
  FiberNoise sum;
  for (const Fiber& f : t->fibers()) sum += fiberNoise(f, 32, 0, eq());
  const QotEstimate whole = estimateGsnr(*t, all(*t), 32, eq());
  EXPECT_NEAR(combineNoise(sum, 32, eq()).gsnr.value(), whole.gsnr.value(), 1e-12);
}

TEST(Qot, TheCombAverageIsNeverOptimistic) {
  // Against the mean over channels of per-channel GSNR in dB (what GNPy reports), the figure
  // from the comb-averaged noise is lower or equal (convexity), and within 0.05 dB.
  Fiber fiber{.id = "f", .a = "a", .b = "b", .length = Km(2000)};
  auto design = designOms(fiber, eq());
  ASSERT_TRUE(design);
  const ChannelComb comb = channelComb(eq().load, 32, 0);
  ASSERT_EQ(comb.frequency_hz.size(), 76u);  // 191.35-195.1 THz at 50 GHz
  const OmsNoise noise = propagateOms(*design, comb, eq());
  double mean_db = 0;
  for (std::size_t i = 0; i < comb.frequency_hz.size(); ++i) {
    mean_db += combineNoise({noise.ase[i], noise.nli[i], 0}, 32, eq()).gsnr.value();
  }
  mean_db /= static_cast<double>(comb.frequency_hz.size());
  const double averaged = combineNoise(fiberNoise(fiber, 32, 0, eq()), 32, eq()).gsnr.value();
  EXPECT_LE(averaged, mean_db + 1e-12);
  EXPECT_GT(averaged, mean_db - 0.05);
  // The centre channel sees more NLI than the edges.
  EXPECT_GT(noise.nli[38], noise.nli[0]);
}

TEST(Qot, WiderSignalsCarryFewerChannels) {
  const ChannelComb comb = channelComb(eq().load, 66, 75);
  EXPECT_EQ(comb.frequency_hz.size(), 50u);
  EXPECT_DOUBLE_EQ(comb.spacing_hz, 75e9);
}

std::vector<TransceiverSpec> catalog() {
  return {{.id = "qpsk",
           .name = "100G QPSK",
           .line_rate = Gbps(100),
           .baud_gbd = 32,
           .slot_width = GHz(50),
           .min_gsnr = Db(12),
           .reach = Km(10000)},
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
  auto t = line({80, 80, 80});
  const auto trx = catalog();
  auto plan = planLightpath(*t, nodes(*t), all(*t), Gbps(400), trx, eq());
  ASSERT_TRUE(plan) << plan.error().toString();
  EXPECT_EQ(plan->regenerators(), 0u);
  EXPECT_EQ(plan->transceiver->id, "16qam");
}

TEST(LightpathPlan, EncryptedLightTakesOnlyModesThatEncrypt) {
  auto t = line({80, 80, 80});
  auto trx = catalog();
  for (auto& m : trx) m.layer1_encryption = m.id == "pcs";  // 16QAM would be chosen otherwise
  auto plain = planLightpath(*t, nodes(*t), all(*t), Gbps(400), trx, eq());
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->transceiver->id, "16qam");
  auto encrypted = planLightpath(*t, nodes(*t), all(*t), Gbps(400), trx, eq(), nullptr, true);
  ASSERT_TRUE(encrypted) << encrypted.error().toString();
  EXPECT_EQ(encrypted->transceiver->id, "pcs");
  for (auto& m : trx) m.layer1_encryption = false;
  auto none = planLightpath(*t, nodes(*t), all(*t), Gbps(400), trx, eq(), nullptr, true);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code(), StatusCode::InvalidArgument);
  EXPECT_NE(none.error().message().find("encrypts at layer 1"), std::string::npos);
}

TEST(LightpathPlan, TheMarginDecides) {
  // A route that the 16QAM mode reads with 2 dB of margin but not with 6.
  auto t = line({80, 80, 80});
  const auto trx = catalog();
  OpticalEquipment strict = eq();
  const double gsnr = estimateGsnr(*t, all(*t), trx[1], strict).gsnr.value();
  ASSERT_GT(gsnr, 21 + 2);
  strict.load.sys_margins_db = gsnr - 21 + 0.1;
  auto plan = planLightpath(*t, nodes(*t), all(*t), Gbps(400), trx, strict);
  ASSERT_TRUE(plan) << plan.error().toString();
  EXPECT_EQ(plan->transceiver->id, "pcs");
}

TEST(LightpathPlan, RegeneratesWhereAllowedWithFewestRegenerators) {
  // 40 x 100 km: beyond every 400G mode's reach in one piece.
  std::vector<double> km(40, 100.0);
  std::vector<bool> regen(41, false);
  for (std::size_t i = 5; i < 41; i += 5) regen[i] = true;  // every 500 km
  auto t = line(km, regen);
  const auto trx = catalog();
  auto plan = planLightpath(*t, nodes(*t), all(*t), Gbps(400), trx, eq());
  ASSERT_TRUE(plan) << plan.error().toString();
  for (std::size_t s = 0; s + 1 < plan->segments.size(); ++s) {
    EXPECT_TRUE(t->node(plan->segments[s].to).regeneration);  // only where allowed
  }
  EXPECT_EQ(plan->segments.front().from, 0u);
  EXPECT_EQ(plan->segments.back().to, 40u);
  for (const LightpathSegment& s : plan->segments) {
    EXPECT_GE(s.qot.gsnr.value(), plan->transceiver->min_gsnr.value() + 2);
  }
  EXPECT_GE(plan->regenerators(), 1u);
  auto none = planLightpath(*t, nodes(*t), all(*t), Gbps(800), trx, eq());
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message().find("no transceiver in the catalog runs at 800"),
            std::string::npos);
}

TEST(LightpathPlan, SaysWhyAndByHowMuch) {
  auto t = line(std::vector<double>(40, 100.0), std::vector<bool>(41, false));
  auto plan = planLightpath(*t, nodes(*t), all(*t), Gbps(400), catalog(), eq());
  ASSERT_FALSE(plan);
  EXPECT_NE(plan.error().message().find("allows regeneration"), std::string::npos)
      << plan.error().message();
  // One fiber too long for any 400G mode: the reason names it and the shortfall.
  auto far = line({150, 150}, {true, true, true});
  OpticalEquipment strict = eq();
  strict.load.sys_margins_db = 15;
  auto refused = planLightpath(*far, nodes(*far), all(*far), Gbps(400), catalog(), strict);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message().find("short by"), std::string::npos)
      << refused.error().message();
}

}  // namespace
}  // namespace lightpath
