// The capacity calendar: who holds which units of which resource over which time window.
// Every connection's capacity (spectrum slots on fibers, bandwidth on ports and packet links,
// VLAN ids on ports, on-ramp capacity) is a hold with an owner and a window [start, end).
// Reservations are all or nothing; changes are make-before-break.
//
//   Ledger ledger;
//   ledger.addResource({ResourceKind::SpectrumSlots, fiber}, 384);
//   ledger.addResource({ResourceKind::PortBandwidth, port}, 400'000);   // Mb/s
//   auto hold = ledger.reserve("conn_42", {{{ResourceKind::SpectrumSlots, fiber}, 120, 6},
//                                          {{ResourceKind::PortBandwidth, port}, 0, 400'000}},
//                              {start, end});
//   if (!hold) ... // ResourceExhausted: names the resource, the units and the holder in the way
//
// The invariant, checked by checkInvariants() and a property test: no unit of any resource is
// held by two holds at overlapping times, and no quantity is held beyond its capacity at any
// time. Thread-safe: changes serialise on a mutex; queries share it.
#pragma once

#include <absl/container/flat_hash_map.h>
#include <absl/hash/hash.h>

#include <cstdint>
#include <deque>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "lightpath/base/clock.h"
#include "lightpath/base/status.h"

namespace lightpath {

enum class ResourceKind : std::uint8_t {
  SpectrumSlots,   // units = slots of a fiber's grid; claims take a contiguous range
  Vlans,           // units = VLAN ids 0..4095 of a port; claims take a range (usually one id)
  PortBandwidth,   // a quantity, Mb/s
  LinkBandwidth,   // a quantity, Mb/s, on a packet link
  OnrampCapacity,  // a quantity, Mb/s, at a cloud on-ramp
};
std::string_view toString(ResourceKind kind);
Result<ResourceKind> parseResourceKind(std::string_view name);  // InvalidArgument naming the known
inline bool isDiscrete(ResourceKind kind) {
  return kind == ResourceKind::SpectrumSlots || kind == ResourceKind::Vlans;
}

struct ResourceId {
  ResourceKind kind = ResourceKind::SpectrumSlots;
  std::uint32_t index = 0;  // fiber, port, link or on-ramp index in the topology
  auto operator<=>(const ResourceId&) const = default;
};

// Units [first, first + count) of a discrete resource, or `count` of a quantity (first = 0).
struct Claim {
  ResourceId resource;
  std::uint64_t first = 0;
  std::uint64_t count = 0;
  bool operator==(const Claim&) const = default;
};

struct Window {
  TimePoint start;
  TimePoint end = TimePoint::max();  // open-ended by default
  bool overlaps(const Window& o) const { return start < o.end && o.start < end; }
  bool operator==(const Window&) const = default;
};

using HoldId = std::uint64_t;

struct Hold {
  HoldId id = 0;
  std::string owner;
  Window window;
  std::vector<Claim> claims;
};

class Ledger {
 public:
  Ledger() = default;
  // A copy of everything as it is now (what-if analyses plan on it and throw it away).
  std::unique_ptr<Ledger> copy() const;

  // Ids this ledger hands out: from `first`, below `end`. Instances sharing one store each take
  // a range of their own, so their holds never share an id; restore() of an id outside the
  // range (another instance's) leaves the next id alone. Default: from 1, unbounded.
  void useIds(HoldId first, HoldId end);

  // Registers a resource with its capacity (units for discrete kinds, Mb/s for quantities).
  // AlreadyExists if registered before.
  Status addResource(ResourceId resource, std::uint64_t capacity);
  std::uint64_t capacity(ResourceId resource) const;

  // All claims over the window, or none: InvalidArgument for malformed claims (unknown
  // resource, units beyond capacity, empty window); ResourceExhausted naming the first conflict.
  Result<HoldId> reserve(std::string owner, std::vector<Claim> claims, Window window);
  // The same, keeping a hold id given earlier (rebuilding the ledger from a store after a
  // restart); AlreadyExists if the id is taken. Later ids continue above it.
  Result<HoldId> restore(HoldId id, std::string owner, std::vector<Claim> claims, Window window);

  // Many holds at once, ids kept (a restart rebuilds the ledger from its store): each is
  // validated, all are inserted, then each resource they touch is checked whole in one sweep,
  // so the cost grows as n log n rather than with n times the holds each one meets. All or
  // nothing: AlreadyExists for a taken id, InvalidArgument for a malformed hold,
  // ResourceExhausted naming the first two holds that collide.
  Status restoreAll(std::vector<Hold> holds);

  // Replaces a hold's claims and window, make-before-break: the new ones are checked against
  // everything but the hold itself, then swapped in at once. On failure the old hold stands.
  Status modify(HoldId hold, std::vector<Claim> claims, Window window);

  // NotFound if there is no such hold.
  Status release(HoldId hold);

  // The past of quantities is let go: their use before `t` is no longer kept, and a window
  // starting earlier is answered from `t` on (a hold's use before it is over). Without it every
  // hold ever started keeps a step of its own in each resource it uses, for good: a million
  // holds cost half a kilobyte each. Holds and discrete units keep their windows whole. Called
  // with a time already past (serve: at its start and each schedule run); a later `t` only.
  void forgetBefore(TimePoint t);

  // Ends every hold whose window has closed by `now`; returns how many.
  std::size_t expire(TimePoint now);

  std::optional<Hold> hold(HoldId id) const;
  std::vector<Hold> holdsOf(std::string_view owner) const;
  std::size_t holdCount() const;
  // Bumped by every change; lets a store detect lost updates.
  std::uint64_t version() const;

  // Discrete resources: which units are free for the whole window (bit i of word i / 64).
  std::vector<std::uint64_t> freeUnits(ResourceId resource, Window window) const;
  // Quantities: the least free amount at any moment of the window.
  std::uint64_t freeQuantity(ResourceId resource, Window window) const;
  // Quantities: the least free amount in each of `slots` equal slots from `origin` (the grid a
  // bulk transfer is planned on); one walk over the resource's level, not one query per slot.
  std::vector<std::uint64_t> freeQuantityBySlot(ResourceId resource, TimePoint origin,
                                                std::chrono::microseconds slot, int slots) const;
  // Units (or amount) in use at `at`, over capacity: 0..1.
  double utilization(ResourceId resource, TimePoint at) const;
  // Who holds what of a resource at `at` (units first..first+count, or an amount), by first unit.
  struct Use {
    std::string owner;
    HoldId hold = 0;
    std::uint64_t first = 0, count = 0;
    bool operator==(const Use&) const = default;
  };
  std::vector<Use> usesAt(ResourceId resource, TimePoint at) const;

  // Every violation of the invariant, as messages; empty when it holds.
  std::vector<std::string> checkInvariants() const;

 private:
  struct Entry {
    HoldId hold;
    Window window;
    std::uint64_t first, count;  // count 0: erased (a claim is never of 0)
    bool live() const { return count != 0; }
  };
  struct Resource {
    std::uint64_t capacity = 0;
    // A deque: grows a block at a time, where a vector would double (and copy) a link's
    // hundreds of thousands of entries and keep up to half of it unused. In the order of their
    // holds' ids (`by_hold`; false only while restoreAll appends, until it sorts them), so
    // that a hold's entries are found by a binary search; an erased entry stays in its place,
    // with its hold's id, until a fourth of them are erased and the resource is compacted (a
    // scan of a busy link's entries for each release cost a million-connection book 100 ms).
    std::deque<Entry> entries;
    std::size_t erased = 0;
    bool by_hold = true;
    void add(const Entry& e);
    void erase(HoldId hold);  // every entry of the hold
    // Quantities: the amount in use as a step function of time; a key's value holds until the
    // next key (0 before the first). Typical holds start now and run open-ended, so updates
    // and peak queries touch a handful of keys rather than every hold.
    std::map<TimePoint, std::int64_t> level;
    // Steps before `horizon` are not kept (Ledger::forgetBefore).
    void addLevel(const Window& w, std::int64_t amount, TimePoint horizon);
    void rebuildLevel(TimePoint horizon);  // from the entries, by one sort
    void forgetBefore(TimePoint t);
    std::int64_t peakLevel(const Window& w) const;
  };

  Status validate(const std::vector<Claim>& claims, const Window& window) const;
  // The first conflict of `claims` over `window` with holds other than `ignore`.
  Status findConflict(const std::vector<Claim>& claims, const Window& window, HoldId ignore) const;
  // The peak amount in use over the window by holds other than `ignore` (a sweep; used where
  // a hold must be left out).
  std::uint64_t peakUse(const Resource& r, const Window& window, HoldId ignore) const;
  // What breaks the invariant on one resource: holds sharing units at overlapping times, or
  // more than its capacity held at once.
  std::vector<std::string> violationsOf(ResourceId id, const Resource& r) const;
  void insert(const Hold& hold);
  void erase(const Hold& hold);

  mutable std::shared_mutex mutex_;
  // Hashed: a restart looks up ten million claims' resources (a tree's lookups cost a second).
  // absl's mix, not std::hash (the identity in libstdc++): the table finds its slot in the high
  // bits, and consecutive indexes all started their probe at the same group there -- a third
  // of a million-connection restart went on probing.
  struct ResourceIdHash {
    std::size_t operator()(const ResourceId& r) const {
      return absl::Hash<std::uint64_t>{}(static_cast<std::uint64_t>(r.kind) << 32 | r.index);
    }
  };
  absl::flat_hash_map<ResourceId, Resource, ResourceIdHash> resources_;
  std::unordered_map<HoldId, Hold> holds_;
  HoldId next_id_ = 1;
  HoldId first_id_ = 1, end_id_ = ~HoldId{0};
  std::uint64_t version_ = 0;
  TimePoint horizon_ = TimePoint::min();  // quantities' levels are kept from here on
};

}  // namespace lightpath
