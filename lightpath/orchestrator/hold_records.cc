// The hold codec and the ledger's side of a connection's capacity.
#include "lightpath/orchestrator/hold_records.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "lightpath/orchestrator/internal/padded_json.h"

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
  // simdjson: a restart decodes every hold of the book (150,000 and more) before it serves.
  // Buffers kept from one call to the next: no allocation but the claims' own.
  static thread_local simdjson::ondemand::parser parser;
  static thread_local std::vector<Claim> scratch;
  try {
    simdjson::ondemand::document doc = parser.iterate(paddedCopy(body));
    std::optional<std::int64_t> start, end;
    std::vector<Claim>* claims = nullptr;
    for (auto field : doc.get_object()) {
      const std::string_view name = field.unescaped_key();
      if (name == "start_us") {
        start = field.value().get_int64();
      } else if (name == "end_us") {
        end = field.value().get_int64();
      } else if (name == "claims") {
        claims = &scratch;
        claims->clear();
        for (auto item : field.value().get_array()) {
          std::optional<ResourceKind> kind;
          std::optional<std::uint64_t> index, first, count;
          for (auto part : item.get_object()) {
            const std::string_view what = part.unescaped_key();
            if (what == "kind") {
              auto parsed = parseResourceKind(part.value().get_string());
              if (!parsed) return fail(parsed.error().withContext("stored hold"));
              kind = *parsed;
            } else if (what == "index") {
              index = part.value().get_uint64();
            } else if (what == "first") {
              first = part.value().get_uint64();
            } else if (what == "count") {
              count = part.value().get_uint64();
            }
          }
          if (!kind || !index || !first || !count)
            return fail(invalidArgument(
                "stored hold is not valid: a claim lacks kind, index, first or count"));
          if (*index > UINT32_MAX)
            return fail(invalidArgument(
                fmt::format("stored hold is not valid: resource index {} is too large", *index)));
          claims->push_back({{*kind, static_cast<std::uint32_t>(*index)}, *first, *count});
        }
      }
    }
    if (!start || !end || !claims)
      return fail(invalidArgument("stored hold is not valid: start_us, end_us and claims needed"));
    return std::make_pair(Window{TimePoint(std::chrono::microseconds(*start)),
                                 TimePoint(std::chrono::microseconds(*end))},
                          std::vector<Claim>(claims->begin(), claims->end()));
  } catch (const simdjson::simdjson_error& e) {
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

Result<Hold> decodeStoredHold(const HoldView& stored) {
  auto parsed = decodeHold(stored.body);
  if (!parsed)
    return fail(parsed.error().withContext(fmt::format("hold {} of {}", stored.id, stored.owner)));
  return Hold{stored.id, std::string(stored.owner), parsed->first, std::move(parsed->second)};
}

Result<std::vector<Hold>> readHolds(StoreTransaction& tx) {
  std::vector<Hold> holds;
  LP_RETURN_IF_ERROR(tx.eachHold([&](const HoldView& stored) -> Status {
    LP_ASSIGN_OR_RETURN(Hold hold, decodeStoredHold(stored));
    holds.push_back(std::move(hold));
    return Status::ok();
  }));
  return holds;
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
