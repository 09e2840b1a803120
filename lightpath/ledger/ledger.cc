// The capacity calendar. Each resource keeps its holds' entries in a deque; discrete units'
// conflicts are found by scanning the entries that overlap in time (a fiber's or a port's
// holds: tens to thousands), quantities' by their level, a step function of time.
#include "lightpath/ledger/ledger.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <set>

#include "lightpath/base/enum_names.h"

namespace lightpath {
namespace {

constexpr std::array<std::pair<ResourceKind, std::string_view>, 5> kKinds{{
    {ResourceKind::SpectrumSlots, "spectrum"},
    {ResourceKind::Vlans, "vlan"},
    {ResourceKind::PortBandwidth, "port-bandwidth"},
    {ResourceKind::LinkBandwidth, "link-bandwidth"},
    {ResourceKind::OnrampCapacity, "onramp-capacity"},
}};

std::string describe(ResourceId r) { return fmt::format("{} #{}", toString(r.kind), r.index); }

std::string describe(const Window& w) {
  auto us = [](TimePoint t) { return t.time_since_epoch().count(); };
  if (w.end == TimePoint::max()) return fmt::format("[{} us, open)", us(w.start));
  return fmt::format("[{} us, {} us)", us(w.start), us(w.end));
}

}  // namespace

std::string_view toString(ResourceKind kind) { return nameOf(kind, kKinds); }

Result<ResourceKind> parseResourceKind(std::string_view name) {
  return parseName(name, kKinds, "resource kind");
}

std::unique_ptr<Ledger> Ledger::copy() const {
  auto out = std::make_unique<Ledger>();
  std::shared_lock lock(mutex_);
  out->resources_ = resources_;
  out->holds_ = holds_;
  out->next_id_ = next_id_;
  out->first_id_ = first_id_;
  out->end_id_ = end_id_;
  out->version_ = version_;
  out->horizon_ = horizon_;
  return out;
}

Status Ledger::addResource(ResourceId resource, std::uint64_t capacity) {
  std::unique_lock lock(mutex_);
  if (isDiscrete(resource.kind) && capacity > (1u << 20)) {
    return invalidArgument(fmt::format("{}: {} units is more than this ledger tracks per resource",
                                       describe(resource), capacity));
  }
  auto [it, inserted] = resources_.try_emplace(resource, Resource{capacity, {}});
  if (!inserted) return alreadyExists(fmt::format("{} is already registered", describe(resource)));
  ++version_;
  return Status::ok();
}

std::uint64_t Ledger::capacity(ResourceId resource) const {
  std::shared_lock lock(mutex_);
  auto it = resources_.find(resource);
  return it == resources_.end() ? 0 : it->second.capacity;
}

Status Ledger::validate(const std::vector<Claim>& claims, const Window& window) const {
  if (!(window.start < window.end)) {
    return invalidArgument(
        fmt::format("window {} is empty: the end must come after the start", describe(window)));
  }
  if (claims.empty()) return invalidArgument("a reservation needs at least one claim");
  for (std::size_t i = 0; i < claims.size(); ++i) {
    const Claim& c = claims[i];
    auto it = resources_.find(c.resource);
    if (it == resources_.end())
      return invalidArgument(fmt::format("claim {}: unknown resource {}", i, describe(c.resource)));
    if (c.count == 0)
      return invalidArgument(
          fmt::format("claim {}: on {} claims nothing", i, describe(c.resource)));
    const std::uint64_t cap = it->second.capacity;
    if (isDiscrete(c.resource.kind)) {
      if (c.first >= cap || c.count > cap - c.first) {
        return invalidArgument(fmt::format("claim {}: units {}-{} of {} are beyond its {} units", i,
                                           c.first, c.first + c.count - 1, describe(c.resource),
                                           cap));
      }
    } else if (c.first != 0) {
      return invalidArgument(
          fmt::format("claim {}: {} is a quantity; give first = 0", i, describe(c.resource)));
    }
    // Two claims of one reservation on one resource must not collide either.
    for (std::size_t j = 0; j < i; ++j) {
      const Claim& d = claims[j];
      if (d.resource != c.resource) continue;
      if (isDiscrete(c.resource.kind) && c.first < d.first + d.count &&
          d.first < c.first + c.count) {
        return invalidArgument(
            fmt::format("claims {} and {} overlap on {}", j, i, describe(c.resource)));
      }
    }
  }
  return Status::ok();
}

void Ledger::Resource::addLevel(const Window& window, std::int64_t amount, TimePoint horizon) {
  const Window w{std::max(window.start, horizon), window.end};
  if (!(w.start < w.end)) return;  // over before the horizon
  // Make sure the step function has keys at both window edges, then shift the levels between.
  auto split = [&](TimePoint t) {
    auto it = level.lower_bound(t);
    if (it != level.end() && it->first == t) return it;
    const std::int64_t before = it == level.begin() ? 0 : std::prev(it)->second;
    return level.emplace_hint(it, t, before);
  };
  auto from = split(w.start);
  auto to = w.end == TimePoint::max() ? level.end() : split(w.end);
  for (auto it = from; it != to; ++it) it->second += amount;
  // Drop keys that no longer change the level, so the map stays as small as the schedule.
  for (auto it : {from, to}) {
    if (it == level.end()) continue;
    const std::int64_t before = it == level.begin() ? 0 : std::prev(it)->second;
    if (it->second == before) level.erase(it);
  }
}

void Ledger::Resource::rebuildLevel(TimePoint horizon) {
  std::vector<std::pair<TimePoint, std::int64_t>> steps;
  steps.reserve(entries.size() * 2);
  for (const Entry& e : entries) {
    if (!e.live() || !(horizon < e.window.end)) continue;  // erased, or over before the horizon
    steps.emplace_back(std::max(e.window.start, horizon), static_cast<std::int64_t>(e.count));
    if (e.window.end != TimePoint::max())
      steps.emplace_back(e.window.end, -static_cast<std::int64_t>(e.count));
  }
  std::sort(steps.begin(), steps.end());
  level.clear();
  std::int64_t in_use = 0;
  for (std::size_t i = 0; i < steps.size();) {
    const TimePoint at = steps[i].first;
    for (; i < steps.size() && steps[i].first == at; ++i) in_use += steps[i].second;
    const std::int64_t before = level.empty() ? 0 : std::prev(level.end())->second;
    if (in_use != before) level.emplace_hint(level.end(), at, in_use);
  }
}

void Ledger::Resource::forgetBefore(TimePoint t) {
  auto keep = level.lower_bound(t);
  if (keep == level.begin()) return;
  const std::int64_t in_force = std::prev(keep)->second;  // up to t, unless t is a key
  const bool keyed = keep != level.end() && keep->first == t;
  level.erase(level.begin(), keep);
  if (!keyed && in_force != 0) level.emplace_hint(level.begin(), t, in_force);
}

std::int64_t Ledger::Resource::peakLevel(const Window& w) const {
  auto it = level.upper_bound(w.start);
  std::int64_t peak = it == level.begin() ? 0 : std::prev(it)->second;
  for (; it != level.end() && it->first < w.end; ++it) peak = std::max(peak, it->second);
  return peak;
}

std::uint64_t Ledger::peakUse(const Resource& r, const Window& window, HoldId ignore) const {
  // Sweep the entries overlapping the window: the largest sum in force at any moment.
  std::vector<std::pair<TimePoint, std::int64_t>> events;
  for (const Entry& e : r.entries) {
    if (!e.live() || e.hold == ignore || !e.window.overlaps(window)) continue;
    events.emplace_back(std::max(e.window.start, window.start), static_cast<std::int64_t>(e.count));
    events.emplace_back(std::min(e.window.end, window.end), -static_cast<std::int64_t>(e.count));
  }
  std::sort(events.begin(), events.end());  // at equal times, releases (negative) come first
  std::int64_t use = 0, peak = 0;
  for (const auto& [t, delta] : events) {
    use += delta;
    peak = std::max(peak, use);
  }
  return static_cast<std::uint64_t>(peak);
}

Status Ledger::findConflict(const std::vector<Claim>& claims, const Window& window,
                            HoldId ignore) const {
  for (const Claim& c : claims) {
    const Resource& r = resources_.at(c.resource);
    if (isDiscrete(c.resource.kind)) {
      for (const Entry& e : r.entries) {
        if (!e.live() || e.hold == ignore || !e.window.overlaps(window)) continue;
        if (c.first < e.first + e.count && e.first < c.first + c.count) {
          const Hold& other = holds_.at(e.hold);
          return {StatusCode::ResourceExhausted,
                  fmt::format("{} units {}-{} are held by '{}' over {}", describe(c.resource),
                              std::max(c.first, e.first),
                              std::min(c.first + c.count, e.first + e.count) - 1, other.owner,
                              describe(e.window))};
        }
      }
      continue;
    }
    // Quantities: claims of one reservation on one resource add up.
    std::uint64_t wanted = 0;
    for (const Claim& d : claims) {
      if (d.resource == c.resource) wanted += d.count;
    }
    // Without a hold to leave out, the step function answers at once.
    const std::uint64_t peak =
        ignore == 0 ? static_cast<std::uint64_t>(std::max<std::int64_t>(0, r.peakLevel(window)))
                    : peakUse(r, {std::max(window.start, horizon_), window.end}, ignore);
    if (peak + wanted > r.capacity) {
      return {StatusCode::ResourceExhausted,
              fmt::format("{}: {} wanted over {}, but only {} of {} is free throughout",
                          describe(c.resource), wanted, describe(window),
                          r.capacity - std::min(r.capacity, peak), r.capacity)};
    }
  }
  return Status::ok();
}

void Ledger::Resource::add(const Entry& e) {
  if (entries.empty() || entries.back().hold <= e.hold) {
    entries.push_back(e);
    return;
  }
  // An older hold: a modified one (same id, its entries erased just before) takes its erased
  // place again; one that is new here (rerouted, another instance's) goes in at its place.
  auto it = std::lower_bound(entries.begin(), entries.end(), e.hold,
                             [](const Entry& x, HoldId id) { return x.hold < id; });
  for (auto same = it; same != entries.end() && same->hold == e.hold; ++same) {
    if (!same->live()) {
      *same = e;
      --erased;
      return;
    }
  }
  entries.insert(it, e);
}

void Ledger::Resource::erase(HoldId hold) {
  auto it = std::lower_bound(entries.begin(), entries.end(), hold,
                             [](const Entry& e, HoldId id) { return e.hold < id; });
  for (; it != entries.end() && it->hold == hold; ++it) {
    if (!it->live()) continue;
    it->count = 0;
    ++erased;
  }
  if (erased * 4 <= entries.size()) return;
  std::erase_if(entries, [](const Entry& e) { return !e.live(); });  // keeps the order
  erased = 0;
}

void Ledger::insert(const Hold& hold) {
  for (const Claim& c : hold.claims) {
    Resource& r = resources_.at(c.resource);
    r.add({hold.id, hold.window, c.first, c.count});
    if (!isDiscrete(c.resource.kind))
      r.addLevel(hold.window, static_cast<std::int64_t>(c.count), horizon_);
  }
}

void Ledger::erase(const Hold& hold) {
  for (const Claim& c : hold.claims) {
    Resource& r = resources_.at(c.resource);
    r.erase(hold.id);
    if (!isDiscrete(c.resource.kind))
      r.addLevel(hold.window, -static_cast<std::int64_t>(c.count), horizon_);
  }
}

void Ledger::useIds(HoldId first, HoldId end) {
  std::unique_lock lock(mutex_);
  first_id_ = first;
  end_id_ = end;
  next_id_ = first;
  for (const auto& [id, hold] : holds_) {
    if (id >= first && id < end) next_id_ = std::max(next_id_, id + 1);
  }
}

Result<HoldId> Ledger::reserve(std::string owner, std::vector<Claim> claims, Window window) {
  std::unique_lock lock(mutex_);
  LP_RETURN_IF_ERROR(validate(claims, window));
  LP_RETURN_IF_ERROR(findConflict(claims, window, 0));
  if (next_id_ >= end_id_) return fail(resourceExhausted("the ledger's hold ids are used up"));
  Hold hold{next_id_++, std::move(owner), window, std::move(claims)};
  insert(hold);
  const HoldId id = hold.id;
  holds_.emplace(id, std::move(hold));
  ++version_;
  return id;
}

Result<HoldId> Ledger::restore(HoldId id, std::string owner, std::vector<Claim> claims,
                               Window window) {
  std::unique_lock lock(mutex_);
  if (id == 0 || holds_.contains(id))
    return fail(alreadyExists(fmt::format("hold {} exists already", id)));
  LP_RETURN_IF_ERROR(validate(claims, window));
  LP_RETURN_IF_ERROR(findConflict(claims, window, 0));
  Hold hold{id, std::move(owner), window, std::move(claims)};
  insert(hold);
  holds_.emplace(id, std::move(hold));
  if (id >= first_id_ && id < end_id_) next_id_ = std::max(next_id_, id + 1);
  ++version_;
  return id;
}

Status Ledger::restoreAll(std::vector<Hold> holds) {
  std::unique_lock lock(mutex_);
  // The resources whose entries grow are the ones to check: known after, by their sizes.
  std::vector<std::size_t> sizes;
  sizes.reserve(resources_.size());
  for (const auto& [id, r] : resources_) sizes.push_back(r.entries.size());
  std::vector<HoldId> added;
  holds_.reserve(holds_.size() + holds.size());
  Status status = Status::ok();
  for (Hold& hold : holds) {
    if (hold.id == 0 || holds_.contains(hold.id)) {
      status = alreadyExists(fmt::format("hold {} exists already", hold.id));
      break;
    }
    status = validate(hold.claims, hold.window);
    if (!status.isOk()) {
      status = status.withContext(fmt::format("hold {} of {}", hold.id, hold.owner));
      break;
    }
    for (const Claim& c : hold.claims) {  // appended: out of order, sorted once below
      Resource& r = resources_.at(c.resource);
      if (!r.entries.empty() && r.entries.back().hold > hold.id) r.by_hold = false;
      r.entries.push_back({hold.id, hold.window, c.first, c.count});
    }
    added.push_back(hold.id);
    holds_.emplace(hold.id, std::move(hold));
  }
  std::vector<ResourceId> touched;
  std::size_t i = 0;
  for (const auto& [id, r] : resources_) {
    if (r.entries.size() != sizes[i++]) touched.push_back(id);
  }
  std::sort(touched.begin(), touched.end());  // the first violation the same from run to run
  for (const ResourceId& id : touched) {
    Resource& r = resources_.at(id);
    if (!r.by_hold) {  // back in hold order (a store may list its holds in any order)
      std::stable_sort(r.entries.begin(), r.entries.end(),
                       [](const Entry& a, const Entry& b) { return a.hold < b.hold; });
      r.by_hold = true;
    }
    if (!isDiscrete(id.kind)) {
      // The level just built from every entry is the use at each moment: its peak says it all.
      r.rebuildLevel(horizon_);
      if (status.isOk() &&
          r.peakLevel({TimePoint::min(), TimePoint::max()}) > static_cast<std::int64_t>(r.capacity))
        status = resourceExhausted(fmt::format(
            "restoring the ledger: {}: held beyond its capacity of {}", describe(id), r.capacity));
      continue;
    }
    if (!status.isOk()) continue;
    if (auto violations = violationsOf(id, r); !violations.empty())
      status = resourceExhausted(fmt::format("restoring the ledger: {}", violations.front()));
  }
  if (!status.isOk()) {  // none of them, as before
    const std::set<HoldId> undo(added.begin(), added.end());
    for (const ResourceId& id : touched) {
      Resource& r = resources_.at(id);
      std::erase_if(r.entries, [&](const Entry& e) { return e.live() && undo.contains(e.hold); });
      if (!isDiscrete(id.kind)) r.rebuildLevel(horizon_);
    }
    for (HoldId id : added) holds_.erase(id);
    return status;
  }
  for (HoldId id : added) {
    if (id >= first_id_ && id < end_id_) next_id_ = std::max(next_id_, id + 1);
  }
  ++version_;
  return Status::ok();
}

void Ledger::forgetBefore(TimePoint t) {
  std::unique_lock lock(mutex_);
  if (!(horizon_ < t)) return;
  horizon_ = t;
  for (auto& [id, r] : resources_) {
    if (!isDiscrete(id.kind)) r.forgetBefore(t);
  }
}

Status Ledger::modify(HoldId id, std::vector<Claim> claims, Window window) {
  std::unique_lock lock(mutex_);
  auto it = holds_.find(id);
  if (it == holds_.end()) return notFound(fmt::format("no hold {}", id));
  LP_RETURN_IF_ERROR(validate(claims, window));
  LP_RETURN_IF_ERROR(findConflict(claims, window, id));
  erase(it->second);
  it->second.claims = std::move(claims);
  it->second.window = window;
  insert(it->second);
  ++version_;
  return Status::ok();
}

Status Ledger::release(HoldId id) {
  std::unique_lock lock(mutex_);
  auto it = holds_.find(id);
  if (it == holds_.end()) return notFound(fmt::format("no hold {}", id));
  erase(it->second);
  holds_.erase(it);
  ++version_;
  return Status::ok();
}

std::size_t Ledger::expire(TimePoint now) {
  std::unique_lock lock(mutex_);
  std::vector<HoldId> ended;
  for (const auto& [id, hold] : holds_) {
    if (hold.window.end <= now) ended.push_back(id);
  }
  for (HoldId id : ended) {
    erase(holds_.at(id));
    holds_.erase(id);
  }
  if (!ended.empty()) ++version_;
  return ended.size();
}

std::optional<Hold> Ledger::hold(HoldId id) const {
  std::shared_lock lock(mutex_);
  auto it = holds_.find(id);
  if (it == holds_.end()) return std::nullopt;
  return it->second;
}

std::vector<Hold> Ledger::holdsOf(std::string_view owner) const {
  std::shared_lock lock(mutex_);
  std::vector<Hold> out;
  for (const auto& [id, hold] : holds_) {
    if (hold.owner == owner) out.push_back(hold);
  }
  std::sort(out.begin(), out.end(), [](const Hold& a, const Hold& b) { return a.id < b.id; });
  return out;
}

std::size_t Ledger::holdCount() const {
  std::shared_lock lock(mutex_);
  return holds_.size();
}

std::uint64_t Ledger::version() const {
  std::shared_lock lock(mutex_);
  return version_;
}

std::vector<std::string> Ledger::violationsOf(ResourceId id, const Resource& r) const {
  std::vector<std::string> violations;
  if (!isDiscrete(id.kind)) {
    if (peakUse(r, {horizon_, TimePoint::max()}, 0) > r.capacity) {  // the past is let go
      violations.push_back(
          fmt::format("{}: held beyond its capacity of {}", describe(id), r.capacity));
    }
    return violations;
  }
  // Unit by unit: each unit's holds sorted by start must each end before the next begins. The
  // work grows with the units held, not with pairs of holds.
  struct Use {
    std::uint64_t unit;
    TimePoint start, end;
    HoldId hold;
  };
  std::vector<Use> uses;
  for (const Entry& e : r.entries) {
    if (!e.live()) continue;
    if (e.first + e.count > r.capacity) {
      violations.push_back(fmt::format("{}: hold {} beyond capacity", describe(id), e.hold));
      continue;
    }
    for (std::uint64_t u = e.first; u < e.first + e.count; ++u)
      uses.push_back({u, e.window.start, e.window.end, e.hold});
  }
  std::sort(uses.begin(), uses.end(), [](const Use& a, const Use& b) {
    return a.unit != b.unit ? a.unit < b.unit : a.start < b.start;
  });
  std::set<std::pair<HoldId, HoldId>> reported;  // a pair once, however many units they share
  const Use* latest = nullptr;                   // of this unit, the use that ends last so far
  for (const Use& u : uses) {
    if (latest && latest->unit == u.unit && u.start < latest->end) {
      if (reported.insert(std::minmax(latest->hold, u.hold)).second) {
        violations.push_back(fmt::format("{}: holds {} and {} share units at overlapping times",
                                         describe(id), latest->hold, u.hold));
      }
    }
    if (!latest || latest->unit != u.unit || u.end > latest->end) latest = &u;
  }
  return violations;
}

std::vector<std::string> Ledger::checkInvariants() const {
  std::shared_lock lock(mutex_);
  std::vector<std::string> violations;
  std::size_t entries = 0;
  std::vector<ResourceId> ids;  // in order: the same report from run to run
  for (const auto& [id, r] : resources_) ids.push_back(id);
  std::sort(ids.begin(), ids.end());
  for (const ResourceId& id : ids) {
    const Resource& r = resources_.at(id);
    entries += r.entries.size() - r.erased;
    std::size_t erased = 0;
    for (const Entry& e : r.entries) {
      if (!e.live()) {
        ++erased;
        continue;
      }
      if (!holds_.contains(e.hold)) {
        violations.push_back(
            fmt::format("{}: entry of hold {} that does not exist", describe(id), e.hold));
      }
    }
    if (erased != r.erased)
      violations.push_back(
          fmt::format("{}: {} entries erased, {} counted", describe(id), erased, r.erased));
    if (!r.by_hold ||
        !std::is_sorted(r.entries.begin(), r.entries.end(),
                        [](const Entry& a, const Entry& b) { return a.hold < b.hold; }))
      violations.push_back(fmt::format("{}: entries out of their holds' order", describe(id)));
    for (std::string& v : violationsOf(id, r)) violations.push_back(std::move(v));
    if (!isDiscrete(id.kind) &&
        static_cast<std::int64_t>(peakUse(r, {horizon_, TimePoint::max()}, 0)) !=
            r.peakLevel({horizon_, TimePoint::max()})) {
      // The step function must agree with the holds it summarises.
      violations.push_back(fmt::format("{}: usage index out of step with its holds", describe(id)));
    }
  }
  std::size_t claims = 0;
  for (const auto& [id, hold] : holds_) claims += hold.claims.size();
  if (claims != entries) {
    violations.push_back(
        fmt::format("{} claims in holds but {} entries in resources", claims, entries));
  }
  return violations;
}

}  // namespace lightpath
