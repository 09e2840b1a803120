// The flexible spectrum grid (ITU-T G.694.1): 12.5 GHz slots, centre frequencies at
// 193.1 THz + n x 6.25 GHz, and slot occupancy as bit masks (1 = free), the form every slot
// search works on.
//
//   SpectrumGrid grid = *SpectrumGrid::forBand({191.3, 196.1});   // C-band: 384 slots
//   SlotMask free(grid.slots(), true);
//   free.andWith(other_fiber);                                     // spectrum continuity
//   std::optional<std::uint32_t> first = firstFit(free.words(), grid.slots(), 4);
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "lightpath/base/status.h"
#include "lightpath/model/elements.h"

namespace lightpath {

inline constexpr double kSlotWidthGHz = 12.5;
inline constexpr double kGridAnchorTHz = 193.1;
inline constexpr double kCentreStepGHz = 6.25;
inline constexpr std::uint32_t kMaxSlots = 4096;  // 51 THz: every band from O to U

// The slots a band holds, and where each one sits.
class SpectrumGrid {
 public:
  // Slots of `slot_ghz` filling [start, end) from its low edge. Fails on an empty band, a
  // band whose edges do not sit on the 6.25 GHz centre raster, or more than kMaxSlots.
  static Result<SpectrumGrid> forBand(SpectrumBand band, double slot_ghz = kSlotWidthGHz);

  std::uint32_t slots() const { return slots_; }
  double slotGHz() const { return slot_ghz_; }
  double startThz() const { return start_thz_; }
  // Centre frequency of a channel made of slots [first, first + count).
  double centreThz(std::uint32_t first, std::uint32_t count) const {
    return start_thz_ + (first + count / 2.0) * slot_ghz_ / 1000.0;
  }
  // The G.694.1 index n of that centre: f = 193.1 THz + n x 6.25 GHz.
  std::int64_t centreIndex(std::uint32_t first, std::uint32_t count) const;

 private:
  double start_thz_ = 191.3;
  double slot_ghz_ = kSlotWidthGHz;
  std::uint32_t slots_ = 0;
};

// Free/used slots of one fiber (or of a path, after and-ing its fibers). Bit i = slot i; 1 =
// free. Bits past `slots` are always 0.
class SlotMask {
 public:
  SlotMask() = default;
  SlotMask(std::uint32_t slots, bool free);

  std::uint32_t slots() const { return slots_; }
  std::span<const std::uint64_t> words() const { return words_; }
  std::span<std::uint64_t> words() { return words_; }
  bool isFree(std::uint32_t slot) const { return (words_[slot >> 6] >> (slot & 63)) & 1; }
  bool allFree(std::uint32_t first, std::uint32_t count) const;
  void setFree(std::uint32_t first, std::uint32_t count, bool free);
  void andWith(const SlotMask& other);
  std::uint32_t freeCount() const;

 private:
  std::uint32_t slots_ = 0;
  std::vector<std::uint64_t> words_;
};

inline std::uint32_t wordsFor(std::uint32_t slots) { return (slots + 63) / 64; }

// Calls fn(first, length) for each maximal run of free slots, low to high; stops early when fn
// returns false.
template <typename Fn>
void forEachFreeRun(const std::uint64_t* free, std::uint32_t slots, Fn&& fn) {
  std::uint32_t i = 0;
  while (i < slots) {
    // Skip used slots a word at a time.
    std::uint64_t w = free[i >> 6] >> (i & 63);
    if (w == 0) {
      i = (i | 63) + 1;
      continue;
    }
    i += static_cast<std::uint32_t>(__builtin_ctzll(w));
    if (i >= slots) return;
    const std::uint32_t start = i;
    // Count free slots a word at a time.
    for (;;) {
      std::uint64_t u = ~(free[i >> 6] >> (i & 63));
      const std::uint32_t left_in_word = 64 - (i & 63);
      std::uint32_t run = u == 0 ? left_in_word : static_cast<std::uint32_t>(__builtin_ctzll(u));
      if (run > left_in_word) run = left_in_word;
      i += run;
      if (run < left_in_word || i >= slots) break;
    }
    if (i > slots) i = slots;
    if (!fn(start, i - start)) return;
  }
}

// The lowest first slot of `count` contiguous free slots, if any.
std::optional<std::uint32_t> firstFit(const std::uint64_t* free, std::uint32_t slots,
                                      std::uint32_t count);
// The highest.
std::optional<std::uint32_t> lastFit(const std::uint64_t* free, std::uint32_t slots,
                                     std::uint32_t count);
// The start of the smallest free run that fits (lowest on ties): best-fit. exact_only: only a
// run of exactly `count` (exact-fit).
std::optional<std::uint32_t> bestFit(const std::uint64_t* free, std::uint32_t slots,
                                     std::uint32_t count, bool exact_only = false);
// How many distinct placements of `count` slots fit.
std::uint32_t placements(const std::uint64_t* free, std::uint32_t slots, std::uint32_t count);

// Fragmentation of free spectrum: 1 - (largest free run / free slots); 0 when all free
// spectrum is one block (or none is free).
double fragmentation(const std::uint64_t* free, std::uint32_t slots);

}  // namespace lightpath
