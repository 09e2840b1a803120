#include "lightpath/optical/spectrum.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

namespace lightpath {
namespace {

TEST(SpectrumGrid, CBandHolds384SlotsOnTheItuGrid) {
  auto grid = SpectrumGrid::forBand({191.3, 196.1});
  ASSERT_TRUE(grid);
  EXPECT_EQ(grid->slots(), 384u);
  // A 50 GHz channel (4 slots) starting at 193.1 THz - 25 GHz is centred on 193.1 THz: n = 0.
  const std::uint32_t first =
      static_cast<std::uint32_t>((193.1 - 0.025 - 191.3) * 1000 / 12.5 + 0.5);
  EXPECT_NEAR(grid->centreThz(first, 4), 193.1, 1e-9);
  EXPECT_EQ(grid->centreIndex(first, 4), 0);
  EXPECT_EQ(grid->centreIndex(first + 1, 4), 2);  // one slot up: +12.5 GHz = 2 x 6.25 GHz
}

TEST(SpectrumGrid, RejectsBadBands) {
  EXPECT_FALSE(SpectrumGrid::forBand({196.1, 191.3}));
  EXPECT_FALSE(SpectrumGrid::forBand({191.3001, 196.1}));     // edge off the 6.25 GHz raster
  EXPECT_FALSE(SpectrumGrid::forBand({191.3, 196.1}, 10.0));  // not a multiple of 6.25 GHz
  EXPECT_FALSE(SpectrumGrid::forBand({1.0, 200.0}));          // far more than kMaxSlots
  auto fixed = SpectrumGrid::forBand({191.3, 196.1}, 50.0);   // fixed 50 GHz grid
  ASSERT_TRUE(fixed);
  EXPECT_EQ(fixed->slots(), 96u);
}

TEST(SlotSearch, FindsBlocksAcrossWordBoundaries) {
  SlotMask mask(200, false);
  mask.setFree(60, 10, true);  // 60..69 spans words 0 and 1
  mask.setFree(100, 3, true);
  mask.setFree(150, 50, true);  // to the end
  const auto* w = mask.words().data();
  EXPECT_EQ(firstFit(w, 200, 3), 60u);
  EXPECT_EQ(firstFit(w, 200, 11), 150u);
  EXPECT_EQ(lastFit(w, 200, 3), 197u);
  EXPECT_EQ(bestFit(w, 200, 3), 100u);
  EXPECT_EQ(bestFit(w, 200, 3, true), 100u);
  EXPECT_EQ(bestFit(w, 200, 4, true), std::nullopt);
  EXPECT_EQ(firstFit(w, 200, 51), std::nullopt);
  EXPECT_EQ(placements(w, 200, 3), 8u + 1u + 48u);
  EXPECT_NEAR(fragmentation(w, 200), 1.0 - 50.0 / 63.0, 1e-12);
}

// Brute force over a random mask: every search agrees with the definition.
RC_GTEST_PROP(SlotSearch, AgreesWithBruteForce, ()) {
  const auto slots = *rc::gen::inRange<std::uint32_t>(1, 300);
  const auto count = *rc::gen::inRange<std::uint32_t>(1, 12);
  SlotMask mask(slots, false);
  for (std::uint32_t s = 0; s < slots; ++s) {
    if (*rc::gen::inRange(0, 4) != 0) mask.setFree(s, 1, true);
  }
  std::optional<std::uint32_t> first, last, best;
  std::uint32_t best_length = 0, total = 0;
  for (std::uint32_t s = 0; s < slots;) {
    if (!mask.isFree(s)) {
      ++s;
      continue;
    }
    std::uint32_t e = s;
    while (e < slots && mask.isFree(e)) ++e;
    const std::uint32_t length = e - s;
    if (length >= count) {
      if (!first) first = s;
      last = e - count;
      if (!best || length < best_length) best = s, best_length = length;
      total += length - count + 1;
    }
    s = e;
  }
  const auto* w = mask.words().data();
  RC_ASSERT(firstFit(w, slots, count) == first);
  RC_ASSERT(lastFit(w, slots, count) == last);
  RC_ASSERT(bestFit(w, slots, count) == best);
  RC_ASSERT(placements(w, slots, count) == total);
  if (first) RC_ASSERT(mask.allFree(*first, count));
}

}  // namespace
}  // namespace lightpath
