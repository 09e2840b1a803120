// The ledger's read-only questions: which units are free, how much is, what is in use at a
// moment. Each takes the shared lock; none changes a resource.
#include <algorithm>

#include "lightpath/ledger/ledger.h"

namespace lightpath {

std::vector<std::uint64_t> Ledger::freeUnits(ResourceId resource, Window window) const {
  std::shared_lock lock(mutex_);
  auto it = resources_.find(resource);
  if (it == resources_.end() || !isDiscrete(resource.kind)) return {};
  const std::uint64_t cap = it->second.capacity;
  std::vector<std::uint64_t> mask((cap + 63) / 64, ~std::uint64_t{0});
  if (cap % 64) mask.back() = (std::uint64_t{1} << (cap % 64)) - 1;
  for (const Entry& e : it->second.entries) {
    if (!e.live() || !e.window.overlaps(window)) continue;
    for (std::uint64_t u = e.first; u < e.first + e.count; ++u)
      mask[u / 64] &= ~(std::uint64_t{1} << (u % 64));
  }
  return mask;
}

std::uint64_t Ledger::freeQuantity(ResourceId resource, Window window) const {
  std::shared_lock lock(mutex_);
  auto it = resources_.find(resource);
  if (it == resources_.end() || isDiscrete(resource.kind)) return 0;
  const auto peak =
      static_cast<std::uint64_t>(std::max<std::int64_t>(0, it->second.peakLevel(window)));
  return it->second.capacity - std::min(it->second.capacity, peak);
}

std::vector<std::uint64_t> Ledger::freeQuantityBySlot(ResourceId resource, TimePoint origin,
                                                      std::chrono::microseconds slot,
                                                      int slots) const {
  std::shared_lock lock(mutex_);
  std::vector<std::uint64_t> free(static_cast<std::size_t>(std::max(slots, 0)), 0);
  auto found = resources_.find(resource);
  if (found == resources_.end() || isDiscrete(resource.kind) || slot.count() <= 0) return free;
  const Resource& r = found->second;
  auto it = r.level.upper_bound(origin);
  std::int64_t level = it == r.level.begin() ? 0 : std::prev(it)->second;
  for (int s = 0; s < slots; ++s) {
    const TimePoint start = origin + slot * s, end = start + slot;
    for (; it != r.level.end() && it->first <= start; ++it) level = it->second;
    std::int64_t peak = level;  // in force at the slot's start
    for (; it != r.level.end() && it->first < end; ++it) {
      level = it->second;
      peak = std::max(peak, level);
    }
    const auto used = static_cast<std::uint64_t>(std::max<std::int64_t>(0, peak));
    free[s] = r.capacity - std::min(r.capacity, used);
  }
  return free;
}

double Ledger::utilization(ResourceId resource, TimePoint at) const {
  std::shared_lock lock(mutex_);
  auto it = resources_.find(resource);
  if (it == resources_.end() || it->second.capacity == 0) return 0;
  std::uint64_t used = 0;
  if (isDiscrete(resource.kind)) {
    for (const Entry& e : it->second.entries) {
      if (e.window.start <= at && at < e.window.end) used += e.count;
    }
  } else {  // the level in force at `at`, without a walk over every hold
    const auto& level = it->second.level;
    auto after = level.upper_bound(at);
    if (after != level.begin())
      used = static_cast<std::uint64_t>(std::max<std::int64_t>(0, std::prev(after)->second));
  }
  return static_cast<double>(used) / static_cast<double>(it->second.capacity);
}

std::vector<Ledger::Use> Ledger::usesAt(ResourceId resource, TimePoint at) const {
  std::shared_lock lock(mutex_);
  std::vector<Use> out;
  auto it = resources_.find(resource);
  if (it == resources_.end()) return out;
  for (const Entry& e : it->second.entries) {
    if (!e.live() || !(e.window.start <= at && at < e.window.end)) continue;
    auto h = holds_.find(e.hold);
    out.push_back({h == holds_.end() ? "" : h->second.owner, e.hold, e.first, e.count});
  }
  std::sort(out.begin(), out.end(), [](const Use& a, const Use& b) {
    return a.first < b.first || (a.first == b.first && a.hold < b.hold);
  });
  return out;
}

}  // namespace lightpath
