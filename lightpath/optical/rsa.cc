// Spectrum assignment policies and the occupancy they work on.
#include "lightpath/optical/rsa.h"

#include <array>
#include <cassert>

#include "lightpath/base/enum_names.h"

namespace lightpath {
namespace {

constexpr std::array<std::pair<RsaPolicy, std::string_view>, 8> kNames{{
    {RsaPolicy::FirstFit, "first-fit"},
    {RsaPolicy::Random, "random"},
    {RsaPolicy::MostUsed, "most-used"},
    {RsaPolicy::BestFit, "best-fit"},
    {RsaPolicy::ExactFit, "exact-fit"},
    {RsaPolicy::KspFirstFit, "ksp-ff"},
    {RsaPolicy::FirstFitKsp, "ff-ksp"},
    {RsaPolicy::KspLeastCost, "ksp-lc"},
}};

bool freeAt(const std::uint64_t* mask, std::uint32_t slot) {
  return (mask[slot >> 6] >> (slot & 63)) & 1;
}

// How many of the route's links a block [first, first + count) would split into two free
// pieces: each split leaves a gap that a later demand may be too wide for.
std::uint32_t splits(const SpectrumState& state, std::span<const std::uint32_t> links,
                     std::uint32_t first, std::uint32_t count) {
  if (first == 0 || first + count >= state.slots()) return 0;
  std::uint32_t n = 0;
  for (std::uint32_t link : links) {
    const std::uint64_t* m = state.freeMask(link);
    n += freeAt(m, first - 1) && freeAt(m, first + count);
  }
  return n;
}

}  // namespace

std::string_view toString(RsaPolicy policy) { return nameOf(policy, kNames); }

Result<RsaPolicy> parseRsaPolicy(std::string_view name) {
  return parseName(name, kNames, "policy");
}

std::vector<RsaPolicy> allRsaPolicies() {
  std::vector<RsaPolicy> all;
  for (auto [p, n] : kNames) all.push_back(p);
  return all;
}

SpectrumState::SpectrumState(std::uint32_t links, std::uint32_t slots)
    : links_(links),
      slots_(slots),
      words_(wordsFor(slots)),
      free_(std::size_t{links} * wordsFor(slots), 0),
      usage_(slots, 0) {
  for (std::uint32_t l = 0; l < links; ++l) {
    std::uint64_t* m = free_.data() + std::size_t{l} * words_;
    for (std::uint32_t s = 0; s < slots; ++s) m[s >> 6] |= std::uint64_t{1} << (s & 63);
  }
}

void SpectrumState::pathFree(std::span<const std::uint32_t> links, std::uint64_t* out) const {
  const std::uint64_t* first = freeMask(links[0]);
  for (std::uint32_t w = 0; w < words_; ++w) out[w] = first[w];
  for (std::size_t i = 1; i < links.size(); ++i) {
    const std::uint64_t* m = freeMask(links[i]);
    for (std::uint32_t w = 0; w < words_; ++w) out[w] &= m[w];
  }
}

void SpectrumState::flip(std::span<const std::uint32_t> links, std::uint32_t first,
                         std::uint32_t count, bool free) {
  for (std::uint32_t link : links) {
    std::uint64_t* m = free_.data() + std::size_t{link} * words_;
    for (std::uint32_t s = first; s < first + count; ++s) {
      const std::uint64_t bit = std::uint64_t{1} << (s & 63);
      assert(((m[s >> 6] & bit) != 0) != free && "slot already in the requested state");
      if (free)
        m[s >> 6] |= bit;
      else
        m[s >> 6] &= ~bit;
    }
  }
  for (std::uint32_t s = first; s < first + count; ++s) {
    if (free)
      usage_[s] -= static_cast<std::uint32_t>(links.size());
    else
      usage_[s] += static_cast<std::uint32_t>(links.size());
  }
  const std::uint64_t changed = std::uint64_t{count} * links.size();
  used_ = free ? used_ - changed : used_ + changed;
}

void SpectrumState::occupy(std::span<const std::uint32_t> links, std::uint32_t first,
                           std::uint32_t count) {
  flip(links, first, count, false);
}

void SpectrumState::occupyAllBut(std::uint32_t link, std::span<const std::uint64_t> free_mask) {
  const std::uint32_t one[] = {link};
  for (std::uint32_t s = 0; s < slots_;) {
    const bool free = s / 64 < free_mask.size() && ((free_mask[s / 64] >> (s % 64)) & 1);
    const bool taken = !((freeMask(link)[s >> 6] >> (s & 63)) & 1);
    if (free || taken) {
      ++s;
      continue;
    }
    std::uint32_t e = s;
    while (e < slots_ && !(e / 64 < free_mask.size() && ((free_mask[e / 64] >> (e % 64)) & 1)) &&
           ((freeMask(link)[e >> 6] >> (e & 63)) & 1)) {
      ++e;
    }
    occupy(one, s, e - s);
    s = e;
  }
}

void SpectrumState::release(std::span<const std::uint32_t> links, std::uint32_t first,
                            std::uint32_t count) {
  flip(links, first, count, true);
}

std::optional<RsaChoice> assignSpectrum(RsaPolicy policy, const SpectrumState& state,
                                        std::span<const RsaCandidate> routes, Random& random,
                                        RsaScratch& scratch) {
  scratch.mask.resize(state.words());
  std::uint64_t* mask = scratch.mask.data();
  const std::uint32_t slots = state.slots();
  auto load = [&](const RsaCandidate& route) { state.pathFree(route.links, mask); };

  switch (policy) {
    case RsaPolicy::FirstFit:
    case RsaPolicy::Random:
    case RsaPolicy::MostUsed:
    case RsaPolicy::BestFit:
    case RsaPolicy::ExactFit: {
      // Single-route policies: the first route that can carry the demand at all.
      std::uint32_t r = 0;
      while (r < routes.size() && routes[r].slots == 0) ++r;
      if (r == routes.size()) return std::nullopt;
      const RsaCandidate& route = routes[r];
      load(route);
      std::optional<std::uint32_t> first;
      if (policy == RsaPolicy::FirstFit) {
        first = firstFit(mask, slots, route.slots);
      } else if (policy == RsaPolicy::BestFit) {
        first = bestFit(mask, slots, route.slots);
      } else if (policy == RsaPolicy::ExactFit) {
        first = bestFit(mask, slots, route.slots, /*exact_only=*/true);
        if (!first) first = firstFit(mask, slots, route.slots);
      } else if (policy == RsaPolicy::Random) {
        const std::uint32_t n = placements(mask, slots, route.slots);
        if (n > 0) {
          std::uint32_t pick = random.below(n);
          forEachFreeRun(mask, slots, [&](std::uint32_t start, std::uint32_t length) {
            if (length < route.slots) return true;
            const std::uint32_t here = length - route.slots + 1;
            if (pick < here) {
              first = start + pick;
              return false;
            }
            pick -= here;
            return true;
          });
        }
      } else {  // MostUsed: the block whose slots are busiest across the network
        std::uint64_t best_usage = 0;
        forEachFreeRun(mask, slots, [&](std::uint32_t start, std::uint32_t length) {
          for (std::uint32_t s = start; s + route.slots <= start + length; ++s) {
            std::uint64_t u = 0;
            for (std::uint32_t i = s; i < s + route.slots; ++i) u += state.usage(i);
            if (!first || u > best_usage) {
              first = s;
              best_usage = u;
            }
          }
          return true;
        });
      }
      if (!first) return std::nullopt;
      return RsaChoice{r, *first};
    }
    case RsaPolicy::KspFirstFit:
      for (std::uint32_t r = 0; r < routes.size(); ++r) {
        if (routes[r].slots == 0) continue;
        load(routes[r]);
        if (auto first = firstFit(mask, slots, routes[r].slots)) return RsaChoice{r, *first};
      }
      return std::nullopt;
    case RsaPolicy::FirstFitKsp: {
      std::optional<RsaChoice> best;
      for (std::uint32_t r = 0; r < routes.size(); ++r) {
        if (routes[r].slots == 0) continue;
        load(routes[r]);
        auto first = firstFit(mask, slots, routes[r].slots);
        if (first && (!best || *first < best->first)) best = RsaChoice{r, *first};
      }
      return best;
    }
    case RsaPolicy::KspLeastCost: {
      // Ours. Every route's first-fit and best-fit blocks compete on what they cost the
      // network: the slot-links they take (slots x hops), plus one slot-link for each link on
      // which they split a free gap in two. Ties go to the earlier route, then the lower block.
      std::optional<RsaChoice> best;
      std::uint64_t best_cost = 0;
      for (std::uint32_t r = 0; r < routes.size(); ++r) {
        const RsaCandidate& route = routes[r];
        if (route.slots == 0) continue;
        const std::uint64_t base = std::uint64_t{route.slots} * route.links.size();
        if (best && base >= best_cost) continue;  // cannot win even without splits
        load(route);
        for (auto first : {firstFit(mask, slots, route.slots), bestFit(mask, slots, route.slots)}) {
          if (!first) continue;
          const std::uint64_t cost = base + splits(state, route.links, *first, route.slots);
          if (!best || cost < best_cost) {
            best = RsaChoice{r, *first};
            best_cost = cost;
          }
        }
      }
      return best;
    }
  }
  return std::nullopt;
}

}  // namespace lightpath
