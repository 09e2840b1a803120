// Routing and spectrum assignment: given a demand's candidate routes (each a list of links and
// the slots it needs on that route) and the spectrum in use, choose a route and a block of
// contiguous slots free on every link of it (continuity and contiguity).
//
//   SpectrumState state(link_count, 384);
//   RsaCandidate routes[] = {{links_a, 4}, {links_b, 6}};
//   if (auto choice = assignSpectrum(RsaPolicy::KspFirstFit, state, routes, random, scratch))
//     state.occupy(routes[choice->route].links, choice->first, routes[choice->route].slots);
//
// A link is whatever carries independent spectrum: one direction of a fiber pair for
// unidirectional demands, or the pair for bidirectional ones. Not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "lightpath/base/random.h"
#include "lightpath/base/status.h"
#include "lightpath/optical/spectrum.h"

namespace lightpath {

enum class RsaPolicy {
  FirstFit,      // shortest route, lowest free block
  Random,        // shortest route, a free block at random
  MostUsed,      // shortest route, the block whose slots are busiest elsewhere (packs spectrum)
  BestFit,       // shortest route, the smallest free gap that fits
  ExactFit,      // shortest route, a gap of exactly the size if any, else first fit
  KspFirstFit,   // routes in order, the first with any fit, lowest block on it
  FirstFitKsp,   // the lowest block over all routes (ties: earlier route)
  KspLeastCost,  // ours: see rsa.cc
};
std::string_view toString(RsaPolicy policy);
Result<RsaPolicy> parseRsaPolicy(std::string_view name);
std::vector<RsaPolicy> allRsaPolicies();

// Slot occupancy of every link, as masks (1 = free), plus how many links use each slot.
class SpectrumState {
 public:
  SpectrumState(std::uint32_t links, std::uint32_t slots);

  std::uint32_t links() const { return links_; }
  std::uint32_t slots() const { return slots_; }
  std::uint32_t words() const { return words_; }
  const std::uint64_t* freeMask(std::uint32_t link) const {
    return free_.data() + std::size_t{link} * words_;
  }
  std::uint32_t usage(std::uint32_t slot) const { return usage_[slot]; }

  // out = and of the links' masks (out holds words() words).
  void pathFree(std::span<const std::uint32_t> links, std::uint64_t* out) const;
  // Marks slots [first, first + count) used / free on every link. Callers hold the invariant
  // (occupy only free slots, release only their own); checked in debug builds.
  void occupy(std::span<const std::uint32_t> links, std::uint32_t first, std::uint32_t count);
  // Marks as used every slot of `link` that `free_mask` (words() words, 1 = free) marks used.
  void occupyAllBut(std::uint32_t link, std::span<const std::uint64_t> free_mask);
  void release(std::span<const std::uint32_t> links, std::uint32_t first, std::uint32_t count);

  std::uint64_t usedSlotLinks() const { return used_; }

 private:
  void flip(std::span<const std::uint32_t> links, std::uint32_t first, std::uint32_t count,
            bool free);

  std::uint32_t links_, slots_, words_;
  std::vector<std::uint64_t> free_;
  std::vector<std::uint32_t> usage_;
  std::uint64_t used_ = 0;
};

struct RsaCandidate {
  std::span<const std::uint32_t> links;
  std::uint32_t slots = 0;  // 0: this route cannot carry the demand (no modulation reaches)
};

struct RsaChoice {
  std::uint32_t route = 0;
  std::uint32_t first = 0;
};

// Reusable buffers, so a decision allocates nothing.
struct RsaScratch {
  std::vector<std::uint64_t> mask;
};

std::optional<RsaChoice> assignSpectrum(RsaPolicy policy, const SpectrumState& state,
                                        std::span<const RsaCandidate> routes, Random& random,
                                        RsaScratch& scratch);

}  // namespace lightpath
