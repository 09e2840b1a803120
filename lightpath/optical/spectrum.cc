// Grid arithmetic and slot searches.
#include "lightpath/optical/spectrum.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace lightpath {

Result<SpectrumGrid> SpectrumGrid::forBand(SpectrumBand band, double slot_ghz) {
  if (!(slot_ghz > 0) || std::fmod(slot_ghz, kCentreStepGHz) > 1e-9) {
    return fail(invalidArgument(
        fmt::format("slot width {} GHz is not a multiple of {} GHz", slot_ghz, kCentreStepGHz)));
  }
  if (!(band.end_thz > band.start_thz) || !(band.start_thz > 0)) {
    return fail(invalidArgument(
        fmt::format("spectrum band {}-{} THz is empty", band.start_thz, band.end_thz)));
  }
  // Edges on the 6.25 GHz raster, so centres land on G.694.1 frequencies.
  const double edge_steps = (band.start_thz - kGridAnchorTHz) * 1000.0 / kCentreStepGHz;
  if (std::abs(edge_steps - std::round(edge_steps)) > 1e-6) {
    return fail(
        invalidArgument(fmt::format("band edge {} THz is off the 6.25 GHz grid", band.start_thz)));
  }
  const double count = std::floor((band.end_thz - band.start_thz) * 1000.0 / slot_ghz + 1e-9);
  if (count < 1 || count > kMaxSlots) {
    return fail(invalidArgument(fmt::format("band {}-{} THz holds {} slots; 1 to {} supported",
                                            band.start_thz, band.end_thz, count, kMaxSlots)));
  }
  SpectrumGrid grid;
  grid.start_thz_ = band.start_thz;
  grid.slot_ghz_ = slot_ghz;
  grid.slots_ = static_cast<std::uint32_t>(count);
  return grid;
}

std::int64_t SpectrumGrid::centreIndex(std::uint32_t first, std::uint32_t count) const {
  return std::llround((centreThz(first, count) - kGridAnchorTHz) * 1000.0 / kCentreStepGHz);
}

SlotMask::SlotMask(std::uint32_t slots, bool free) : slots_(slots), words_(wordsFor(slots), 0) {
  if (free) setFree(0, slots, true);
}

bool SlotMask::allFree(std::uint32_t first, std::uint32_t count) const {
  if (first + count > slots_) return false;
  for (std::uint32_t s = first; s < first + count; ++s) {
    if (!isFree(s)) return false;
  }
  return true;
}

void SlotMask::setFree(std::uint32_t first, std::uint32_t count, bool free) {
  for (std::uint32_t s = first; s < first + count && s < slots_; ++s) {
    const std::uint64_t bit = std::uint64_t{1} << (s & 63);
    if (free)
      words_[s >> 6] |= bit;
    else
      words_[s >> 6] &= ~bit;
  }
}

void SlotMask::andWith(const SlotMask& other) {
  for (std::size_t w = 0; w < words_.size() && w < other.words_.size(); ++w)
    words_[w] &= other.words_[w];
}

std::uint32_t SlotMask::freeCount() const {
  std::uint32_t n = 0;
  for (std::uint64_t w : words_) n += static_cast<std::uint32_t>(__builtin_popcountll(w));
  return n;
}

std::optional<std::uint32_t> firstFit(const std::uint64_t* free, std::uint32_t slots,
                                      std::uint32_t count) {
  std::optional<std::uint32_t> found;
  forEachFreeRun(free, slots, [&](std::uint32_t first, std::uint32_t length) {
    if (length >= count) {
      found = first;
      return false;
    }
    return true;
  });
  return found;
}

std::optional<std::uint32_t> lastFit(const std::uint64_t* free, std::uint32_t slots,
                                     std::uint32_t count) {
  std::optional<std::uint32_t> found;
  forEachFreeRun(free, slots, [&](std::uint32_t first, std::uint32_t length) {
    if (length >= count) found = first + length - count;
    return true;
  });
  return found;
}

std::optional<std::uint32_t> bestFit(const std::uint64_t* free, std::uint32_t slots,
                                     std::uint32_t count, bool exact_only) {
  std::optional<std::uint32_t> found;
  std::uint32_t best_length = 0;
  forEachFreeRun(free, slots, [&](std::uint32_t first, std::uint32_t length) {
    if (length < count || (exact_only && length != count)) return true;
    if (!found || length < best_length) {
      found = first;
      best_length = length;
    }
    return length != count;  // an exact fit cannot be beaten
  });
  return found;
}

std::uint32_t placements(const std::uint64_t* free, std::uint32_t slots, std::uint32_t count) {
  std::uint32_t n = 0;
  forEachFreeRun(free, slots, [&](std::uint32_t, std::uint32_t length) {
    if (length >= count) n += length - count + 1;
    return true;
  });
  return n;
}

double fragmentation(const std::uint64_t* free, std::uint32_t slots) {
  std::uint32_t total = 0, largest = 0;
  forEachFreeRun(free, slots, [&](std::uint32_t, std::uint32_t length) {
    total += length;
    largest = std::max(largest, length);
    return true;
  });
  return total == 0 ? 0.0 : 1.0 - static_cast<double>(largest) / total;
}

}  // namespace lightpath
