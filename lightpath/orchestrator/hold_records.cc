// The hold codec and the ledger's side of a connection's capacity.
#include "lightpath/orchestrator/hold_records.h"

#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

namespace lightpath {

using nlohmann::json;

std::string encodeHold(const Window& w, const std::vector<Claim>& claims) {
  json c = json::array();
  for (const Claim& claim : claims) {
    c.push_back({{"kind", toString(claim.resource.kind)},
                 {"index", claim.resource.index},
                 {"first", claim.first},
                 {"count", claim.count}});
  }
  return json{{"start_us", w.start.time_since_epoch().count()},
              {"end_us", w.end.time_since_epoch().count()},
              {"claims", c}}
      .dump();
}

Result<std::pair<Window, std::vector<Claim>>> decodeHold(std::string_view body) {
  try {
    const json j = json::parse(body);
    Window w{TimePoint(std::chrono::microseconds(j.at("start_us").get<std::int64_t>())),
             TimePoint(std::chrono::microseconds(j.at("end_us").get<std::int64_t>()))};
    std::vector<Claim> claims;
    for (const json& c : j.at("claims")) {
      const std::string kind = c.at("kind").get<std::string>();
      std::optional<ResourceKind> k;
      for (ResourceKind candidate :
           {ResourceKind::SpectrumSlots, ResourceKind::Vlans, ResourceKind::PortBandwidth,
            ResourceKind::LinkBandwidth, ResourceKind::OnrampCapacity}) {
        if (toString(candidate) == kind) k = candidate;
      }
      if (!k)
        return fail(invalidArgument(fmt::format("stored hold: unknown resource kind '{}'", kind)));
      claims.push_back({{*k, c.at("index").get<std::uint32_t>()},
                        c.at("first").get<std::uint64_t>(),
                        c.at("count").get<std::uint64_t>()});
    }
    return std::make_pair(w, std::move(claims));
  } catch (const std::exception& e) {
    return fail(invalidArgument(fmt::format("stored hold is not valid: {}", e.what())));
  }
}

std::vector<HoldPart> holdParts(const ConnectionSpec& spec, const Window& window,
                                std::vector<Claim> claims) {
  std::vector<HoldPart> parts;
  if (spec.steps.empty()) {
    parts.emplace_back(window, std::move(claims));
    return parts;
  }
  std::vector<Claim> whole;
  std::vector<Claim> amounts;
  for (Claim& claim : claims) (isDiscrete(claim.resource.kind) ? whole : amounts).push_back(claim);
  parts.emplace_back(window, std::move(whole));
  TimePoint from = window.start;
  for (std::size_t i = 0; i <= spec.steps.size(); ++i) {
    const TimePoint to =
        std::max(window.start, i < spec.steps.size() ? spec.steps[i].at : window.end);
    if (from < to)
      parts.emplace_back(Window{from, to}, withAmount(amounts, bandwidthAt(spec, from)));
    from = to;
  }
  return parts;
}

Result<std::vector<HoldRecord>> reserveParts(Ledger& ledger, const std::string& owner,
                                             const std::vector<HoldPart>& parts) {
  std::vector<HoldRecord> held;
  for (const auto& [window, claims] : parts) {
    if (claims.empty()) continue;
    auto hold = ledger.reserve(owner, claims, window);
    if (!hold) {
      releaseHolds(ledger, held);
      return fail(hold.error());
    }
    held.push_back({*hold, owner, encodeHold(window, claims)});
  }
  return held;
}

void releaseHolds(Ledger& ledger, const std::vector<HoldRecord>& holds) {
  for (const HoldRecord& h : holds) (void)ledger.release(h.id);
}

Status restoreHolds(Ledger& ledger, const std::vector<HoldRecord>& records) {
  for (const HoldRecord& h : records) {
    auto parsed = decodeHold(h.body);
    if (!parsed) return parsed.error().withContext(fmt::format("hold {} of {}", h.id, h.owner));
    auto id = ledger.restore(h.id, h.owner, parsed->second, parsed->first);
    if (!id) return id.error().withContext(fmt::format("recovering the hold of {}", h.owner));
  }
  return Status::ok();
}

std::vector<HoldChange> applyHoldChanges(Ledger& ledger, const std::vector<HoldChange>& changes) {
  std::vector<HoldChange> left;
  std::set<std::uint64_t> waiting;  // holds with a change left: their later changes wait too
  auto apply = [&](const HoldChange& change) {
    const auto held = ledger.hold(change.hold.id);
    if (held && held->owner != change.hold.owner) return false;  // ours, not yet committed
    if (change.deleted) {
      if (held) (void)ledger.release(change.hold.id);
      return true;
    }
    auto parsed = decodeHold(change.hold.body);
    if (!parsed) return false;
    return (held ? ledger.modify(change.hold.id, parsed->second, parsed->first)
                 : statusOf(ledger.restore(change.hold.id, change.hold.owner, parsed->second,
                                           parsed->first)))
        .isOk();
  };
  for (const HoldChange& change : changes) {
    if (waiting.contains(change.hold.id) || !apply(change)) {
      waiting.insert(change.hold.id);
      left.push_back(change);
    }
  }
  return left;
}

bool sharesCapacity(const Ledger& ledger, const HoldRecord& hold,
                    const std::vector<HoldChange>& pending) {
  auto mine = decodeHold(hold.body);
  if (!mine) return true;
  const Window& a = mine->first;
  std::map<ResourceId, std::uint64_t> added;  // what they add to the quantities we take
  for (const HoldChange& change : pending) {
    if (change.deleted) continue;  // freeing never overbooks
    auto theirs = decodeHold(change.hold.body);
    if (!theirs) return true;
    const Window& b = theirs->first;
    if (!(a.start < b.end && b.start < a.end)) continue;
    for (const Claim& x : mine->second) {
      for (const Claim& y : theirs->second) {
        if (x.resource != y.resource) continue;
        if (!isDiscrete(x.resource.kind)) {
          added[x.resource] += y.count;
        } else if (x.first < y.first + y.count && y.first < x.first + x.count) {
          return true;  // the same units
        }
      }
    }
  }
  // Ours is in the ledger already: what is left must take theirs too.
  for (const auto& [resource, amount] : added) {
    if (ledger.freeQuantity(resource, a) < amount) return true;
  }
  return false;
}

std::vector<Claim> withAmount(std::vector<Claim> claims, std::uint64_t mbps) {
  for (Claim& claim : claims) {
    if (!isDiscrete(claim.resource.kind)) claim.count = mbps;
  }
  return claims;
}

}  // namespace lightpath
