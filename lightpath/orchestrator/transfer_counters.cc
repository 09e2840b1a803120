// Reading the transfers' counters (see transfer_counters.h).
#include "lightpath/orchestrator/transfer_counters.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "lightpath/base/log.h"
#include "lightpath/orchestrator/internal/context.h"
#include "lightpath/orchestrator/transfers.h"

namespace lightpath {

using json = nlohmann::json;

namespace {

// Whether a transfer has legs that started and were not all read at or after their end.
bool needsReading(const TransferRecord& t, TimePoint now) {
  if (t.legs.empty()) return false;
  TimePoint first = TimePoint::max(), last = TimePoint::min();
  for (const TransferLegRecord& l : t.legs) {
    first = std::min(first, l.leg.start);
    last = std::max(last, l.leg.end);
  }
  if (t.cancelled) last = std::min(last, *t.cancelled);
  return now >= first && (!t.counted_at || *t.counted_at < last);
}

// One leg to read: where its traffic leaves the network, or none when its service is gone.
struct LegReading {
  std::string transfer, leg;
  std::optional<DeliveryPoint> at;
};

}  // namespace

Result<std::size_t> TransferCounters::pollIfDue(TimePoint now) {
  if (next_ != TimePoint{} && now < next_) return std::size_t{0};
  const auto period = std::chrono::duration_cast<std::chrono::microseconds>(kPeriod);
  next_ = TimePoint((now.time_since_epoch() / period + 1) * period);
  return poll(now);
}

Result<std::size_t> TransferCounters::poll(TimePoint now) {
  // The transfers to read, a page of documents at a time.
  std::vector<TransferRecord> transfers;
  LP_RETURN_IF_ERROR(ctx_.deps.store->read([&](StoreTransaction& tx) -> Status {
    DocumentQuery query{.kind = std::string(kTransferKind), .limit = 500};
    for (;;) {
      LP_ASSIGN_OR_RETURN(auto page, tx.documents(query, nullptr));
      for (const DocumentRecord& d : page) {
        auto t = transferFromJson(json::parse(d.body, nullptr, false));
        if (!t) {
          log().warn("transfer counters: {}", t.error().toString());
        } else if (needsReading(*t, now)) {
          transfers.push_back(std::move(*t));
        }
      }
      if (page.size() < query.limit) return Status::ok();
      query.after_seq = page.back().seq;
    }
  }));
  if (transfers.empty()) return std::size_t{0};

  // Their started legs: a leg not active (down, ended) has no service to read.
  std::vector<LegReading> legs;
  std::map<std::string, std::vector<std::string>> keys_by_node;
  for (const TransferRecord& t : transfers) {
    for (const TransferLegRecord& l : t.legs) {
      if (now < l.leg.start) continue;
      LegReading reading{t.id, l.connection, std::nullopt};
      auto c = ctx_.records.get(l.connection);
      if (c && c->state() == ConnectionState::Active && c->operState() != OperState::Down) {
        auto at = deliveryPoint(*c, *ctx_.deps.fleet);
        if (at) {
          keys_by_node[at->node].push_back(at->key);
          reading.at = std::move(*at);
        } else {
          log().warn("transfer {}: leg {}: {}", t.id, l.connection, at.error().toString());
        }
      }
      legs.push_back(std::move(reading));
    }
  }
  const auto counted = ctx_.octets(keys_by_node);

  // Each transfer's counts, in one transaction, on its document as it is now.
  std::map<std::string, std::vector<const LegReading*>> by_transfer;
  for (const LegReading& l : legs) by_transfer[l.transfer].push_back(&l);
  std::size_t updated = 0;
  LP_RETURN_IF_ERROR(ctx_.deps.store->transact([&](StoreTransaction& tx) -> Status {
    updated = 0;
    for (const auto& [id, readings] : by_transfer) {
      LP_ASSIGN_OR_RETURN(auto doc, tx.document(std::string(kTransferKind), id));
      if (!doc) continue;
      LP_ASSIGN_OR_RETURN(TransferRecord t,
                          transferFromJson(json::parse(doc->body, nullptr, false)));
      for (const LegReading* l : readings) {
        if (!l->at) {
          // Its service is gone: the next one counts from zero.
          if (auto it = t.counted.find(l->leg); it != t.counted.end()) it->second.last = 0;
          continue;
        }
        auto device = counted.find(l->at->node);
        if (device == counted.end() || !device->second) continue;  // not read this time
        auto value = device->second->find(l->at->key);
        if (value == device->second->end()) continue;  // the device does not count it
        LegCount& count = t.counted[l->leg];
        const std::uint64_t now_value = value->second;
        count.bytes +=
            static_cast<double>(now_value >= count.last ? now_value - count.last : now_value);
        count.last = now_value;
      }
      // Read even when no device counts (`counted` stays empty: the progress is the plan's),
      // so that a transfer read after its end is not read again.
      t.counted_at = now;
      LP_RETURN_IF_ERROR(
          tx.putDocument({std::string(kTransferKind), t.id, t.tenant,
                          transferToJson(t).dump(-1, ' ', false, json::error_handler_t::replace)}));
      ++updated;
    }
    return Status::ok();
  }));
  for (const auto& [node, read] : counted) {
    if (!read) log().warn("transfer counters: {}: {}", node, read.error().toString());
  }
  return updated;
}

}  // namespace lightpath
